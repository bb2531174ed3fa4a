package fem

import (
	"math"
	"testing"
)

// Each rule integrates monomials up to its degree exactly: on the reference
// triangle ∫ ξ^a η^b = a! b! / (a+b+2)!, on [0,1] ∫ x^a = 1/(a+1).
func TestQuadratureExact(t *testing.T) {
	const tol = 1e-14
	fact := func(n int) float64 { return math.Gamma(float64(n) + 1) }
	for deg := 1; deg <= 10; deg++ {
		q := QuadratureRule(2, deg)
		for a := 0; a <= deg; a++ {
			for b := 0; a+b <= deg; b++ {
				got := 0.0
				for k, w := range q.Weights {
					got += w * math.Pow(q.Points[2*k], float64(a)) * math.Pow(q.Points[2*k+1], float64(b))
				}
				want := fact(a) * fact(b) / fact(a+b+2)
				if math.Abs(got-want) > tol {
					t.Errorf("triangle degree %d: ∫ξ^%dη^%d = %.16g, want %.16g", deg, a, b, got, want)
				}
			}
		}
		q1 := QuadratureRule(1, deg)
		for a := 0; a <= deg; a++ {
			got := 0.0
			for k, w := range q1.Weights {
				got += w * math.Pow(q1.Points[k], float64(a))
			}
			if want := 1 / float64(a+1); math.Abs(got-want) > tol {
				t.Errorf("interval degree %d: ∫x^%d = %.16g, want %.16g", deg, a, got, want)
			}
		}
	}
}
