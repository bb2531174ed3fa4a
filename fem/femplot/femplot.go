// Package femplot draws finite-element solutions of package fem: a heat map of
// a 2-D solution (any triangle mesh, P1 or P2, sampled on a pixel grid) or a
// line plot of a 1-D one, written as PNG with gonum/plot.
//
// References:
//   - K. Moreland, Diverging color maps for scientific visualization, ISVC
//     (2009) (the colour map).
package femplot

import (
	"fmt"
	"image/color"
	"math"

	"github.com/ergml/erg/figure"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ergml/erg/fem"
)

// Options configures Save. The zero value gives a 6-inch-wide figure sampled
// on a 300×300 grid with no title.
type Options struct {
	Title string
	// Grid is the number of samples per axis of the heat map (0: 300).
	Grid int
	// Width is the figure width (0: 6 inches).
	Width vg.Length
}

// Save writes a PNG plot of u (dof values on s) to path, atomically.
func Save(path string, s *fem.Space, u []float64, opt Options) error {
	if opt.Width == 0 {
		opt.Width = 6 * vg.Inch
	}
	var w, h vg.Length
	var drawFn func(draw.Canvas)
	if s.Mesh.Dim == 1 {
		p := plot.New()
		p.Title.Text = opt.Title
		p.X.Label.Text = "x"
		p.Y.Label.Text = "u"
		xy := make(plotter.XYs, 0, s.N)
		// P1 dofs are the nodes in order; sample each cell at its dofs' positions
		for ci := 0; ci < s.Mesh.NumCells(); ci++ {
			dofs := s.Cell(ci)
			a, b := dofs[0], dofs[1]
			if ci == 0 {
				xy = append(xy, plotter.XY{X: s.X[a], Y: u[a]})
			}
			if len(dofs) == 3 {
				m := dofs[2]
				xy = append(xy, plotter.XY{X: s.X[m], Y: u[m]})
			}
			xy = append(xy, plotter.XY{X: s.X[b], Y: u[b]})
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return fmt.Errorf("femplot: %w", err)
		}
		l.Color = color.RGBA{B: 200, A: 255}
		p.Add(l, plotter.NewGrid())
		w, h, drawFn = opt.Width, opt.Width*2/3, p.Draw
	} else {
		g := Sample(s, u, opt.Grid)
		cm := moreland.SmoothBlueRed()
		cm.SetMin(g.Min)
		cm.SetMax(g.Max)
		if g.Max == g.Min {
			cm.SetMax(g.Min + 1)
		}
		hm := plotter.NewHeatMap(g, cm.Palette(255))
		hm.Min, hm.Max = cm.Min(), cm.Max()
		hm.NaN = color.Transparent
		hm.Rasterized = true
		p := plot.New()
		p.Title.Text = opt.Title
		p.X.Label.Text = "x"
		p.Y.Label.Text = "y"
		p.X.Padding, p.Y.Padding = 0, 0
		p.Add(hm)
		cb := plot.New()
		bar := &plotter.ColorBar{ColorMap: cm, Vertical: true}
		cb.Add(bar)
		cb.HideX()
		cb.Y.Padding = 0
		cb.Title.Text = "u"
		// keep the domain's aspect ratio (within limits) for the plot area
		aspect := math.Max(0.4, math.Min(1.5, (g.DY*float64(g.NY))/(g.DX*float64(g.NX))))
		w, h = opt.Width, vg.Length(float64(opt.Width)*0.83*aspect)+vg.Inch
		drawFn = func(dc draw.Canvas) {
			p.Draw(draw.Crop(dc, 0, -w*0.17, 0, 0))
			cb.Draw(draw.Crop(dc, w*0.86, -w*0.03, 0, 0))
		}
	}
	if err := figure.Save(path, w, h, drawFn); err != nil {
		return fmt.Errorf("femplot: %w", err)
	}
	return nil
}

