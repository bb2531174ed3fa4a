package jetset_test

import (
	"fmt"

	"github.com/ergml/erg/hep/jet"
	"github.com/ergml/erg/hep/jetset"
)

func ExampleFeatures() {
	// px, py, pz, E in GeV: two particles of one jet (φ_jet = atan(20/500)), one far away.
	parts := [][4]float64{{300, 0, 0, 300}, {-100, 0, 0, 100}, {200, 20, 0, 201}}
	j := jet.AntiKt(0.8).Cluster(parts, 50)[0]
	c, obs := jetset.Features(j, parts)
	fmt.Printf("leading log pT %.3f, second Δφ %.3f; jet pT %.1f GeV, %d constituents\n", c[0][0], c[1][2], obs[jetset.ColPt], int(obs[jetset.ColMult]))
	// Output:
	// leading log pT 5.704, second Δφ 0.060; jet pT 500.4 GeV, 2 constituents
}
