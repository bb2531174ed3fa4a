package vision

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/ergml/erg/figure"
	"github.com/ergml/erg/imageset"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlotMisclassified draws up to max misclassified images of s (in set order) in a
// grid, each captioned with its true and predicted class, to path (PNG, SVG or PDF by
// extension), titled title and the counts shown and misclassified. pred holds the predicted class of every image. Pixels are shown as the
// readers returned them (the set's normalisation undone). It returns the number of
// images drawn (0: nothing misclassified, and no file written).
func PlotMisclassified(path, title string, s *imageset.Set, pred []int, max int) (int, error) {
	var idx []int
	wrong := 0
	for i, p := range pred {
		if p != s.Labels[i] {
			wrong++
			if len(idx) < max {
				idx = append(idx, i)
			}
		}
	}
	if len(idx) == 0 {
		return 0, nil
	}
	title = fmt.Sprintf("%s (%d of %d shown)", title, len(idx), wrong)
	cols := min(len(idx), 8)
	rows := (len(idx) + cols - 1) / cols
	const cell, caption, margin, top = 1.0, 0.32, 0.15, 0.45 // inches
	w := vg.Length(2*margin+float64(cols)*cell) * vg.Inch
	h := vg.Length(top+margin+float64(rows)*(cell+caption)) * vg.Inch
	err := figure.Save(path, w, h, func(dc draw.Canvas) {
		text := func(x, y float64, s string, size vg.Length) { // inches from the top-left
			sty := draw.TextStyle{Color: color.Black, Font: font.Font{Typeface: "Liberation", Variant: "Sans", Size: size},
				XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
			dc.FillText(sty, vg.Point{X: vg.Length(x) * vg.Inch, Y: h - vg.Length(y)*vg.Inch}, s)
		}
		text(float64(w/vg.Inch)/2, top/2, title, 10)
		for k, i := range idx {
			r, c := k/cols, k%cols
			x0 := margin + float64(c)*cell
			y0 := top + float64(r)*(cell+caption)
			pad := 0.06
			img := toImage(s, i, 4)
			dc.DrawImage(vg.Rectangle{
				Min: vg.Point{X: vg.Length(x0+pad) * vg.Inch, Y: h - vg.Length(y0+cell-pad)*vg.Inch},
				Max: vg.Point{X: vg.Length(x0+cell-pad) * vg.Inch, Y: h - vg.Length(y0+pad)*vg.Inch},
			}, img)
			text(x0+cell/2, y0+cell+0.07, "true "+short(s.Classes[s.Labels[i]]), 6.5)
			text(x0+cell/2, y0+cell+0.2, "pred "+short(s.Classes[pred[i]]), 6.5)
		}
	})
	if err != nil {
		return 0, fmt.Errorf("vision: %w", err)
	}
	return len(idx), nil
}

func short(s string) string {
	if len(s) > 14 {
		return s[:13] + "…"
	}
	return s
}

// toImage returns image i of s, unnormalised to [0, 1] and enlarged by scale
// (nearest neighbour, so that pixels stay crisp).
func toImage(s *imageset.Set, i, scale int) image.Image {
	px := s.Image(i)
	val := func(y, x, k int) uint8 {
		v := float64(px[(y*s.W+x)*s.C+k])
		if s.Mean != nil {
			v = v*s.Std[k] + s.Mean[k]
		}
		return uint8(math.Round(255 * math.Min(1, math.Max(0, v))))
	}
	r := image.Rect(0, 0, s.W*scale, s.H*scale)
	if s.C == 1 {
		img := image.NewGray(r)
		for y := range s.H * scale {
			for x := range s.W * scale {
				img.SetGray(x, y, color.Gray{Y: val(y/scale, x/scale, 0)})
			}
		}
		return img
	}
	img := image.NewRGBA(r)
	for y := range s.H * scale {
		for x := range s.W * scale {
			yy, xx := y/scale, x/scale
			c := color.RGBA{A: 255}
			c.R = val(yy, xx, 0)
			if s.C >= 3 {
				c.G, c.B = val(yy, xx, 1), val(yy, xx, 2)
			} else {
				c.G, c.B = c.R, c.R
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}
