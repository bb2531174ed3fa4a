package bts_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/modes/bts"
)

func ExampleFit() {
	rng := rand.New(rand.NewPCG(2, 2))
	x := make([]float64, 300)
	for i := range x {
		x[i] = rng.NormFloat64() + 6*float64(i%2)
	}
	r, err := bts.Fit(x, bts.Config{Chains: 2, Burn: 150, Draws: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("most probable number of modes:", r.Modes)
	fmt.Println("P(2 modes) > 0.5:", r.Posterior[1] > 0.5)
	// Output:
	// most probable number of modes: 2
	// P(2 modes) > 0.5: true
}
