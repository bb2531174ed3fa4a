package cd_test

import (
	"fmt"
	"log"

	"github.com/ergml/erg/tsc/cd"
)

func ExampleAnalyze() {
	datasets := []string{"A", "B", "C", "D", "E", "F"}
	models := []string{"fcn", "resnet", "minirocket"}
	acc := [][]float64{
		{0.90, 0.92, 0.95},
		{0.80, 0.85, 0.84},
		{0.70, 0.72, 0.80},
		{0.95, 0.96, 0.99},
		{0.60, 0.58, 0.70},
		{0.88, 0.90, 0.93},
	}
	a, err := cd.Analyze(datasets, models, acc, cd.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for i, m := range a.Models {
		fmt.Printf("%s %.3f\n", m, a.AvgRanks[i])
	}
	fmt.Printf("Friedman chi2 %.3f p %.4f\n", a.Friedman.ChiSquare, a.Friedman.P)
	fmt.Printf("CD %.3f\n", a.CD)
	// Output:
	// minirocket 1.167
	// resnet 2.000
	// fcn 2.833
	// Friedman chi2 8.333 p 0.0155
	// CD 1.353
}
