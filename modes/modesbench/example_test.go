package modesbench_test

import (
	"fmt"

	"github.com/ergml/erg/modes/modesbench"
)

func ExampleRun() {
	res, err := modesbench.Run(modesbench.Config{NoPeer: true, Reps: 1, Only: "kde"})
	fmt.Println(err, len(res), res[0].Name, res[0].Pass)
	// Output:
	// <nil> 1 kde true
}
