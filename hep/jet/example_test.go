package jet_test

import (
	"fmt"

	"github.com/ergml/erg/hep/jet"
)

func ExampleDefinition_Cluster() {
	particles := [][4]float64{ // px, py, pz, E (GeV)
		{100, 0, 0, 100},
		{95, 10, 5, 96.1},
		{-80, 5, 10, 81.2},
		{0, 3, 0, 3},
	}
	for _, j := range jet.AntiKt(0.8).Cluster(particles, 10) {
		fmt.Printf("pT %.1f GeV, %d constituents %v\n", j.Pt(), len(j.Constituents), j.Constituents)
	}
	// Output:
	// pT 195.3 GeV, 2 constituents [0 1]
	// pT 80.2 GeV, 1 constituents [2]
}
