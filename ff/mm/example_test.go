package mm_test

import (
	"fmt"

	"github.com/ergml/erg/ff/mm"
)

// A water molecule with a harmonic bond and angle and no charges.
func ExampleSystem_Energy() {
	s := &mm.System{
		Masses:     []float64{15.999, 1.008, 1.008},
		Bonds:      []mm.Bond{{I: 0, J: 1, Length: 0.09572, K: 462750.4}, {I: 0, J: 2, Length: 0.09572, K: 462750.4}},
		Angles:     []mm.Angle{{I: 1, J: 0, K: 2, Theta: 1.82421813418, KTheta: 836.8}},
		Particles:  make([]mm.Particle, 3),
		Exceptions: []mm.Exception{{I: 0, J: 1, Sigma: 0.1}, {I: 0, J: 2, Sigma: 0.1}, {I: 1, J: 2, Sigma: 0.1}},
	}
	// both bonds stretched to ≈0.1 nm: 2 × ½ k (0.1 − 0.09572)² ≈ 8.48 kJ/mol
	x := [][3]float64{{0, 0, 0}, {0.1, 0, 0}, {0.1 * -0.2506, 0.1 * 0.9681, 0}}
	r := s.Energy(x)
	fmt.Printf("bonds %.3f kJ/mol\n", r.Groups["HarmonicBondForce"])
	// Output: bonds 8.479 kJ/mol
}
