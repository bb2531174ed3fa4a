package rdata_test

import (
	"fmt"

	"github.com/ergml/erg/modes/rdata"
)

func ExampleLookup() {
	s, _ := rdata.Lookup("stamps")
	fmt.Println(s.File, s.Columns)
	fmt.Println(rdata.Names())
	// Output:
	// stamps.csv [thickness]
	// [acidity faithful galaxies geyser stamps]
}
