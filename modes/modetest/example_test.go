package modetest_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/modes/modetest"
)

func ExampleEstimateModes() {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 200)
	for i := range x {
		x[i] = rng.NormFloat64() + 4*float64(i%2) // two well separated groups
	}
	e, _ := modetest.EstimateModes(modetest.MethodSilverman, x, 5, modetest.Config{B: 200, Seed: 1})
	fmt.Println("modes:", e.Modes)
	for _, t := range e.Tests {
		fmt.Printf("H0 k=%d rejected: %v\n", t.K, t.PValue < 0.05)
	}
	// Output:
	// modes: 2
	// H0 k=1 rejected: true
	// H0 k=2 rejected: false
}
