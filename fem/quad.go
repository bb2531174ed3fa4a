package fem

import (
	"fmt"
	"math"
	"sync"
)

// Quadrature is a rule on a reference cell: the unit interval [0,1] or the
// triangle with vertices (0,0), (1,0), (0,1). Points hold Dim coordinates each.
type Quadrature struct {
	Dim     int
	Points  []float64
	Weights []float64
}

// NumPoints returns the number of quadrature points.
func (q *Quadrature) NumPoints() int { return len(q.Weights) }

var quadCache sync.Map // key [2]int{dim, degree} -> *Quadrature

// QuadratureRule returns a rule on the reference cell of dimension dim exact for
// polynomials of total degree deg. Intervals use Gauss–Legendre; triangles use
// the centroid rule (degree 1), the three-point interior rule (degree 2), the
// six-point rule of Dunavant (1985) (degrees 3–4), and collapsed Gauss–Legendre
// products (Stroud 1971) above.
func QuadratureRule(dim, deg int) *Quadrature {
	if deg < 1 {
		deg = 1
	}
	key := [2]int{dim, deg}
	if q, ok := quadCache.Load(key); ok {
		return q.(*Quadrature)
	}
	var q *Quadrature
	switch dim {
	case 1:
		m := (deg + 2) / 2
		x, w := gaussLegendre(m)
		q = &Quadrature{Dim: 1, Points: x, Weights: w}
	case 2:
		q = triangleRule(deg)
	default:
		panic(fmt.Sprintf("fem: no quadrature in dimension %d", dim))
	}
	quadCache.Store(key, q)
	return q
}

func triangleRule(deg int) *Quadrature {
	switch {
	case deg <= 1:
		return &Quadrature{Dim: 2, Points: []float64{1.0 / 3, 1.0 / 3}, Weights: []float64{0.5}}
	case deg == 2:
		return &Quadrature{Dim: 2,
			Points:  []float64{1.0 / 6, 1.0 / 6, 2.0 / 3, 1.0 / 6, 1.0 / 6, 2.0 / 3},
			Weights: []float64{1.0 / 6, 1.0 / 6, 1.0 / 6}}
	case deg <= 4:
		const (
			a, wa = 0.445948490915965, 0.223381589678011
			b, wb = 0.091576213509771, 0.109951743655322
		)
		return &Quadrature{Dim: 2,
			Points: []float64{a, a, 1 - 2*a, a, a, 1 - 2*a,
				b, b, 1 - 2*b, b, b, 1 - 2*b},
			Weights: []float64{wa / 2, wa / 2, wa / 2, wb / 2, wb / 2, wb / 2}}
	}
	// Collapsed product: ξ = u, η = v(1-u), Jacobian (1-u); exact when deg+1 <= 2m-1.
	m := (deg + 3) / 2
	x, w := gaussLegendre(m)
	q := &Quadrature{Dim: 2}
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			u, v := x[i], x[j]
			q.Points = append(q.Points, u, v*(1-u))
			q.Weights = append(q.Weights, w[i]*w[j]*(1-u))
		}
	}
	return q
}

// gaussLegendre returns the m-point Gauss–Legendre rule on [0,1].
func gaussLegendre(m int) (x, w []float64) {
	x, w = make([]float64, m), make([]float64, m)
	for i := 0; i < m; i++ {
		t := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(m) + 0.5))
		var dp float64
		for it := 0; it < 100; it++ {
			p0, p1 := 1.0, t
			for k := 2; k <= m; k++ {
				p0, p1 = p1, ((2*float64(k)-1)*t*p1-(float64(k)-1)*p0)/float64(k)
			}
			if m == 1 {
				p0, p1 = 1, t
			}
			dp = float64(m) * (t*p1 - p0) / (t*t - 1)
			dt := p1 / dp
			t -= dt
			if math.Abs(dt) < 1e-16 {
				break
			}
		}
		// recompute derivative at the converged point
		p0, p1 := 1.0, t
		for k := 2; k <= m; k++ {
			p0, p1 = p1, ((2*float64(k)-1)*t*p1-(float64(k)-1)*p0)/float64(k)
		}
		if m == 1 {
			p0, p1 = 1, t
		}
		dp = float64(m) * (t*p1 - p0) / (t*t - 1)
		x[m-1-i] = (1 + t) / 2
		w[m-1-i] = 1 / ((1 - t*t) * dp * dp)
	}
	return x, w
}
