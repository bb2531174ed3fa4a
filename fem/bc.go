package fem

import (
	"fmt"
	"slices"

	"github.com/ergml/erg/fem/sparse"
)

// Dirichlet fixes u at some dofs: u[Dofs[k]] = Values[k].
type Dirichlet struct {
	Dofs   []int32
	Values []float64
}

// NewDirichlet returns the condition u = g at the given dofs of s (g nil: 0).
// The dofs are sorted and duplicates removed.
func NewDirichlet(s *Space, dofs []int32, g Field) Dirichlet {
	d := slices.Clone(dofs)
	slices.Sort(d)
	d = slices.Compact(d)
	v := make([]float64, len(d))
	for k, i := range d {
		if i < 0 || int(i) >= s.N {
			panic(fmt.Sprintf("fem: NewDirichlet: dof %d out of range [0,%d)", i, s.N))
		}
		v[k] = fieldAtDof(g, s, int(i))
	}
	return Dirichlet{Dofs: d, Values: v}
}

// Mask returns a boolean slice of length n marking the constrained dofs.
func (bc Dirichlet) Mask(n int) []bool {
	m := make([]bool, n)
	for _, i := range bc.Dofs {
		m[i] = true
	}
	return m
}

// Apply imposes the condition on the linear system A u = b, keeping A symmetric
// (as DOLFINx does with lifting): for each constrained dof i, b_j −= a_ji g_i in
// the free rows, row and column i become the unit vector, and b_i = g_i. A must
// have a structurally symmetric pattern.
func (bc Dirichlet) Apply(a *sparse.CSR, b []float64) {
	if len(bc.Dofs) == 0 {
		return
	}
	n := a.Rows
	fixed := make([]bool, n)
	g := make([]float64, n)
	for k, i := range bc.Dofs {
		fixed[i] = true
		g[i] = bc.Values[k]
	}
	for i := 0; i < n; i++ {
		lo, hi := a.RowPtr[i], a.RowPtr[i+1]
		if fixed[i] {
			for p := lo; p < hi; p++ {
				if int(a.ColIdx[p]) == i {
					a.Val[p] = 1
				} else {
					a.Val[p] = 0
				}
			}
			if b != nil {
				b[i] = g[i]
			}
			continue
		}
		for p := lo; p < hi; p++ {
			j := a.ColIdx[p]
			if fixed[j] {
				if b != nil {
					b[i] -= a.Val[p] * g[j]
				}
				a.Val[p] = 0
			}
		}
	}
}

// ApplyMatrix imposes the condition on A alone (rows and columns to unit vectors).
func (bc Dirichlet) ApplyMatrix(a *sparse.CSR) { bc.Apply(a, nil) }

// Set writes the boundary values into u.
func (bc Dirichlet) Set(u []float64) {
	for k, i := range bc.Dofs {
		u[i] = bc.Values[k]
	}
}

// SetZero zeroes u at the constrained dofs (for Newton corrections and residuals).
func (bc Dirichlet) SetZero(u []float64) {
	for _, i := range bc.Dofs {
		u[i] = 0
	}
}
