package draw

import (
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/ergml/erg/figure"
	"github.com/ergml/erg/graphgen"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Layout returns 2-D positions of g's nodes by the Fruchterman–Reingold
// spring embedder with a weak pull to the centre (iters iterations from uniform random positions drawn from
// seed), in the unit square.
func Layout(g *graphgen.Graph, iters int, seed uint64) [][2]float64 {
	n := g.N()
	r := rand.New(rand.NewPCG(seed, 0xd4a))
	pos := make([][2]float64, n)
	for i := range pos {
		pos[i] = [2]float64{r.Float64(), r.Float64()}
	}
	if n < 2 {
		return pos
	}
	k := math.Sqrt(1 / float64(n))
	t := 0.1
	disp := make([][2]float64, n)
	for it := 0; it < iters; it++ {
		for i := range disp {
			disp[i] = [2]float64{}
		}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				dx, dy := pos[i][0]-pos[j][0], pos[i][1]-pos[j][1]
				d := math.Max(math.Hypot(dx, dy), 1e-4)
				f := k * k / d / d
				disp[i][0] += dx * f
				disp[i][1] += dy * f
				disp[j][0] -= dx * f
				disp[j][1] -= dy * f
			}
		}
		for _, e := range g.Edges() {
			i, j := e[0], e[1]
			dx, dy := pos[i][0]-pos[j][0], pos[i][1]-pos[j][1]
			d := math.Max(math.Hypot(dx, dy), 1e-4)
			f := d / k
			disp[i][0] -= dx * f
			disp[i][1] -= dy * f
			disp[j][0] += dx * f
			disp[j][1] += dy * f
		}
		for i := range pos { // weak gravity keeps isolated nodes and components near the centre
			disp[i][0] -= 2 * k * (pos[i][0] - 0.5)
			disp[i][1] -= 2 * k * (pos[i][1] - 0.5)
		}
		for i := range pos {
			l := math.Max(math.Hypot(disp[i][0], disp[i][1]), 1e-9)
			s := math.Min(l, t) / l
			pos[i][0] += disp[i][0] * s
			pos[i][1] += disp[i][1] * s
		}
		t *= 0.97
	}
	return pos
}

// graphPlotter draws edges as lines and nodes as dots.
type graphPlotter struct {
	g   *graphgen.Graph
	pos [][2]float64
}

func (p graphPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	ls := draw.LineStyle{Color: color.Gray{Y: 120}, Width: vg.Points(0.4)}
	for _, e := range p.g.Edges() {
		a, b := p.pos[e[0]], p.pos[e[1]]
		c.StrokeLine2(ls, tx(a[0]), ty(a[1]), tx(b[0]), ty(b[1]))
	}
	gs := draw.GlyphStyle{Color: color.RGBA{R: 31, G: 119, B: 180, A: 255}, Radius: vg.Points(1.2), Shape: draw.CircleGlyph{}}
	for _, q := range p.pos {
		c.DrawGlyph(gs, vg.Point{X: tx(q[0]), Y: ty(q[1])})
	}
}

func (p graphPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, q := range p.pos {
		xmin, xmax = math.Min(xmin, q[0]), math.Max(xmax, q[0])
		ymin, ymax = math.Min(ymin, q[1]), math.Max(ymax, q[1])
	}
	if len(p.pos) == 0 {
		return 0, 1, 0, 1
	}
	return
}

// Panel returns a plot of g with its spring layout and a title.
func Panel(g *graphgen.Graph, title string, seed uint64) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.HideAxes()
	p.Add(graphPlotter{g: g, pos: Layout(g, 100, seed)})
	return p
}

// SaveSets writes a figure (PNG, SVG or PDF by path's extension) of up to k
// reference graphs in the top row and k generated graphs below, titled by
// their node and edge counts.
func SaveSets(path string, ref, gen []*graphgen.Graph, k int, seed uint64) error {
	if len(ref) == 0 || len(gen) == 0 || k <= 0 {
		return fmt.Errorf("draw: %s: need reference and generated graphs", path)
	}
	rows := [][]*plot.Plot{make([]*plot.Plot, k), make([]*plot.Plot, k)}
	for j := 0; j < k; j++ {
		if j < len(ref) {
			rows[0][j] = Panel(ref[j], fmt.Sprintf("reference %d: n=%d m=%d", j, ref[j].N(), ref[j].M()), seed)
		}
		if j < len(gen) {
			rows[1][j] = Panel(gen[j], fmt.Sprintf("generated %d: n=%d m=%d", j, gen[j].N(), gen[j].M()), seed)
		}
	}
	return figure.SaveGrid(path, rows, 6*vg.Centimeter, 6*vg.Centimeter)
}
