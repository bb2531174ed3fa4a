package green

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/ergml/erg/figure"
	"github.com/ergml/erg/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// PlotPareto draws the configurations' median energy (log scale) against median
// test accuracy, one colour per model, with the Pareto front as a line, to path
// (.png, .svg or .pdf).
func (r *Report) PlotPareto(path string) error {
	p := plot.New()
	p.Title.Text = "Energy vs accuracy per configuration (medians over seeds)"
	p.X.Label.Text = fmt.Sprintf("median energy, J (%s)", r.Label)
	p.Y.Label.Text = "median test accuracy"
	lo, hi := math.Inf(1), math.Inf(-1)
	alo, ahi := math.Inf(1), math.Inf(-1)
	for _, c := range r.Configs {
		if c.Joules > 0 {
			lo, hi = math.Min(lo, c.Joules), math.Max(hi, c.Joules)
			alo, ahi = math.Min(alo, c.Accuracy), math.Max(ahi, c.Accuracy)
		}
	}
	if hi > 10*lo {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		p.X.Label.Text += ", log scale"
	}
	if ahi >= alo {
		pad := math.Max(0.005, 0.1*(ahi-alo))
		p.Y.Min, p.Y.Max = alo-pad, ahi+pad
	}
	var models []string
	for _, c := range r.Configs {
		if !slices.Contains(models, c.Model) {
			models = append(models, c.Model)
		}
	}
	for i, m := range models {
		var xy plotter.XYs
		for _, c := range r.Configs {
			if c.Model == m && c.Joules > 0 {
				xy = append(xy, plotter.XY{X: c.Joules, Y: c.Accuracy})
			}
		}
		if len(xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Color = plotutil.Color(i)
		sc.GlyphStyle.Shape = plotutil.Shape(i)
		sc.GlyphStyle.Radius = vg.Points(3)
		p.Add(sc)
		p.Legend.Add(m, sc)
	}
	var front plotter.XYs
	for _, id := range r.Pareto {
		for _, c := range r.Configs {
			if c.ID == id && c.Joules > 0 {
				front = append(front, plotter.XY{X: c.Joules, Y: c.Accuracy})
			}
		}
	}
	if len(front) > 0 {
		l, err := plotter.NewLine(front)
		if err != nil {
			return err
		}
		l.Color = color.Gray{Y: 60}
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(l)
		p.Legend.Add("Pareto front", l)
	}
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.YOffs = vg.Points(10)
	return figure.SavePlot(path, p, 7*vg.Inch, 4.5*vg.Inch)
}

var reportTmpl = template.Must(template.New("green").Funcs(template.FuncMap{
	"pct":   func(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) },
	"f4":    func(v float64) string { return fmt.Sprintf("%.4f", v) },
	"g4":    func(v float64) string { return fmt.Sprintf("%.4g", v) },
	"join":  strings.Join,
	"front": func(r *Report, id string) bool { return slices.Contains(r.Pareto, id) },
}).Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>erg green report: {{.CSV}}</title>
<style>body{font-family:sans-serif;max-width:70em;margin:1em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#eee}td.l{text-align:left}.warn{background:#fff3cd;padding:.5em}</style>
</head><body>
<h1>Energy study: {{.CSV}}</h1>
<p class="warn">Energy is <b>{{.Label}}</b>: {{.Method}}.</p>
<ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>
<p>{{.OK}} finished runs, {{.Skipped}} skipped, {{.Failed}} failed; {{printf "%.3g" .CPUHours}} CPU core-hours, {{printf "%.3g" .WallHours}} wall hours.</p>
{{if .Plot}}<img src="data:image/png;base64,{{.Plot}}" alt="Pareto plot">{{end}}
<h2>Configurations (medians over seeds; * on the Pareto front)</h2>
<table><tr><th>configuration</th><th>runs</th><th>accuracy</th><th>macro-F1</th><th>J ({{.Label}})</th><th>CPU s</th><th>wall s</th><th>J/image</th><th>J idle+dynamic</th><th>FLOPs</th><th>params</th></tr>
{{$r := .R}}{{range .Configs}}<tr><td class="l">{{if front $r .ID}}* {{end}}{{.ID}}</td><td>{{.Runs}}</td><td>{{f4 .Accuracy}}</td><td>{{f4 .MacroF1}}</td><td>{{g4 .Joules}}</td><td>{{g4 .CPUSeconds}}</td><td>{{g4 .Wall}}</td><td>{{g4 .JPerImage}}</td><td>{{g4 .AltJoules}}</td><td>{{.FLOPs}}</td><td>{{.Params}}</td></tr>
{{end}}</table>
<h2>RQ1: architecture (base environment {{.RQ1.BaseEnv}})</h2>
<table><tr><th>model</th><th>runs</th><th>median J</th><th>median CPU s</th><th>accuracy</th><th>FLOPs</th></tr>
{{range .RQ1.Models}}<tr><td class="l">{{.Model}}</td><td>{{.Runs}}</td><td>{{g4 .Joules}}</td><td>{{g4 .CPUSeconds}}</td><td>{{f4 .Accuracy}}</td><td>{{.FLOPs}}</td></tr>{{end}}</table>
<p>{{with .RQ1.Kruskal}}Kruskal–Wallis H = {{g4 .Statistic}}, p = {{g4 .P}}. {{end}}{{with .RQ1.Flops}}Spearman ρ(energy, FLOPs) = {{f4 .Statistic}}, p = {{g4 .P}}. {{end}}{{with .RQ1.Params}}ρ(energy, params) = {{f4 .Statistic}}, p = {{g4 .P}}.{{end}} {{.RQ1.Note}}</p>
<h2>RQ2: training environment</h2>
<table><tr><th>model</th><th>factor</th><th>level vs base</th><th>n</th><th>J ratio</th><th>CPU s ratio</th><th>wall ratio</th><th>Δ accuracy</th><th>Mann–Whitney p</th><th>A12</th><th>Cliff's δ</th><th>J ratio idle+dynamic</th><th>flipped</th></tr>
{{range .RQ2}}<tr><td class="l">{{.Model}}</td><td class="l">{{.Factor}}</td><td class="l">{{.Level}} vs {{.Base}}</td><td>{{.NLevel}}/{{.NBase}}</td><td>{{g4 .Ratio}}</td><td>{{g4 .CPURatio}}</td><td>{{g4 .WallRatio}}</td><td>{{f4 .DeltaAcc}}</td><td>{{g4 .MannWhitney.P}}</td><td>{{f4 .A12}} ({{.Magnitude}})</td><td>{{f4 .Cliff}}</td><td>{{g4 .AltRatio}}</td><td>{{if .Flipped}}<b>yes</b>{{end}}</td></tr>
{{end}}</table>
{{if .SkippedLevels}}<p>Not run here:</p><ul>{{range .SkippedLevels}}<li>{{.Factor}}={{.Level}} ({{.Cells}} cells): {{.Reason}}</li>{{end}}</ul>{{end}}
<h2>Largest energy reduction at ≤ 1 point accuracy loss</h2>
{{with .Largest}}<p>{{.From}} ({{g4 .FromJ}} J, accuracy {{f4 .FromAcc}}) → {{.To}} ({{g4 .ToJ}} J, accuracy {{f4 .ToAcc}}): <b>{{pct .Reduction}}</b> less energy. Runs: {{join .FromRuns ", "}} → {{join .ToRuns ", "}}.</p>{{else}}<p>none</p>{{end}}
<h2>Second power model: {{.Alt.Method}}</h2>
{{if .Flips}}<p class="warn">Conclusions that flip:</p><ul>{{range .Flips}}<li>{{.}}</li>{{end}}</ul>{{else}}<p>No conclusion flips.</p>{{end}}
</body></html>
`))

// WriteHTML writes the report as one self-contained HTML page (the Pareto plot
// embedded) to path; plot is the PNG drawn by PlotPareto ("" for none).
func (r *Report) WriteHTML(path, plot string) error {
	data := struct {
		*Report
		R    *Report
		Plot string
	}{Report: r, R: r}
	if plot != "" {
		b, err := os.ReadFile(plot)
		if err != nil {
			return fmt.Errorf("green: %w", err)
		}
		data.Plot = base64.StdEncoding.EncodeToString(b)
	}
	var sb strings.Builder
	if err := reportTmpl.Execute(&sb, data); err != nil {
		return fmt.Errorf("green: %w", err)
	}
	return atomicfile.Write(path, []byte(sb.String()))
}
