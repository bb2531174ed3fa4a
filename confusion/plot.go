package confusion

import (
	"fmt"
	"image/color"

	"github.com/ergml/erg/figure"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot draws the confusion matrix to path (PNG at 150 dpi, or SVG, by extension),
// atomically: rows are true classes, columns predicted ones, each cell shows its count
// and is shaded by the fraction of its row.
func (c *Matrix) Plot(path, title string) error {
	k := len(c.Classes)
	cell := 0.45
	if k > 12 {
		cell = 0.3
	}
	maxLen := 1
	for _, l := range c.Classes {
		maxLen = max(maxLen, len(l))
	}
	labels := min(0.075*float64(maxLen)+0.15, 1.5) // room for the class names
	left, top, bottom, right := 0.45+labels, 0.6, 0.45+labels, 0.3
	width := max(left+float64(k)*cell+right, 0.09*float64(len(title))+0.4)
	right = width - left - float64(k)*cell
	w := vg.Length(width) * vg.Inch
	h := vg.Length(top+float64(k)*cell+bottom) * vg.Inch
	cv, err := figure.New(path, w, h)
	if err != nil {
		return fmt.Errorf("confusion: plot: %w", err)
	}
	dc := draw.New(cv)
	pt := func(x, y float64) vg.Point { // inches from the top-left
		return vg.Point{X: vg.Length(x) * vg.Inch, Y: h - vg.Length(y)*vg.Inch}
	}
	txt := func(x, y float64, s string, size vg.Length, xa draw.XAlignment, rot float64, clr color.Color) {
		sty := draw.TextStyle{Color: clr, Font: font.Font{Typeface: "Liberation", Variant: "Sans", Size: size},
			XAlign: xa, YAlign: draw.YCenter, Rotation: rot, Handler: plot.DefaultTextHandler}
		dc.FillText(sty, pt(x, y), s)
	}
	txt(width/2, 0.3, title, 11, draw.XCenter, 0, color.Black)
	for i := range k {
		total := 0
		for _, n := range c.Counts[i] {
			total += n
		}
		for j := range k {
			f := 0.0
			if total > 0 {
				f = float64(c.Counts[i][j]) / float64(total)
			}
			x0, y0 := left+float64(j)*cell, top+float64(i)*cell
			shade := color.RGBA{R: uint8(255 - 200*f), G: uint8(255 - 150*f), B: 255, A: 255}
			dc.FillPolygon(shade, []vg.Point{pt(x0, y0), pt(x0+cell, y0), pt(x0+cell, y0+cell), pt(x0, y0+cell)})
			clr := color.Color(color.Black)
			if f > 0.6 {
				clr = color.White
			}
			txt(x0+cell/2, y0+cell/2, fmt.Sprint(c.Counts[i][j]), 9, draw.XCenter, 0, clr)
		}
		txt(left-0.08, top+(float64(i)+0.5)*cell, c.Classes[i], 9, draw.XRight, 0, color.Black)
		txt(left+(float64(i)+0.5)*cell, top+float64(k)*cell+0.08, c.Classes[i], 9, draw.XRight, 1.5708, color.Black)
	}
	gray := draw.LineStyle{Color: color.Gray{Y: 120}, Width: vg.Points(0.5)}
	for i := 0; i <= k; i++ {
		d := float64(i) * cell
		dc.StrokeLine2(gray, pt(left+d, top).X, pt(left+d, top).Y, pt(left+d, top+float64(k)*cell).X, pt(left+d, top+float64(k)*cell).Y)
		dc.StrokeLine2(gray, pt(left, top+d).X, pt(left, top+d).Y, pt(left+float64(k)*cell, top+d).X, pt(left+float64(k)*cell, top+d).Y)
	}
	txt(left-labels-0.2, top+float64(k)*cell/2, "true class", 10, draw.XCenter, 1.5708, color.Black)
	txt(left+float64(k)*cell/2, top+float64(k)*cell+labels+0.2, "predicted class", 10, draw.XCenter, 0, color.Black)
	return figure.Write(path, cv)
}
