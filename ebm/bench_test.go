package ebm

import (
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/meter"
)

func benchStep(b *testing.B, cfg Config) {
	cfg = cfg.WithDefaults()
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 2*cfg.Batch)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	stepOnce, err := newBenchStepper(testBackend(), cfg, x)
	if err != nil {
		b.Fatal(err)
	}
	step := func() {
		if _, err := stepOnce(); err != nil {
			b.Fatal(err)
		}
	}
	for range 3 {
		step()
	}
	b.ResetTimer()
	c0 := cpuSeconds()
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
	b.ReportMetric((cpuSeconds()-c0)*1e3/float64(b.N), "cpu-ms/step")
}

func BenchmarkEDStep(b *testing.B) {
	benchStep(b, Config{Loss: "ed", Batch: 256, Energy: MLPConfig{Hidden: []int{128, 128}}})
}
func BenchmarkEDStepPaperNet(b *testing.B) { benchStep(b, Config{Loss: "ed"}) }
func BenchmarkCDStep(b *testing.B) {
	benchStep(b, Config{Loss: "cd", Batch: 256, CD: CDConfig{K: 20}, Energy: MLPConfig{Hidden: []int{128, 128}}})
}

func BenchmarkEDStepReLU(b *testing.B) {
	benchStep(b, Config{Loss: "ed", Batch: 256, Energy: MLPConfig{Hidden: []int{128, 128}, Activation: "relu"}})
}
func BenchmarkEDStepTanh(b *testing.B) {
	benchStep(b, Config{Loss: "ed", Batch: 256, Energy: MLPConfig{Hidden: []int{128, 128}, Activation: "tanh"}})
}

func BenchmarkPaperNetCD(b *testing.B)  { benchStep(b, Config{Loss: "cd"}) }
func BenchmarkPaperNetDSM(b *testing.B) { benchStep(b, Config{Loss: "dsm"}) }
func BenchmarkSmallNetED(b *testing.B) {
	benchStep(b, Config{Loss: "ed", Energy: MLPConfig{Hidden: []int{64, 64, 64}}})
}
func BenchmarkSmallNetCD(b *testing.B) {
	benchStep(b, Config{Loss: "cd", Energy: MLPConfig{Hidden: []int{64, 64, 64}}})
}
func BenchmarkSmallNetDSM(b *testing.B) {
	benchStep(b, Config{Loss: "dsm", Energy: MLPConfig{Hidden: []int{64, 64, 64}}})
}

func BenchmarkTinyED(b *testing.B) {
	benchStep(b, Config{Loss: "ed", Energy: MLPConfig{Hidden: []int{32, 32}}})
}
func BenchmarkTinyDSM(b *testing.B) {
	benchStep(b, Config{Loss: "dsm", Energy: MLPConfig{Hidden: []int{32, 32}}})
}

// cpuSeconds is the process's user+system CPU time (steadier than wall time on a
// shared machine).
func cpuSeconds() float64 {
	u, _ := meter.Self().Usage()
	return u.CPU.Seconds()
}
