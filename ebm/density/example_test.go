package density_test

import (
	"fmt"

	"github.com/ergml/erg/ebm/density"
)

func ExampleSample() {
	s, err := density.Sample("8gaussians", 1000, 1, 0)
	if err != nil {
		panic(err)
	}
	lo, hi := s.Bounds()
	fmt.Println(s.Len(), s.Dim, lo[0] > -4, hi[0] < 4)
	fmt.Println(density.Names())
	// Output:
	// 1000 2 true true
	// [25gaussians 2spirals 8gaussians checkerboard moons pinwheel rings swissroll]
}