// Grid is a solution sampled at the centres of a regular pixel grid; NaN
// marks pixels outside the mesh. It implements plotter.GridXYZ.
type Grid struct {
	NX, NY         int
	X0, Y0, DX, DY float64
	Values         []float64 // row-major: NY rows of NX
	Min, Max       float64   // range of the finite values
}

var _ plotter.GridXYZ = (*Grid)(nil)

// Dims implements plotter.GridXYZ.
func (g *Grid) Dims() (c, r int) { return g.NX, g.NY }

// Z implements plotter.GridXYZ.
func (g *Grid) Z(c, r int) float64 { return g.Values[r*g.NX+c] }

// X implements plotter.GridXYZ.
func (g *Grid) X(c int) float64 { return g.X0 + (float64(c)+0.5)*g.DX }

// Y implements plotter.GridXYZ.
func (g *Grid) Y(r int) float64 { return g.Y0 + (float64(r)+0.5)*g.DY }

// Sample evaluates u on an n×n pixel grid over the bounding box of the 2-D mesh
// of s (n = 0: 300), cell by cell with the element basis.
func Sample(s *fem.Space, u []float64, n int) *Grid {
	if s.Mesh.Dim != 2 {
		panic("femplot: Sample needs a 2-D space")
	}
	if n <= 0 {
		n = 300
	}
	m := s.Mesh
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := 0; i < m.NumNodes(); i++ {
		p := m.Node(i)
		x0, x1 = math.Min(x0, p[0]), math.Max(x1, p[0])
		y0, y1 = math.Min(y0, p[1]), math.Max(y1, p[1])
	}
	g := &Grid{NX: n, NY: n, X0: x0, Y0: y0, DX: (x1 - x0) / float64(n), DY: (y1 - y0) / float64(n), Values: make([]float64, n*n)}
	for i := range g.Values {
		g.Values[i] = math.NaN()
	}
	phi := make([]float64, s.Local)
	for c := 0; c < m.NumCells(); c++ {
		v := m.Cell(c)
		ax, ay := m.X[2*v[0]], m.X[2*v[0]+1]
		bx, by := m.X[2*v[1]]-ax, m.X[2*v[1]+1]-ay
		cx, cy := m.X[2*v[2]]-ax, m.X[2*v[2]+1]-ay
		det := bx*cy - cx*by
		lo := func(a, b, c float64) float64 { return math.Min(a, math.Min(b, c)) }
		hi := func(a, b, c float64) float64 { return math.Max(a, math.Max(b, c)) }
		i0 := max(0, int(math.Floor((lo(ax, ax+bx, ax+cx)-x0)/g.DX-0.5)))
		i1 := min(n-1, int(math.Ceil((hi(ax, ax+bx, ax+cx)-x0)/g.DX-0.5)))
		j0 := max(0, int(math.Floor((lo(ay, ay+by, ay+cy)-y0)/g.DY-0.5)))
		j1 := min(n-1, int(math.Ceil((hi(ay, ay+by, ay+cy)-y0)/g.DY-0.5)))
		dofs := s.Cell(c)
		for j := j0; j <= j1; j++ {
			py := g.Y(j) - ay
			for i := i0; i <= i1; i++ {
				px := g.X(i) - ax
				xi := (px*cy - cx*py) / det
				eta := (bx*py - px*by) / det
				const eps = -1e-9
				if xi < eps || eta < eps || 1-xi-eta < eps {
					continue
				}
				s.Elem.Eval([]float64{xi, eta}, phi, nil)
				val := 0.0
				for a, d := range dofs {
					val += phi[a] * u[d]
				}
				g.Values[j*n+i] = val
			}
		}
	}
	g.Min, g.Max = math.Inf(1), math.Inf(-1)
	for _, v := range g.Values {
		if !math.IsNaN(v) {
			g.Min, g.Max = math.Min(g.Min, v), math.Max(g.Max, v)
		}
	}
	if math.IsInf(g.Min, 0) {
		g.Min, g.Max = 0, 0
	}
	return g
}
