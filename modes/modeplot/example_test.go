package modeplot_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ergml/erg/modes/modeplot"
)

func ExamplePosteriorK() {
	dir, _ := os.MkdirTemp("", "modeplot")
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "k.png")
	err := modeplot.PosteriorK(p, "number of modes", []int{1, 2, 3}, []float64{0.1, 0.7, 0.2}, []float64{0.6, 0.3, 0.1})
	st, _ := os.Stat(p)
	fmt.Println(err, st.Size() > 1000)
	// Output:
	// <nil> true
}
