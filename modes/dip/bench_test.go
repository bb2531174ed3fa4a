package dip

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkSortedUniform(b *testing.B) {
	for _, n := range []int{100, 1000, 72000, 1000000} {
		b.Run(strconvI(n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			var w work
			u := UniformSorted(n, rng, nil)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				w.dip(u)
			}
		})
	}
}

func strconvI(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return "n=" + s
}
