package ff_test

import (
	"fmt"
	"strings"

	"github.com/ergml/erg/ff"
	"github.com/ergml/erg/ff/mol"
)

// Parametrise water from an XYZ file with a (seeded, untrained) network and
// count the OpenMM terms of its system.
func ExampleModel_Parametrize() {
	ms, err := mol.ReadXYZ(strings.NewReader("3\nwater\nO 0 0 0.117\nH 0 0.757 -0.467\nH 0 -0.757 -0.467\n"), "water.xyz")
	if err != nil {
		panic(err)
	}
	m, err := ff.NewUntrained(ff.DefaultArch, 1)
	if err != nil {
		panic(err)
	}
	sys, coef, err := m.Parametrize(ms[0])
	if err != nil {
		panic(err)
	}
	var q float64
	for _, v := range coef.Charges {
		q += v
	}
	fmt.Printf("%d bonds, %d angles, %d torsions, %d exceptions, total charge %.3f\n", len(sys.Bonds), len(sys.Angles), len(sys.Propers), len(sys.Exceptions), q)
	// Output: 2 bonds, 1 angles, 0 torsions, 3 exceptions, total charge 0.000
}
