package dip_test

import (
	"fmt"

	"github.com/ergml/erg/modes/dip"
)

func ExampleTest() {
	x := []float64{1, 2, 5, 6, 7, 20} // R: dip(x) = 0.125, modal interval [5, 7]
	r := dip.Test(x, dip.TestConfig{})
	fmt.Printf("dip = %.4f, modal interval [%g, %g], p = %.2f\n", r.Dip, r.XL, r.XU, r.PValue)
	// Output:
	// dip = 0.1250, modal interval [5, 7], p = 0.48
}
