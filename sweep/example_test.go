package sweep_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ergml/erg/sweep"
)

// A grid file with a cell of an unknown capability is refused before anything is
// enqueued; the error names the file, the line and the field.
func ExampleParseGrid() {
	grid := `{
  "id": "demo",
  "cells": [
    {"id": "a", "capability": "sleep", "seed": 1, "config": {"ms": 10}},
    {"id": "b", "capability": "sleeep", "seed": 2}
  ]
}`
	_, err := sweep.ParseGrid("demo.json", []byte(grid))
	fmt.Println(err)
	// Output:
	// demo.json:5: cells[1].capability "sleeep": unknown capability; registered: noop, sleep, spin
}

// Run runs a grid with an embedded server and local workers in a sweep directory;
// running it again on the same directory resumes (here: finds everything done).
func ExampleRun() {
	tmp, _ := os.MkdirTemp("", "sweep-example-")
	defer os.RemoveAll(tmp)
	g := &sweep.Grid{ID: "example"}
	for i := range 4 {
		g.Cells = append(g.Cells, sweep.Cell{ID: fmt.Sprintf("cell%d", i), Capability: "noop", Seed: uint64(i)})
	}
	dir := filepath.Join(tmp, "sweep")
	sum, err := sweep.Run(context.Background(), sweep.RunConfig{Grid: g, Dir: dir, Workers: 2, Quiet: true, NoMeter: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d cells: %d done, %d failed\n", sum.Cells, sum.Done, sum.Failed)
	fmt.Println(string(sum.Results[3].Output))
	sum, err = sweep.Run(context.Background(), sweep.RunConfig{Dir: dir, Workers: 2, Quiet: true, NoMeter: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("resumed: %d had results before\n", sum.Before)
	// Output:
	// 4 cells: 4 done, 0 failed
	// {"seed":3}
	// resumed: 4 had results before
}
