package ctf_test

import (
	"fmt"

	"github.com/ergml/erg/analog/ctf"
)

// Ten 10 µs pulses keep more of the conserved shift than a hundred 1 µs pulses.
func ExampleParams_Ratio() {
	p := ctf.Default()
	fmt.Printf("100 x 1 µs: %.3f\n", p.Ratio(100, 1, 100))
	fmt.Printf(" 10 x 10 µs: %.3f\n", p.Ratio(10, 10, 100))
	// Output:
	// 100 x 1 µs: 0.299
	//  10 x 10 µs: 0.921
}
