package run

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/ergml/erg/figure"

	"github.com/ergml/erg/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Series is one named curve for PlotCurves.
type Series struct {
	Name string
	X, Y []float64
}

// PlotCurves writes a line plot of the series to path (PNG or SVG by extension).
// logY plots the y axis on a log scale (non-positive values are dropped).
func PlotCurves(path, title, xlabel, ylabel string, logY bool, series ...Series) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	if logY {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range series {
			for _, y := range s.Y {
				if y > 0 && !math.IsInf(y, 0) {
					lo, hi = math.Min(lo, y), math.Max(hi, y)
				}
			}
		}
		logY = hi/lo >= 10
	}
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	n := 0
	for i, s := range series {
		var pts plotter.XYs
		for j := range s.X {
			y := s.Y[j]
			if math.IsNaN(y) || math.IsInf(y, 0) || (logY && y <= 0) {
				continue
			}
			pts = append(pts, plotter.XY{X: s.X[j], Y: y})
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("run: plot %s: %w", path, err)
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.2)
		p.Add(l)
		if len(series) > 1 {
			p.Legend.Add(s.Name, l)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("run: plot %s: no finite points", path)
	}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	if err := figure.SavePlot(path, p, 6*vg.Inch, 3.6*vg.Inch); err != nil {
		return fmt.Errorf("run: plot: %w", err)
	}
	return nil
}

// numericKeys lists the metric keys holding numbers, besides step, in first-seen order.
func numericKeys(ms []Metric) []string {
	seen := map[string]bool{"step": true, "epoch": true, "time": true}
	var keys []string
	for _, m := range ms {
		var ks []string
		for k, v := range m {
			if _, ok := v.(float64); ok && !seen[k] {
				ks = append(ks, k)
			}
		}
		sort.Strings(ks)
		for _, k := range ks {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// PlotMetrics draws the loss curve (every metric whose name contains "loss") to
// loss.png and the learning rate to lr.png, and records them as figures.
func (d *Dir) PlotMetrics() error {
	ms, err := d.Metrics()
	if err != nil || len(ms) == 0 {
		return err
	}
	var loss []Series
	var lr *Series
	for _, k := range numericKeys(ms) {
		s := Series{Name: k}
		for _, m := range ms {
			st, ok1 := m["step"].(float64)
			v, ok2 := m[k].(float64)
			if ok1 && ok2 {
				s.X = append(s.X, st)
				s.Y = append(s.Y, v)
			}
		}
		switch {
		case strings.Contains(k, "loss"):
			loss = append(loss, s)
		case k == "lr":
			lr = &s
		}
	}
	if len(loss) > 0 {
		logY := true
		for _, s := range loss {
			for _, y := range s.Y {
				if y <= 0 {
					logY = false
				}
			}
		}
		if err := PlotCurves(d.File("loss.png"), "training loss", "step", "loss", logY, loss...); err != nil {
			return err
		}
		if err := d.AddFigure("loss.png", "Training loss per logged step."); err != nil {
			return err
		}
	}
	if lr != nil && len(lr.X) > 1 {
		if err := PlotCurves(d.File("lr.png"), "learning rate", "step", "lr", true, *lr); err == nil {
			d.AddFigure("lr.png", "Learning rate schedule.")
		}
	}
	return nil
}

var reportTmpl = template.Must(template.New("report").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>erg run {{.Name}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}
h1{font-size:1.4em} h2{font-size:1.1em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;font-size:.9em} td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left}
pre{background:#f6f6f6;padding:.6em;overflow:auto;font-size:.85em}
figure{margin:1em 0} img{max-width:100%} figcaption{font-size:.85em;color:#555}
.est{color:#a60}
</style></head><body>
<h1>erg run: {{.Name}}</h1>
<p>{{.Path}} — report written {{.When}}</p>
{{if .Summary}}<h2>Summary</h2><table>{{range .Summary}}<tr><th>{{.K}}</th><td>{{.V}}</td></tr>{{end}}</table>{{end}}
{{if .Energy}}<h2>Energy and carbon</h2><table>{{range .Energy}}<tr><th>{{.K}}</th><td>{{.V}}</td></tr>{{end}}</table>{{end}}
{{range .Figures}}<figure><img src="{{.File}}" alt="{{.File}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}
<h2>Configuration</h2><pre>{{.Config}}</pre>
</body></html>
`))

type kv struct{ K, V string }

func flatten(prefix string, v any, out *[]kv) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(p, x[k], out)
		}
	case []any:
		b, _ := json.Marshal(x)
		s := string(b)
		if len(s) > 300 {
			s = s[:300] + "…"
		}
		*out = append(*out, kv{prefix, s})
	case float64:
		*out = append(*out, kv{prefix, fmt.Sprintf("%.6g", x)})
	default:
		*out = append(*out, kv{prefix, fmt.Sprint(x)})
	}
}

// Report plots the metrics and writes report.html, embedding every recorded figure, the
// summary, the energy report and the configuration. It returns the report's path.
func (d *Dir) Report() (string, error) {
	if err := d.PlotMetrics(); err != nil {
		return "", err
	}
	figs, err := d.Figures()
	if err != nil {
		return "", err
	}
	cfg, _ := os.ReadFile(d.File(ConfigFile))
	data := struct {
		Name, Path, When string
		Summary, Energy  []kv
		Figures          []Figure
		Config           string
	}{Name: d.Name, Path: d.Path, When: time.Now().Format(time.RFC3339), Figures: figs, Config: string(cfg)}
	var sum map[string]any
	if d.ReadJSON(SummaryFile, &sum) == nil {
		flatten("", sum, &data.Summary)
	}
	var en map[string]any
	if d.ReadJSON(EnergyFile, &en) == nil {
		flatten("", en, &data.Energy)
	}
	var b strings.Builder
	if err := reportTmpl.Execute(&b, data); err != nil {
		return "", fmt.Errorf("run: report: %w", err)
	}
	p := d.File(ReportFile)
	return p, atomicfile.Write(p, []byte(b.String()))
}
