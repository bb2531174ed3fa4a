package tsc_test

import (
	"fmt"

	"github.com/ergml/erg/tsc"
)

func ExampleNewConfusion() {
	truth := []string{"walk", "walk", "run", "run", "rest"}
	pred := []string{"walk", "run", "run", "run", "rest"}
	c := tsc.NewConfusion([]string{"rest", "run", "walk"}, pred, truth)
	fmt.Println("accuracy", tsc.Accuracy(pred, truth))
	for i, row := range c.Counts {
		fmt.Println(c.Classes[i], row)
	}
	// Output:
	// accuracy 0.8
	// rest [1 0 0]
	// run [0 2 0]
	// walk [0 1 1]
}
