package deep

import (
	"testing"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/meter"
)

// cpuTime is the process's CPU time so far (0 where getrusage is unavailable).
func cpuTime() time.Duration {
	u, _ := meter.Self().Usage()
	return u.CPU
}

// BenchmarkEpoch times training epochs (10 steps of batch 5 on GunPoint, length 150)
// of FCN and ResNet with EpochTime, as `erg bench tsc` does, and reports the wall time
// (ms/epoch) and the process CPU time (cpu-ms/epoch, less sensitive to other load):
//
//	go test ./tsc/deep -run '^$' -bench Epoch -benchtime 5x -cpuprofile cpu.out
func BenchmarkEpoch(b *testing.B) {
	tr, _ := loadGunPointTB(b)
	for _, name := range []string{"fcn", "resnet"} {
		b.Run(name, func(b *testing.B) {
			spec := Specs[name]
			c0 := cpuTime()
			if _, err := EpochTime(backend.Must(""), spec, tr, 1, 1); err != nil {
				b.Fatal(err)
			}
			c1 := cpuTime()
			ms, err := EpochTime(backend.Must(""), spec, tr, 1, 1+b.N)
			if err != nil {
				b.Fatal(err)
			}
			c2 := cpuTime()
			b.ReportMetric(ms, "ms/epoch")
			b.ReportMetric(float64((c2-c1)-(c1-c0))/1e6/float64(b.N), "cpu-ms/epoch")
		})
	}
}
