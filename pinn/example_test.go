package pinn_test

import (
	"fmt"

	"github.com/ergml/erg/pinn"
)

// The Cole–Hopf solution of the Burgers benchmark at a few points.
func ExampleBurgersExact() {
	for _, p := range [][2]float64{{-0.5, 0.25}, {0.5, 0.75}} {
		u, ux := pinn.BurgersExact(p[0], p[1], pinn.BurgersNu)
		fmt.Printf("u(%.2f, %.2f) = %.6f, u_x = %.4f\n", p[0], p[1], u, ux)
	}
	_, ux := pinn.BurgersExact(0, 0.51, pinn.BurgersNu)
	fmt.Printf("slope at the shock, t = 0.51: %.2f\n", ux)
	// Output:
	// u(-0.50, 0.25) = 0.803198, u_x = 1.2589
	// u(0.50, 0.75) = -0.461413, u_x = 0.8986
	// slope at the shock, t = 0.51: -152.00
}

// The first points of the two-dimensional Sobol' sequence.
func ExampleSobol() {
	p := pinn.Sobol{}.Sample(4, 2, nil)
	for i := 0; i < 4; i++ {
		fmt.Println(p[2*i], p[2*i+1])
	}
	// Output:
	// 0 0
	// 0.5 0.5
	// 0.75 0.25
	// 0.25 0.75
}
