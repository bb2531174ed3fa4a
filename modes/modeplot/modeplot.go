package modeplot

import (
	"fmt"
	"image/color"
	"math"

	"github.com/ergml/erg/figure"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ergml/erg/modes/kde"
)

// Curve is a named function tabulated on X.
type Curve struct {
	Name string
	X, Y []float64
}

// Band is a pointwise band Lo <= f <= Hi on X.
type Band struct {
	Name      string
	X, Lo, Hi []float64
}

// DensityFig is a density figure.
type DensityFig struct {
	Title, XLabel    string
	Data             []float64 // drawn as a rug
	Curves           []Curve
	Band             *Band
	Modes, Antimodes []float64 // vertical lines
}

// Density writes the density figure to path.
func Density(path string, f DensityFig) error {
	p := plot.New()
	p.Title.Text = f.Title
	p.X.Label.Text = f.XLabel
	p.Y.Label.Text = "density"
	ymax := 0.0
	if f.Band != nil {
		var poly plotter.XYs
		for i := range f.Band.X {
			poly = append(poly, plotter.XY{X: f.Band.X[i], Y: f.Band.Hi[i]})
			ymax = math.Max(ymax, f.Band.Hi[i])
		}
		for i := len(f.Band.X) - 1; i >= 0; i-- {
			poly = append(poly, plotter.XY{X: f.Band.X[i], Y: f.Band.Lo[i]})
		}
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return err
		}
		pg.Color = color.NRGBA{R: 120, G: 160, B: 230, A: 110}
		pg.LineStyle.Width = 0
		p.Add(pg)
		if f.Band.Name != "" {
			p.Legend.Add(f.Band.Name, pg)
		}
	}
	for i, c := range f.Curves {
		l, err := plotter.NewLine(xy(c.X, c.Y))
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.4)
		if i > 0 {
			l.Dashes = plotutil.Dashes(i)
		}
		p.Add(l)
		if c.Name != "" {
			p.Legend.Add(c.Name, l)
		}
		for _, y := range c.Y {
			ymax = math.Max(ymax, y)
		}
	}
	if ymax == 0 {
		ymax = 1
	}
	vline := func(xs []float64, col color.Color, dash []vg.Length, name string) error {
		for j, x := range xs {
			l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: ymax * 1.02}})
			if err != nil {
				return err
			}
			l.Color = col
			l.Dashes = dash
			l.Width = vg.Points(0.8)
			p.Add(l)
			if j == 0 && name != "" {
				p.Legend.Add(name, l)
			}
		}
		return nil
	}
	if err := vline(f.Modes, color.RGBA{R: 200, A: 255}, []vg.Length{vg.Points(4), vg.Points(2)}, "modes"); err != nil {
		return err
	}
	if err := vline(f.Antimodes, color.RGBA{G: 130, A: 255}, []vg.Length{vg.Points(1), vg.Points(2)}, "antimodes"); err != nil {
		return err
	}
	if len(f.Data) > 0 {
		var pts plotter.XYs
		for _, x := range f.Data {
			pts = append(pts, plotter.XY{X: x, Y: -0.02 * ymax})
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.GlyphStyle.Shape = draw.BoxGlyph{}
		s.GlyphStyle.Radius = vg.Points(0.8)
		s.GlyphStyle.Color = color.Gray{Y: 60}
		p.Add(s)
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return save(p, path, 7, 4)
}

// PosteriorK draws posterior (and, when prior is not nil, prior) probabilities of the
// number of modes k = ks[i].
func PosteriorK(path, title string, ks []int, post, prior []float64) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "number of modes"
	p.Y.Label.Text = "probability"
	w := vg.Points(14)
	bp, err := plotter.NewBarChart(plotter.Values(post), w)
	if err != nil {
		return err
	}
	bp.Color = plotutil.Color(0)
	bp.LineStyle.Width = 0
	p.Add(bp)
	p.Legend.Add("posterior", bp)
	if prior != nil {
		bp.Offset = -w / 2
		pr, err := plotter.NewBarChart(plotter.Values(prior), w)
		if err != nil {
			return err
		}
		pr.Offset = w / 2
		pr.Color = color.Gray{Y: 170}
		pr.LineStyle.Width = 0
		p.Add(pr)
		p.Legend.Add("prior", pr)
	}
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = fmt.Sprint(k)
	}
	p.NominalX(names...)
	p.Y.Min = 0
	p.Legend.Top = true
	return save(p, path, 5, 3.5)
}

