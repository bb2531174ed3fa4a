package core

import (
	"testing"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/meter"
)

func benchmarkStep(b *testing.B, w *Workload) {
	st, err := NewStepper(backend.Must(""), w)
	if err != nil {
		b.Fatal(err)
	}
	for range 3 {
		if _, err := st.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := st.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
	// Process CPU time per step: steadier than wall time when other jobs share the
	// CPUs (wall/cpu below 1 shows the parallelism actually obtained).
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1e3/float64(b.N), "cpu-ms/step")
}

// cpuTime is the process's CPU time so far (0 where the system cannot report it).
func cpuTime() time.Duration {
	u, _ := meter.Self().Usage()
	return u.CPU
}

// BenchmarkMLPStep times erg's MLP training step (the mlp workload).
func BenchmarkMLPStep(b *testing.B) { benchmarkStep(b, MLP()) }

// BenchmarkFCNStep times erg's FCN training step (the fcn workload).
func BenchmarkFCNStep(b *testing.B) { benchmarkStep(b, FCN()) }
