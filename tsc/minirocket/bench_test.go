package minirocket

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkTransformGunPointSized times the transform of 50 series of length 150
// (GunPoint's training set size) on one goroutine.
func BenchmarkTransformGunPointSized(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	X := make([][][]float64, 50)
	for i := range X {
		s := make([]float64, 150)
		for j := range s {
			s[j] = r.NormFloat64()
		}
		X[i] = [][]float64{s}
	}
	tr, err := Fit(X, Config{}, r)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]float64, len(X)*tr.NumFeatures())
	b.ReportAllocs()
	for b.Loop() {
		tr.Apply(b.Context(), X, out, 1)
	}
	b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N)/float64(len(X))*1e3, "ms/series")
}
