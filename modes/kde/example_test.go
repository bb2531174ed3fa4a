package kde_test

import (
	"fmt"

	"github.com/ergml/erg/modes/kde"
)

func ExampleCriticalBandwidth() {
	// Old Faithful eruption durations (first 20 of R's datasets::faithful).
	x := []float64{3.6, 1.8, 3.333, 2.283, 4.533, 2.883, 4.7, 3.6, 1.95, 4.35,
		1.833, 3.917, 4.2, 1.75, 4.7, 2.167, 1.75, 4.8, 1.6, 4.25}
	h1 := kde.CriticalBandwidth(x, 1, kde.CritConfig{})
	h2 := kde.CriticalBandwidth(x, 2, kde.CritConfig{})
	fmt.Printf("h_1 = %.3f, h_2 = %.3f\n", h1, h2)
	for _, e := range kde.Modes(x, h2, kde.Grid{N: 1024}) {
		if e.Mode {
			fmt.Printf("mode at %.2f\n", e.X)
		}
	}
	// Output:
	// h_1 = 0.913, h_2 = 0.263
	// mode at 1.84
	// mode at 4.49
}
