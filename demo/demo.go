package demo

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/run"
)

// Options configures a demo pass.
type Options struct {
	Root    string    // runs root; "" means run.DefaultRoot
	Backend string    // GoMLX backend name ("" = default)
	Seed    uint64    // seed for every step
	Only    []string  // run only these steps (by Name); empty = all
	Log     io.Writer // progress lines; nil = os.Stderr
}

// Figure is an image produced by a step, with a path relative to the demo directory.
type Figure struct{ File, Caption string }

// Result is what a step reports.
type Result struct {
	Headline string         // one line: the figure that matters, e.g. "test accuracy 0.993"
	Figures  []Figure       // images (paths relative to the demo directory)
	Numbers  map[string]any // figures for --json
	RunDir   string         // the step's run directory, if any
	Skipped  string         // non-empty: why the step could not run here
}

// Step is one capability's short pass. Dir is a fresh directory inside the demo
// directory for the step's outputs (run directories may be created under it).
type Step struct {
	Name  string // short id, e.g. "tsc"
	Title string // section title
	Run   func(ctx context.Context, dir string, opt Options) (Result, error)
}

var steps []Step

// Register adds a step; called from this package's files, one per capability.
func Register(s Step) { steps = append(steps, s) }

// Steps lists the registered steps in order.
func Steps() []Step { return append([]Step(nil), steps...) }

// Section is one step's outcome in the report.
type Section struct {
	Name, Title string
	Result      Result
	Err         string
	Seconds     float64
}

// Report is a whole demo pass.
type Report struct {
	Dir      string    `json:"dir"`
	Report   string    `json:"report"`
	Sections []Section `json:"sections"`
	Failed   int       `json:"failed"`
}

// Run executes the steps and writes index.html in a new directory under opt.Root.
// A failing step is recorded and the pass goes on; the error returned is non-nil when
// any step failed.
func Run(ctx context.Context, opt Options) (*Report, error) {
	if opt.Log == nil {
		opt.Log = os.Stderr
	}
	rd, err := run.Create(opt.Root, "demo", map[string]any{"command": "erg demo", "seed": opt.Seed, "backend": opt.Backend, "only": opt.Only})
	if err != nil {
		return nil, err
	}
	rep := &Report{Dir: rd.Path}
	for _, s := range steps {
		if len(opt.Only) > 0 && !contains(opt.Only, s.Name) {
			continue
		}
		dir := filepath.Join(rd.Path, s.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		fmt.Fprintf(opt.Log, "demo: %s — %s\n", s.Name, s.Title)
		t0 := time.Now()
		res, err := runStep(ctx, s, dir, opt)
		sec := Section{Name: s.Name, Title: s.Title, Result: res, Seconds: time.Since(t0).Seconds()}
		for i := range sec.Result.Figures {
			sec.Result.Figures[i].File = filepath.ToSlash(filepath.Join(s.Name, sec.Result.Figures[i].File))
		}
		switch {
		case err != nil:
			sec.Err = err.Error()
			rep.Failed++
			fmt.Fprintf(opt.Log, "demo: %s FAILED: %v\n", s.Name, err)
		case res.Skipped != "":
			fmt.Fprintf(opt.Log, "demo: %s skipped: %s\n", s.Name, res.Skipped)
		default:
			fmt.Fprintf(opt.Log, "demo: %s done in %.1fs: %s\n", s.Name, sec.Seconds, res.Headline)
		}
		rep.Sections = append(rep.Sections, sec)
		if ctx.Err() != nil {
			break
		}
	}
	if err := rd.WriteJSON(run.SummaryFile, map[string]any{"status": "finished", "headline": headline(rep), "sections": rep.Sections}); err != nil {
		return nil, err
	}
	rep.Report = rd.File("index.html")
	if err := writeIndex(rep); err != nil {
		return nil, err
	}
	if rep.Failed > 0 {
		return rep, fmt.Errorf("demo: %d step(s) failed; report at %s", rep.Failed, rep.Report)
	}
	return rep, ctx.Err()
}

func runStep(ctx context.Context, s Step, dir string, opt Options) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return s.Run(ctx, dir, opt)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func headline(r *Report) string {
	var done, skipped int
	for _, s := range r.Sections {
		if s.Err == "" && s.Result.Skipped == "" {
			done++
		} else if s.Result.Skipped != "" {
			skipped++
		}
	}
	return fmt.Sprintf("%d capabilities ran, %d skipped, %d failed", done, skipped, r.Failed)
}

var indexTmpl = template.Must(template.New("index").Funcs(template.FuncMap{"rel": func(base, p string) string {
	if r, err := filepath.Rel(base, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}}).Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>erg demo</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
h1{font-size:1.5em} h2{font-size:1.15em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.ok{color:#070} .skip{color:#a60} .fail{color:#b00}
figure{display:inline-block;margin:.5em;vertical-align:top;max-width:48%} img{max-width:100%}
figcaption{font-size:.85em;color:#555} table{border-collapse:collapse;font-size:.9em}
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}
</style></head><body>
<h1>erg demo</h1>
<p>{{.Headline}} — {{.When}}. Every training run here is metered; energy figures say whether they were measured or estimated.</p>
{{range .Sections}}<h2 id="{{.Name}}">{{.Title}}</h2>
{{if .Err}}<p class="fail">failed: {{.Err}}</p>
{{else if .Result.Skipped}}<p class="skip">skipped: {{.Result.Skipped}}</p>
{{else}}<p class="ok">{{.Result.Headline}} <small>({{printf "%.1f" .Seconds}} s)</small></p>
{{if .Result.RunDir}}<p><a href="{{rel $.Dir .Result.RunDir}}/report.html">run report</a></p>{{end}}
{{range .Result.Figures}}<figure><img src="{{.File}}"><figcaption>{{.Caption}}</figcaption></figure>{{end}}
{{end}}{{end}}
</body></html>
`))

func writeIndex(r *Report) error {
	var b strings.Builder
	err := indexTmpl.Execute(&b, map[string]any{"Headline": headline(r), "When": time.Now().Format(time.RFC1123), "Sections": r.Sections, "Dir": r.Dir})
	if err != nil {
		return err
	}
	return atomicfile.Write(r.Report, []byte(b.String()))
}
