package casestudy_test

import (
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/ergml/erg/modes/bts"
	"github.com/ergml/erg/modes/casestudy"
)

func ExampleRun() {
	rng := rand.New(rand.NewPCG(8, 8))
	x := make([]float64, 120)
	for i := range x {
		x[i] = rng.NormFloat64() + 6*float64(i%2)
	}
	dir, _ := os.MkdirTemp("", "case")
	defer os.RemoveAll(dir)
	s, err := casestudy.Run(x, dir, casestudy.Config{Name: "toy", B: 30, Seed: 1, SkipMixture: true,
		Bayes: bts.Config{Chains: 2, Burn: 100, Draws: 100}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("modes:", s.Bayes.Modes, "files:", len(s.Files))
	// Output:
	// modes: 2 files: 6
}
