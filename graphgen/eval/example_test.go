package eval_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/graphgen/baseline"
	"github.com/ergml/erg/graphgen/dataset"
	"github.com/ergml/erg/graphgen/eval"
)

func ExampleEvaluate() {
	s, _ := dataset.Make("community-small", 1)
	sp, _ := dataset.SplitSet(s.Graphs, "graphrnn", 1)
	m, _ := baseline.Fit("er", sp.Train)
	gen := m.Sample(40, rand.New(rand.NewPCG(1, 1)))
	res, err := eval.Evaluate(sp.Test, gen, eval.Options{Kernels: []string{"graphrnn"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.NRef, res.NGen, res.Kernels["clustering"]["graphrnn"].Kernel, res.MMD["degree"]["graphrnn"] > 0)
	// Output: 20 40 gaussian_emd true
}

func ExamplePlanar() {
	s, _ := dataset.Make("planar", 1)
	g := s.Graphs[0]
	fmt.Println(eval.Planar(g), g.Connected())
	// Output: true true
}
