package mixture_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/modes/mixture"
)

func ExampleFit() {
	rng := rand.New(rand.NewPCG(5, 5))
	x := make([]float64, 150)
	for i := range x {
		x[i] = rng.NormFloat64() + 7*float64(i%2)
	}
	r, err := mixture.Fit(x, mixture.Config{Iter: 400, Seed: 1, CountOnly: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("most probable number of modes:", r.Modes)
	// Output:
	// most probable number of modes: 2
}
