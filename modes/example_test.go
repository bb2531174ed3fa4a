package modes_test

import (
	"fmt"
	"math"

	"github.com/ergml/erg/modes"
)

func ExampleExtrema() {
	// f(x) = exp(-(x-2)²/2) + exp(-(x+2)²/2) on a grid.
	var x, y []float64
	for i := 0; i <= 800; i++ {
		t := -4 + float64(i)/100
		x = append(x, t)
		y = append(y, math.Exp(-(t-2)*(t-2)/2)+math.Exp(-(t+2)*(t+2)/2))
	}
	for _, e := range modes.Extrema(x, y) {
		kind := "antimode"
		if e.Mode {
			kind = "mode"
		}
		fmt.Printf("%-8s at %+.3f\n", kind, e.X)
	}
	// Output:
	// mode     at -1.999
	// antimode at +0.000
	// mode     at +1.999
}
