package modesbench_test

import (
	"context"
	"fmt"

	"github.com/ergml/erg/modes/modesbench"
)

func ExampleRun() {
	rep, err := modesbench.Run(context.Background(), modesbench.Config{NoPeer: true, Reps: 1, Only: "kde"})
	fmt.Println(err, len(rep.Figures), rep.Figures[0].Name, rep.Extra["pass"].(map[string]bool)["kde"])
	// Output:
	// <nil> 1 kde true
}
