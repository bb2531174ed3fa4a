package hsi_test

import (
	"fmt"

	"github.com/ergml/erg/hsi"
)

func ExampleEvaluate() {
	truth := []int{1, 1, 2, 2}
	pred := []int{1, 2, 2, 2}
	m := hsi.Evaluate(pred, truth, []int{0, 1, 2, 3}, 2)
	fmt.Printf("OA %.2f AA %.2f kappa %.2f F1 %.2f\n", m.OA, m.AA, m.Kappa, m.F1)
	// Output: OA 0.75 AA 0.75 kappa 0.50 F1 [0.67 0.80]
}