// Histogram draws a histogram of values (for example the posterior of mode locations)
// with the data as a rug.
func Histogram(path, title, xlabel string, values []float64, bins int, data []float64) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = "density"
	if len(values) == 0 {
		values = []float64{math.NaN()}
	}
	h, err := plotter.NewHist(plotter.Values(finite(values)), bins)
	if err != nil {
		return err
	}
	h.Normalize(1)
	h.FillColor = color.NRGBA{R: 120, G: 160, B: 230, A: 200}
	p.Add(h)
	if len(data) > 0 {
		ymax := 0.0
		for _, b := range h.Bins {
			ymax = math.Max(ymax, b.Weight)
		}
		var pts plotter.XYs
		for _, x := range data {
			pts = append(pts, plotter.XY{X: x, Y: -0.02 * ymax})
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.GlyphStyle.Radius = vg.Points(0.8)
		s.GlyphStyle.Shape = draw.BoxGlyph{}
		p.Add(s)
	}
	return save(p, path, 7, 3.5)
}

// ModeTree draws the mode locations against the bandwidth (log scale), with the critical
// bandwidths as horizontal lines.
func ModeTree(path, title string, t *kde.ModeTree) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "mode location"
	p.Y.Label.Text = "bandwidth h"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	var pts plotter.XYs
	for i, h := range t.H {
		for _, m := range t.Modes[i] {
			pts = append(pts, plotter.XY{X: m, Y: h})
		}
	}
	if len(pts) == 0 {
		return fmt.Errorf("modeplot: empty mode tree")
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	s.GlyphStyle.Radius = vg.Points(1.2)
	s.GlyphStyle.Shape = draw.CircleGlyph{}
	p.Add(s)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, q := range pts {
		lo, hi = math.Min(lo, q.X), math.Max(hi, q.X)
	}
	for k, h := range t.Crit {
		if h < t.H[0] || h > t.H[len(t.H)-1] {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: h}, {X: hi, Y: h}})
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(k + 1)
		l.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("h_%d", k+1), l)
	}
	p.Legend.Top = true
	return save(p, path, 6, 4.5)
}

// Lines draws named curves (for example accuracy per method across densities) with
// points and an optional set of x tick labels.
func Lines(path, title, xlabel, ylabel string, curves []Curve, xticks []string, ymin, ymax float64) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for i, c := range curves {
		l, s, err := plotter.NewLinePoints(xy(c.X, c.Y))
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i)
		s.Color = plotutil.Color(i)
		s.Shape = plotutil.Shape(i)
		p.Add(l, s)
		p.Legend.Add(c.Name, l, s)
	}
	if xticks != nil {
		var ticks []plot.Tick
		for i, s := range xticks {
			ticks = append(ticks, plot.Tick{Value: float64(i + 1), Label: s})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	if ymin < ymax {
		p.Y.Min, p.Y.Max = ymin, ymax
	}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	return save(p, path, 8, 4)
}

func xy(x, y []float64) plotter.XYs {
	pts := make(plotter.XYs, 0, len(x))
	for i := range x {
		if !math.IsNaN(y[i]) && !math.IsInf(y[i], 0) {
			pts = append(pts, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	return pts
}

func finite(v []float64) []float64 {
	var out []float64
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

func save(p *plot.Plot, path string, wIn, hIn float64) error {
	if err := figure.SavePlot(path, p, vg.Length(wIn)*vg.Inch, vg.Length(hIn)*vg.Inch); err != nil {
		return fmt.Errorf("modeplot: %w", err)
	}
	return nil
}
