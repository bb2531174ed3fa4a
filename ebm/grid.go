package ebm

import (
	"fmt"
	"math"
)

// Grid is a regular N×N grid of cells on the box [Lo[0], Hi[0]] × [Lo[1], Hi[1]]; the
// partition function is integrated by the midpoint rule on the cell centres.
type Grid struct {
	Lo [2]float64 `json:"lo"`
	Hi [2]float64 `json:"hi"`
	N  int        `json:"n"` // cells per axis
}

func (g Grid) validate() error {
	if g.N < 2 {
		return fmt.Errorf("ebm: grid needs at least 2 cells per axis, got %d", g.N)
	}
	for j := range 2 {
		if !(g.Hi[j] > g.Lo[j]) {
			return fmt.Errorf("ebm: grid axis %d has an empty range [%g, %g]", j+1, g.Lo[j], g.Hi[j])
		}
	}
	return nil
}

// CellArea is the area of one cell.
func (g Grid) CellArea() float64 {
	return (g.Hi[0] - g.Lo[0]) / float64(g.N) * (g.Hi[1] - g.Lo[1]) / float64(g.N)
}

// Centre returns the centre of cell (i, j), i along axis 1 and j along axis 2.
func (g Grid) Centre(i, j int) (x, y float64) {
	hx := (g.Hi[0] - g.Lo[0]) / float64(g.N)
	hy := (g.Hi[1] - g.Lo[1]) / float64(g.N)
	return g.Lo[0] + (float64(i)+0.5)*hx, g.Lo[1] + (float64(j)+0.5)*hy
}

// centres returns the N² cell centres as rows [x, y], j (axis 2) fastest.
func (g Grid) centres() [][]float64 {
	out := make([][]float64, 0, g.N*g.N)
	for i := range g.N {
		for j := range g.N {
			x, y := g.Centre(i, j)
			out = append(out, []float64{x, y})
		}
	}
	return out
}

// Points returns the N² cell centres row-major (x, y pairs, j fastest).
func (g Grid) Points() []float64 {
	out := make([]float64, 0, 2*g.N*g.N)
	for _, c := range g.centres() {
		out = append(out, c...)
	}
	return out
}

// Scaled returns the grid with the box scaled by f about its centre and the cells
// scaled to keep their size (so N grows by f).
func (g Grid) Scaled(f float64) Grid {
	out := g
	for j := range 2 {
		c, h := (g.Lo[j]+g.Hi[j])/2, (g.Hi[j]-g.Lo[j])/2*f
		out.Lo[j], out.Hi[j] = c-h, c+h
	}
	out.N = int(math.Round(float64(g.N) * f))
	return out
}

// LogZ integrates exp(−U) over the grid from the energies u at its Points (midpoint
// rule), returning log Z.
func (g Grid) LogZ(u []float64) float64 {
	m := math.Inf(1)
	for _, v := range u {
		m = min(m, v)
	}
	var s float64
	for _, v := range u {
		s += hostExp(m - v)
	}
	return -m + math.Log(s) + math.Log(g.CellArea())
}
