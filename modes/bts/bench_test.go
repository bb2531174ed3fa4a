package bts

import (
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/modes/marronwand"
)

func BenchmarkFit200(b *testing.B) {
	d, _ := marronwand.Get(6)
	x := d.Sample(200, rand.New(rand.NewPCG(1, 1)))
	for i := 0; i < b.N; i++ {
		Fit(x, Config{Seed: 1, Workers: 1})
	}
}
