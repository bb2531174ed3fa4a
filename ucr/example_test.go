package ucr_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/ergml/erg/ucr"
)

func ExampleParseTS() {
	const file = `@problemName Toy
@univariate false
@dimensions 2
@equalLength false
@classLabel true up down
@data
1,2,3:3,2,1:up
1,?:2,0:down
`
	d, err := ucr.ParseTS(strings.NewReader(file), "Toy_TRAIN.ts")
	if err != nil {
		log.Fatal(err)
	}
	lo, hi := d.Lengths()
	fmt.Println(d.Name, d.Len(), "cases,", d.Dims(), "dims, lengths", lo, "to", hi, d.Classes)
	fmt.Println(d.X[1][0], d.FillMissing().X[1][0], d.Y[1])
	// Output:
	// Toy 2 cases, 2 dims, lengths 2 to 3 [up down]
	// [1 NaN] [1 1] down
}
