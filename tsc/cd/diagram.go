package cd

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/ergml/erg/figure"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot draws the critical-difference diagram to path, as PNG (150 dpi) or SVG by
// extension (.png, .svg; other extensions gonum/plot knows, such as .pdf, work too).
// The file is written atomically.
//
// The layout follows Demšar (2006) and hfawaz/cd-diagram: an axis of average rank
// with the best rank on the right, each model's name joined to its rank by a line
// (the worse half on the left, the better half on the right) and thick bars joining
// the cliques; with the Nemenyi method the critical difference is drawn above the
// axis.
func (a *Analysis) Plot(path string) error {
	w, h := a.size()
	if err := figure.Save(path, w, h, func(dc draw.Canvas) { a.draw(dc, h) }); err != nil {
		return fmt.Errorf("cd: %w", err)
	}
	return nil
}

const (
	diagWidth = 7.0 // inches
	textSpace = 1.7
	cline     = 0.65 // axis height from the top
	rowStep   = 0.22
	barStep   = 0.1
)

func (a *Analysis) minNotSignificant() float64 {
	return math.Max(2*0.2, 0.2+0.2+float64(max(len(a.Cliques), 1)-1)*barStep+0.1)
}

func (a *Analysis) size() (vg.Length, vg.Length) {
	k := len(a.Models)
	rows := (k + 1) / 2
	h := cline + a.minNotSignificant() + float64(rows-1)*rowStep + 0.35
	return vg.Length(diagWidth) * vg.Inch, vg.Length(h) * vg.Inch
}

func (a *Analysis) draw(c draw.Canvas, height vg.Length) {
	k := len(a.Models)
	lowv := math.Min(1, math.Floor(a.AvgRanks[0]))
	highv := math.Max(math.Ceil(a.AvgRanks[k-1]), float64(k))
	scale := diagWidth - 2*textSpace
	// x of a rank (best on the right), y from the top; both in inches.
	rx := func(r float64) float64 { return textSpace + scale*(highv-r)/(highv-lowv) }
	pt := func(x, y float64) vg.Point {
		return vg.Point{X: vg.Length(x) * vg.Inch, Y: height - vg.Length(y)*vg.Inch}
	}
	thin := draw.LineStyle{Color: color.Black, Width: vg.Points(0.7)}
	thick := draw.LineStyle{Color: color.Black, Width: vg.Points(2.5)}
	line := func(sty draw.LineStyle, pts ...[2]float64) {
		ps := make([]vg.Point, len(pts))
		for i, p := range pts {
			ps[i] = pt(p[0], p[1])
		}
		c.StrokeLines(sty, ps)
	}
	txt := func(x, y float64, s string, size vg.Length, xa draw.XAlignment, ya draw.YAlignment) {
		sty := draw.TextStyle{Color: color.Black, Font: font.Font{Typeface: "Liberation", Variant: "Sans", Size: size},
			XAlign: xa, YAlign: ya, Handler: plot.DefaultTextHandler}
		c.FillText(sty, pt(x, y), s)
	}
	// Axis, ticks and tick labels.
	line(thin, [2]float64{textSpace, cline}, [2]float64{diagWidth - textSpace, cline})
	for v := lowv; v <= highv+1e-9; v += 0.5 {
		tick := 0.05
		if v == math.Trunc(v) {
			tick = 0.1
			txt(rx(v), cline-tick-0.04, fmt.Sprintf("%g", v), 9, draw.XCenter, draw.YBottom)
		}
		line(thin, [2]float64{rx(v), cline}, [2]float64{rx(v), cline - tick})
	}
	if a.Method == "nemenyi" && a.CD > 0 {
		y := cline - 0.45
		x0, x1 := rx(highv), rx(highv-a.CD)
		line(thin, [2]float64{x0, y}, [2]float64{x1, y})
		line(thin, [2]float64{x0, y - 0.04}, [2]float64{x0, y + 0.04})
		line(thin, [2]float64{x1, y - 0.04}, [2]float64{x1, y + 0.04})
		txt((x0+x1)/2, y-0.05, fmt.Sprintf("CD = %.2f", a.CD), 9, draw.XCenter, draw.YBottom)
	}
	// Names: Models is best first; the worse half goes left, the better half right,
	// the outermost models on the top rows so that no lines cross.
	mns := a.minNotSignificant()
	half := (k + 1) / 2
	for i := 0; i < k; i++ {
		r := a.AvgRanks[i]
		if i >= k-half { // worse half, left side; worst at the top
			row := k - 1 - i
			y := cline + mns + float64(row)*rowStep
			line(thin, [2]float64{rx(r), cline}, [2]float64{rx(r), y}, [2]float64{textSpace - 0.1, y})
			txt(textSpace-0.15, y, fmt.Sprintf("%s  %.2f", a.Models[i], r), 10, draw.XRight, draw.YCenter)
		} else { // better half, right side; best at the top
			y := cline + mns + float64(i)*rowStep
			line(thin, [2]float64{rx(r), cline}, [2]float64{rx(r), y}, [2]float64{diagWidth - textSpace + 0.1, y})
			txt(diagWidth-textSpace+0.15, y, fmt.Sprintf("%.2f  %s", r, a.Models[i]), 10, draw.XLeft, draw.YCenter)
		}
	}
	// Clique bars below the axis, worst cliques first, each on its own level
	// (hfawaz/cd-diagram moves the better half's bars back up, which can make
	// overlapping bars touch; stacking keeps them apart).
	cls := append([][]int(nil), a.Cliques...)
	sort.SliceStable(cls, func(i, j int) bool { return cls[i][len(cls[i])-1] > cls[j][len(cls[j])-1] })
	start := cline + 0.2
	const side = 0.05
	for _, cl := range cls {
		lo, hi := cl[0], cl[len(cl)-1] // positions in Models: lo is the best
		line(thick, [2]float64{rx(a.AvgRanks[lo]) + side, start}, [2]float64{rx(a.AvgRanks[hi]) - side, start})
		start += barStep
	}
}
