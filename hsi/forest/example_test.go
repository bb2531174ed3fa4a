package forest_test

import (
	"fmt"

	"github.com/ergml/erg/hsi/forest"
)

func ExampleTrain() {
	x := []float64{0, 0, 0.1, 0.2, 0.2, 0.1, 1, 1, 0.9, 1.1, 1.1, 0.9}
	y := []int{1, 1, 1, 2, 2, 2}
	f, _ := forest.Train(x, 2, y, forest.Config{Trees: 20, Seed: 1})
	fmt.Println(f.PredictAll([]float64{0.05, 0.1, 1, 0.95}, nil))
	// Output: [1 2]
}
