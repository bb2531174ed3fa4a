package simstudy_test

import (
	"fmt"

	"github.com/ergml/erg/modes/simstudy"
)

func ExampleRun() {
	t, err := simstudy.Run(simstudy.Config{Densities: []int{7}, Ns: []int{200}, Reps: 5, Methods: []string{"dip"}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := t.Cells[0]
	fmt.Printf("%s (%d modes), n=%d: dip right in %d of %d\n", c.Name, c.TrueModes, c.N, c.Correct, c.Reps)
	// Output:
	// Separated bimodal (2 modes), n=200: dip right in 5 of 5
}
