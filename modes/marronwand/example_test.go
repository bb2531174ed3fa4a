package marronwand_test

import (
	"fmt"

	"github.com/ergml/erg/modes/marronwand"
)

func ExampleAll() {
	for _, d := range marronwand.All()[5:10] {
		fmt.Printf("%2d %-18s %d modes\n", d.Number, d.Name, d.Modes())
	}
	// Output:
	//  6 Bimodal            2 modes
	//  7 Separated bimodal  2 modes
	//  8 Skewed bimodal     2 modes
	//  9 Trimodal           3 modes
	// 10 Claw               5 modes
}
