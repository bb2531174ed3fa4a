package pinn

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
)

// Sampler draws points in the unit cube [0, 1)^D; Box maps them to a domain.
type Sampler interface {
	// Sample returns n points, row-major [n, dim].
	Sample(n, dim int, rng *rand.Rand) []float64
}

// Uniform draws independent uniform points.
type Uniform struct{}

// Sample implements Sampler.
func (Uniform) Sample(n, dim int, rng *rand.Rand) []float64 {
	out := make([]float64, n*dim)
	for i := range out {
		out[i] = rng.Float64()
	}
	return out
}

// LatinHypercube draws a Latin hypercube sample (McKay, Beckman & Conover 1979):
// along every coordinate each of the n strata [k/n, (k+1)/n) holds exactly one
// point, placed uniformly inside it, the strata of different coordinates paired by
// independent random permutations.
type LatinHypercube struct{}

// Sample implements Sampler.
func (LatinHypercube) Sample(n, dim int, rng *rand.Rand) []float64 {
	out := make([]float64, n*dim)
	for d := 0; d < dim; d++ {
		perm := rng.Perm(n)
		for i := 0; i < n; i++ {
			out[i*dim+d] = (float64(perm[i]) + rng.Float64()) / float64(n)
		}
	}
	return out
}

// Sobol is the Sobol' low-discrepancy sequence with the direction numbers of Joe &
// Kuo (new-joe-kuo-6.21201, the table SciPy's qmc.Sobol uses) for up to 10
// dimensions, generated in Gray-code order (Antonov & Saleev 1979). Without
// Scramble the points are the plain sequence starting at 0 (SciPy's
// scramble=False); with Scramble a uniform random digital shift (XOR of every
// coordinate with a random 52-bit number) randomises it while keeping its
// stratification. Skip drops the first points of the sequence.
type Sobol struct {
	Scramble bool
	Skip     int
}

// Joe–Kuo direction number parameters for dimensions 2..10: degree s, coefficient
// a and the initial m_1..m_s.
var sobolParams = []struct {
	s, a int
	m    []uint64
}{
	{1, 0, []uint64{1}},
	{2, 1, []uint64{1, 3}},
	{3, 1, []uint64{1, 3, 1}},
	{3, 2, []uint64{1, 1, 1}},
	{4, 1, []uint64{1, 1, 3, 3}},
	{4, 4, []uint64{1, 3, 5, 13}},
	{5, 2, []uint64{1, 1, 5, 5, 17}},
	{5, 4, []uint64{1, 1, 5, 5, 5}},
	{5, 7, []uint64{1, 1, 7, 11, 19}},
}

// MaxSobolDim is the largest dimension Sobol supports.
const MaxSobolDim = 10

const sobolBits = 52

// sobolDirections returns the direction numbers v[d][k] (scaled to 2^52) for dim dimensions.
func sobolDirections(dim int) [][]uint64 {
	v := make([][]uint64, dim)
	for d := range v {
		v[d] = make([]uint64, sobolBits)
		if d == 0 {
			for k := 0; k < sobolBits; k++ {
				v[d][k] = 1 << (sobolBits - 1 - k)
			}
			continue
		}
		p := sobolParams[d-1]
		m := make([]uint64, sobolBits)
		copy(m, p.m)
		for k := p.s; k < sobolBits; k++ {
			x := m[k-p.s] ^ (m[k-p.s] << p.s)
			for j := 1; j < p.s; j++ {
				if (p.a>>(p.s-1-j))&1 == 1 {
					x ^= m[k-j] << j
				}
			}
			m[k] = x
		}
		for k := 0; k < sobolBits; k++ {
			v[d][k] = m[k] << (sobolBits - 1 - k)
		}
	}
	return v
}

// Sample implements Sampler. It panics if dim > MaxSobolDim.
func (s Sobol) Sample(n, dim int, rng *rand.Rand) []float64 {
	if dim > MaxSobolDim {
		panic(fmt.Sprintf("pinn: Sobol supports up to %d dimensions, got %d", MaxSobolDim, dim))
	}
	v := sobolDirections(dim)
	shift := make([]uint64, dim)
	if s.Scramble {
		for d := range shift {
			shift[d] = rng.Uint64() >> (64 - sobolBits)
		}
	}
	x := make([]uint64, dim)
	out := make([]float64, 0, n*dim)
	const scale = 1.0 / (1 << sobolBits)
	for i := 0; i < s.Skip+n; i++ {
		if i >= s.Skip {
			for d := 0; d < dim; d++ {
				out = append(out, float64(x[d]^shift[d])*scale)
			}
		}
		c := bits.TrailingZeros64(^uint64(i)) // lowest zero bit of i
		for d := 0; d < dim; d++ {
			x[d] ^= v[d][c]
		}
	}
	return out
}

// NewSampler returns the sampler named "uniform", "lhs" (Latin hypercube) or
// "sobol" (scrambled by a random digital shift).
func NewSampler(name string) (Sampler, error) {
	switch strings.ToLower(name) {
	case "uniform", "random":
		return Uniform{}, nil
	case "lhs", "latin", "latin-hypercube":
		return LatinHypercube{}, nil
	case "sobol":
		return Sobol{Scramble: true}, nil
	}
	return nil, fmt.Errorf("pinn: unknown sampler %q (want uniform, lhs or sobol)", name)
}

// Box is an axis-aligned box [Lo_i, Hi_i].
type Box struct{ Lo, Hi []float64 }

// Dim is the number of coordinates.
func (b Box) Dim() int { return len(b.Lo) }

// Map maps unit-cube points (row-major [n, Dim]) into the box, in place, and returns them.
func (b Box) Map(p []float64) []float64 {
	d := b.Dim()
	for i := range p {
		k := i % d
		p[i] = b.Lo[k] + (b.Hi[k]-b.Lo[k])*p[i]
	}
	return p
}

// Sample draws n points in the box with s.
func (b Box) Sample(s Sampler, n int, rng *rand.Rand) []float64 {
	return b.Map(s.Sample(n, b.Dim(), rng))
}

// Face returns n points on the face where coordinate k equals value (Lo[k] or
// Hi[k]), the other coordinates drawn with s.
func (b Box) Face(s Sampler, k int, value float64, n int, rng *rand.Rand) []float64 {
	d := b.Dim()
	if d == 1 {
		out := make([]float64, n)
		for i := range out {
			out[i] = value
		}
		return out
	}
	sub := Box{}
	for j := 0; j < d; j++ {
		if j != k {
			sub.Lo = append(sub.Lo, b.Lo[j])
			sub.Hi = append(sub.Hi, b.Hi[j])
		}
	}
	q := sub.Sample(s, n, rng)
	out := make([]float64, 0, n*d)
	for i := 0; i < n; i++ {
		for j, c := 0, 0; j < d; j++ {
			if j == k {
				out = append(out, value)
			} else {
				out = append(out, q[i*(d-1)+c])
				c++
			}
		}
	}
	return out
}
