package core

import (
	"testing"

	"github.com/ergml/erg/backend"
)

func benchmarkStep(b *testing.B, w *Workload) {
	st, err := NewStepper(backend.Must(BackendConfig("")), w)
	if err != nil {
		b.Fatal(err)
	}
	for range 3 {
		if _, err := st.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
}

// BenchmarkMLPStep times erg's MLP training step (the mlp workload).
func BenchmarkMLPStep(b *testing.B) { benchmarkStep(b, MLP()) }

// BenchmarkFCNStep times erg's FCN training step (the fcn workload).
func BenchmarkFCNStep(b *testing.B) { benchmarkStep(b, FCN()) }
