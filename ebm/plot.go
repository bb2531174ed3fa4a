package ebm

import (
	"fmt"
	"image/color"
	"math"

	"github.com/ergml/erg/figure"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// viridis anchors (matplotlib's colormap at 0, 1/8, ..., 1).
var viridisAnchors = [][3]float64{
	{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
	{39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37},
}

type viridis struct{}

func (viridis) Colors() []color.Color {
	out := make([]color.Color, 256)
	for i := range out {
		t := float64(i) / 255 * float64(len(viridisAnchors)-1)
		k := min(int(t), len(viridisAnchors)-2)
		f := t - float64(k)
		a, b := viridisAnchors[k], viridisAnchors[k+1]
		out[i] = color.RGBA{uint8(a[0] + f*(b[0]-a[0])), uint8(a[1] + f*(b[1]-a[1])), uint8(a[2] + f*(b[2]-a[2])), 255}
	}
	return out
}

// field is a density on an n×n grid, z[i*n+j] at cell (i along x, j along y).
type field struct {
	g Grid
	z []float64
}

func (f field) Dims() (c, r int)   { return f.g.N, f.g.N }
func (f field) Z(c, r int) float64 { return f.z[c*f.g.N+r] }
func (f field) X(c int) float64    { x, _ := f.g.Centre(c, 0); return x }
func (f field) Y(r int) float64    { _, y := f.g.Centre(0, r); return y }

// DensityField returns the normalised model density exp(−U)/Z on the cells of g.
func (m *Model) DensityField(g Grid) ([]float64, error) {
	u, err := m.Energies(g.Points())
	if err != nil {
		return nil, err
	}
	lz := g.LogZ(u)
	z := make([]float64, len(u))
	for i, v := range u {
		z[i] = hostExp(-v - lz)
	}
	return z, nil
}

// Histogram returns the 2-D histogram of the points x (pairs) on the cells of g,
// normalised to a density.
func Histogram(g Grid, x []float64) []float64 {
	z := make([]float64, g.N*g.N)
	hx := (g.Hi[0] - g.Lo[0]) / float64(g.N)
	hy := (g.Hi[1] - g.Lo[1]) / float64(g.N)
	n := len(x) / 2
	for i := range n {
		a := int(math.Floor((x[2*i] - g.Lo[0]) / hx))
		b := int(math.Floor((x[2*i+1] - g.Lo[1]) / hy))
		if a >= 0 && a < g.N && b >= 0 && b < g.N {
			z[a*g.N+b] += 1 / (float64(n) * hx * hy)
		}
	}
	return z
}

func heatPlot(title string, g Grid, z []float64) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	hm := plotter.NewHeatMap(field{g, z}, viridis{})
	hm.Rasterized = true
	p.Add(hm)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = g.Lo[0], g.Hi[0], g.Lo[1], g.Hi[1]
	return p
}

func scatterPlot(title string, box []float64, x []float64, d int) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	n := len(x) / d
	xy := make(plotter.XYs, n)
	for i := range n {
		xy[i].X, xy[i].Y = x[i*d], x[i*d+1]
	}
	sc, err := plotter.NewScatter(xy)
	if err == nil {
		sc.GlyphStyle.Radius = vg.Points(0.8)
		sc.GlyphStyle.Color = color.RGBA{33, 100, 160, 255}
		p.Add(sc)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = box[0], box[1], box[2], box[3]
	return p
}

// savePanels draws plots as a rows×cols table into a PNG of the given cell size.
func savePanels(path string, plots [][]*plot.Plot, cell vg.Length) error {
	if err := figure.SaveGrid(path, plots, cell, cell); err != nil {
		return fmt.Errorf("ebm: %w", err)
	}
	return nil
}

// plotGrid is the resolution of the density pictures.
const plotGrid = 100

// WriteDensityFigure writes a PNG with the data histogram, the learned density and
// the model samples side by side (2-D), or the data and samples as scatter plots of
// their first two coordinates (higher dimensions).
func (m *Model) WriteDensityFigure(path string, data, samples []float64) error {
	d := m.Config.Dim
	box := m.Config.Box
	if d != 2 {
		row := []*plot.Plot{scatterPlot("data (x1, x2)", box[:4], data, d)}
		if samples != nil {
			row = append(row, scatterPlot("model samples (MALA)", box[:4], samples, d))
		}
		return savePanels(path, [][]*plot.Plot{row}, 3.2*vg.Inch)
	}
	g := m.Config.Grid(plotGrid)
	z, err := m.DensityField(g)
	if err != nil {
		return err
	}
	row := []*plot.Plot{heatPlot("data histogram", g, Histogram(g, data)), heatPlot("learned density exp(−U)/Z", g, z)}
	if samples != nil {
		row = append(row, scatterPlot("model samples (MALA)", box, samples, 2))
	}
	return savePanels(path, [][]*plot.Plot{row}, 3.2*vg.Inch)
}
