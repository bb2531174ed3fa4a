package jetebm

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/ergml/erg/hep/jetset"
)

// WriteHistograms draws the jet mass, pT and multiplicity histograms of held-out QCD
// jets, EBM samples and the Gaussian baseline of ev into a PNG file.
func WriteHistograms(path string, ev *Eval) error {
	cols := []struct {
		k      int
		title  string
		lo, hi float64
	}{{jetset.ColMass, "jet mass [GeV]", 0, 400}, {jetset.ColPt, "jet pT [GeV]", 300, 900}, {jetset.ColMult, "constituents (of 40)", 0, 41}}
	img := vgimg.New(18*vg.Centimeter, 6*vg.Centimeter)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 3, PadX: vg.Millimeter, PadY: vg.Millimeter}
	sets := []struct {
		name string
		o    [][jetset.NCols]float64
		c    color.Color
	}{{"Pythia (held out)", ev.Held, color.Black}, {"EBM", ev.Gen, color.RGBA{R: 200, A: 255}}, {"Gaussian", ev.Gauss, color.RGBA{B: 200, A: 255}}}
	for i, c := range cols {
		p := plot.New()
		p.X.Label.Text = c.title
		for _, s := range sets {
			v := make(plotter.Values, 0, len(s.o))
			for _, o := range s.o {
				if x := o[c.k]; x >= c.lo && x <= c.hi {
					v = append(v, x)
				}
			}
			if len(v) == 0 {
				continue
			}
			h, err := plotter.NewHist(v, 40)
			if err != nil {
				return err
			}
			h.Normalize(1)
			h.FillColor = nil
			h.LineStyle.Color = s.c
			p.Add(h)
			if i == 0 {
				p.Legend.Add(s.name, h)
			}
		}
		p.Legend.Top = true
		p.Draw(draw.Crop(tiles.At(dc, i, 0), 0, 0, 0, 0))
	}
	return savePNG(path, img)
}
