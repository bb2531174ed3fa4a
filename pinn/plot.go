package pinn

import (
	"image/color"
	"math"

	"github.com/ergml/erg/figure"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Band is a curve with a shaded band, for BandPlot.
type Band struct {
	Name   string
	X, Y   []float64
	Lo, Hi []float64 // band limits (nil: no band)
	Color  color.Color
	Dashed bool
}

// BandPlot draws curves with shaded bands in one panel.
func BandPlot(title, xlabel, ylabel string, bands ...Band) (*plot.Plot, error) {
	pl := plot.New()
	pl.Title.Text = title
	pl.X.Label.Text = xlabel
	pl.Y.Label.Text = ylabel
	for _, b := range bands {
		if b.Lo != nil {
			var pts plotter.XYs
			for i := range b.X {
				pts = append(pts, plotter.XY{X: b.X[i], Y: b.Hi[i]})
			}
			for i := len(b.X) - 1; i >= 0; i-- {
				pts = append(pts, plotter.XY{X: b.X[i], Y: b.Lo[i]})
			}
			poly, err := plotter.NewPolygon(pts)
			if err != nil {
				return nil, err
			}
			r, g, bb, _ := b.Color.RGBA()
			poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bb >> 8), A: 70}
			poly.LineStyle.Width = 0
			pl.Add(poly)
		}
		var pts plotter.XYs
		for i := range b.X {
			pts = append(pts, plotter.XY{X: b.X[i], Y: b.Y[i]})
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = b.Color
		l.Width = vg.Points(1.4)
		if b.Dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		pl.Add(l)
		if b.Name != "" {
			pl.Legend.Add(b.Name, l)
		}
	}
	pl.Add(plotter.NewGrid())
	pl.Legend.Top = true
	pl.Legend.Left = true
	return pl, nil
}

// SavePanels draws the plots in a grid of rows×cols panels of the given size each
// and writes a PNG atomically.
func SavePanels(path string, rows, cols int, w, h vg.Length, panels []*plot.Plot) error {
	return figure.Save(path, w*vg.Length(cols), h*vg.Length(rows), func(dc draw.Canvas) {
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 2, PadY: vg.Millimeter * 2,
			PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter}
		grid := make([][]*plot.Plot, rows)
		for r := range grid {
			grid[r] = make([]*plot.Plot, cols)
			for c := range grid[r] {
				if k := r*cols + c; k < len(panels) {
					grid[r][c] = panels[k]
				}
			}
		}
		cs := plot.Align(grid, tiles, dc)
		for r := range grid {
			for c := range grid[r] {
				if grid[r][c] != nil {
					grid[r][c].Draw(cs[r][c])
				}
			}
		}
	})
}

// gridField is a field on a rectangular grid, for heat maps.
type gridField struct {
	x, y []float64
	z    []float64 // row-major by y then x
}

func (g gridField) Dims() (c, r int)   { return len(g.x), len(g.y) }
func (g gridField) Z(c, r int) float64 { return g.z[r*len(g.x)+c] }
func (g gridField) X(c int) float64    { return g.x[c] }
func (g gridField) Y(r int) float64    { return g.y[r] }

// HeatMap returns a heat-map panel and its colour bar for a field z on the grid
// xs × ys (z row-major by y then x, len(xs)·len(ys) values); draw the pair with
// SaveHeatPanels.
func HeatMap(title, xlabel, ylabel string, xs, ys, z []float64, pal palette.Palette) []*plot.Plot {
	return heatMap(title, xlabel, ylabel, xs, ys, z, pal, false)
}

// HeatMapSym is HeatMap with a colour scale symmetric about zero, for signed errors
// drawn with a diverging palette.
func HeatMapSym(title, xlabel, ylabel string, xs, ys, z []float64, pal palette.Palette) []*plot.Plot {
	return heatMap(title, xlabel, ylabel, xs, ys, z, pal, true)
}

func heatMap(title, xlabel, ylabel string, xs, ys, z []float64, pal palette.Palette, sym bool) []*plot.Plot {
	g := gridField{x: xs, y: ys, z: z}
	nodal := z
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range nodal {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if sym {
		m := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -m, m
	}
	if hi <= lo {
		hi = lo + 1e-12
	}
	h := plotter.NewHeatMap(g, pal)
	h.Min, h.Max = lo, hi
	pl := plot.New()
	pl.Title.Text = title
	pl.X.Label.Text = xlabel
	pl.Y.Label.Text = ylabel
	pl.Add(h)
	cb := plot.New()
	cm := cmapOf(pal)
	cm.SetMin(lo)
	cm.SetMax(hi)
	bar := &plotter.ColorBar{ColorMap: cm, Vertical: true}
	cb.Add(bar)
	cb.HideX()
	cb.Y.Padding = 0
	cb.Title.Text = " "
	return []*plot.Plot{pl, cb}
}

// cmapOf wraps a palette as a colour map with linear interpolation.
func cmapOf(p palette.Palette) palette.ColorMap {
	return &paletteMap{cols: p.Colors()}
}

type paletteMap struct {
	cols     []color.Color
	min, max float64
	alpha    float64
}

func (m *paletteMap) At(v float64) (color.Color, error) {
	if m.max <= m.min {
		return m.cols[0], nil
	}
	f := (v - m.min) / (m.max - m.min)
	f = math.Max(0, math.Min(1, f))
	i := int(math.Round(f * float64(len(m.cols)-1)))
	return m.cols[i], nil
}
func (m *paletteMap) SetMax(v float64)   { m.max = v }
func (m *paletteMap) SetMin(v float64)   { m.min = v }
func (m *paletteMap) Max() float64       { return m.max }
func (m *paletteMap) Min() float64       { return m.min }
func (m *paletteMap) SetAlpha(a float64) { m.alpha = a }
func (m *paletteMap) Alpha() float64     { return m.alpha }
func (m *paletteMap) Palette(n int) palette.Palette {
	return palette.Palette(&simplePalette{m.cols})
}

type simplePalette struct{ c []color.Color }

func (p *simplePalette) Colors() []color.Color { return p.c }

// SaveHeatPanels draws rows×cols heat maps, each a (map, colour bar) pair from
// HeatMap, into a PNG written atomically.
func SaveHeatPanels(path string, rows, cols int, panels []*plot.Plot) error {
	const pw, ph = 3.3 * vg.Inch, 3 * vg.Inch
	return figure.Save(path, pw*vg.Length(cols), ph*vg.Length(rows), func(dc draw.Canvas) {
		for k := 0; k < len(panels)/2; k++ {
			r, c := k/cols, k%cols
			x0 := pw * vg.Length(c)
			y0 := ph * vg.Length(rows-1-r)
			main := draw.Crop(dc, x0, x0+pw*0.8-dc.Max.X, y0, y0+ph-dc.Max.Y)
			bar := draw.Crop(dc, x0+pw*0.8, x0+pw-dc.Max.X, y0+vg.Millimeter*9, y0+ph-vg.Millimeter*4-dc.Max.Y)
			panels[2*k].Draw(main)
			panels[2*k+1].Draw(bar)
		}
	})
}
