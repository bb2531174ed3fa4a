package modetest

import "testing"

// BenchmarkSilverman1000 is the speed target: B = 500 on n = 1000 in <= 1 s on 2 cores.
func BenchmarkSilverman1000(b *testing.B) {
	x := sample(8, 1000, 2)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Silverman(x, 1, Config{B: 500, Seed: uint64(i)})
	}
}

func BenchmarkACR200(b *testing.B) {
	x := sample(8, 200, 2)
	for i := 0; i < b.N; i++ {
		ACR(x, 1, Config{B: 100, Seed: uint64(i)})
	}
}
