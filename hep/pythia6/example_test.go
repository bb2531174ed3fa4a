package pythia6_test

import (
	"fmt"
	"strings"

	"github.com/ergml/erg/hep/pythia6"
)

func ExampleReader() {
	stream := "S MSEL 6\nE 1 2 1\nH 6 100 0 0 200\nP 50 0 0 50\nP 40 10 0 41.3\nEND 1\n"
	r := pythia6.NewReader(strings.NewReader(stream), "example")
	var ev pythia6.Event
	for r.Next(&ev) == nil {
		fmt.Printf("event %d: %d particles, hard parton %d\n", ev.Number, len(ev.Particles), ev.Hard[0].KF)
	}
	fmt.Println(r.Settings())
	// Output:
	// event 1: 2 particles, hard parton 6
	// [{MSEL 6}]
}
