package ff

import (
	"image/color"
	"math"
	"os"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Parity holds, per geometry, the centred energies (kcal/mol) of GFN2-xTB, erg
// and MMFF94, and per force component the same forces (kcal/mol/Å).
type Parity struct {
	EXtb, EErg, EMMFF []float64
	FXtb, FErg, FMMFF []float64
}

// PlotParity writes energy and force parity plots (erg and MMFF94 against
// GFN2-xTB) side by side to path (PNG or SVG by extension).
func PlotParity(path string, p *Parity) error {
	mk := func(title, unit string, x, ye, ym []float64) (*plot.Plot, error) {
		pl := plot.New()
		pl.Title.Text = title
		pl.X.Label.Text = "GFN2-xTB " + unit
		pl.Y.Label.Text = "force field " + unit
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range [][]float64{x, ye, ym} {
			for _, a := range v {
				lo, hi = math.Min(lo, a), math.Max(hi, a)
			}
		}
		for _, s := range []struct {
			y   []float64
			c   color.NRGBA
			lab string
		}{{ym, color.NRGBA{R: 220, G: 120, B: 0, A: 140}, "MMFF94"}, {ye, color.NRGBA{R: 20, G: 60, B: 200, A: 140}, "erg"}} {
			xy := make(plotter.XYs, len(x))
			for j := range x {
				xy[j] = plotter.XY{X: x[j], Y: s.y[j]}
			}
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle.Color = s.c
			sc.GlyphStyle.Radius = vg.Points(1)
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			pl.Add(sc)
			pl.Legend.Add(s.lab, sc)
		}
		line, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
		if err != nil {
			return nil, err
		}
		line.Color = color.Gray{Y: 100}
		pl.Add(line)
		pl.Legend.Top, pl.Legend.Left = true, true
		return pl, nil
	}
	pe, err := mk("centred energies", "kcal/mol", p.EXtb, p.EErg, p.EMMFF)
	if err != nil {
		return err
	}
	pf, err := mk("force components", "kcal/mol/Å", p.FXtb, p.FErg, p.FMMFF)
	if err != nil {
		return err
	}
	img := vg.Length(5) * vg.Inch
	c, err := draw.NewFormattedCanvas(2*img, img, formatOf(path))
	if err != nil {
		return err
	}
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 1, Cols: 2}
	canv := plot.Align([][]*plot.Plot{{pe, pf}}, tiles, dc)
	pe.Draw(canv[0][0])
	pf.Draw(canv[0][1])
	return writeCanvas(path, c)
}

func formatOf(path string) string {
	if strings.HasSuffix(strings.ToLower(path), ".svg") {
		return "svg"
	}
	return "png"
}

func writeCanvas(path string, c vg.CanvasWriterTo) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
