package dataset_test

import (
	"fmt"

	"github.com/ergml/erg/graphgen/dataset"
)

func ExampleMake() {
	s, err := dataset.Make("planar", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	sp, _ := dataset.SplitSet(s.Graphs, dataset.DefaultScheme("planar"), 1)
	fmt.Println(len(s.Graphs), s.Graphs[0].N(), len(sp.Train), len(sp.Val), len(sp.Test))
	// Output: 200 64 128 32 40
}
