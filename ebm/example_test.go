package ebm_test

import (
	"context"
	"fmt"
	"github.com/ergml/erg/run"
	"os"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/ebm"
)

// Train a small energy on the two-moons density with energy discrepancy, then read the
// held-out NLL from its evaluation.
func ExampleTrain() {
	dir, _ := os.MkdirTemp("", "ebm-example")
	defer os.RemoveAll(dir)
	cfg := ebm.Config{Data: "moons", Loss: "ed", Steps: 300, Batch: 128, LR: 3e-3,
		Energy: ebm.MLPConfig{Hidden: []int{32, 32}}}
	out, err := ebm.Train(context.Background(), backend.Must("go:ops_sequential"), cfg,
		ebm.Options{Options: run.Options{Root: dir, Quiet: true, NoMeter: true}, Eval: ebm.EvalConfig{Grid: 64, NoMMD: true}})
	if err != nil {
		panic(err)
	}
	nll := out.Eval.NLL
	// Between the data's own entropy (about 2.3 nats: two arcs of total length 4π
	// with noise of sd 0.2) and a uniform density on the box (3.8 nats).
	fmt.Println(nll.Grid, nll.NLL > 2.3 && nll.NLL < 3.8)
	// Output:
	// 64 true
}
