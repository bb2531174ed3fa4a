package svm_test

import (
	"fmt"

	"github.com/ergml/erg/hsi/svm"
)

func ExampleTrain() {
	// two classes on a line, one-vs-one with an RBF kernel.
	x := []float64{0, 0.2, 0.4, 1.6, 1.8, 2}
	y := []int{1, 1, 1, 2, 2, 2}
	m, err := svm.Train(x, 1, y, svm.Config{C: 10, Gamma: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Predict([]float64{0.1}), m.Predict([]float64{1.9}))
	// Output: 1 2
}
