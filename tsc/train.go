package tsc

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/internal/ergdata"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/ucr"
)

// Files Train writes in a run directory besides the experiment's own (config.json,
// metrics.jsonl, checkpoint.ergckpt, energy.json, summary.json, report.html).
const (
	ModelFile     = "model.ergtsc"  // the fitted model (SaveModel), for erg tsc predict
	ConfusionFile = "confusion.png" // the test confusion matrix
)

// TrainConfig is the configuration of one Train run, written to config.json: all that
// is needed to redo it. JSON keys are the flags of erg tsc train. Zero values of the
// optional fields are documented defaults.
type TrainConfig struct {
	Command string `json:"command,omitempty"` // the command line, for run listings

	Data   string `json:"data"`          // dataset directory NAME holding NAME_TRAIN and NAME_TEST (see ResolveData)
	Model  string `json:"model"`         // registered model name
	Params Params `json:"set,omitempty"` // model parameters
	Seed   uint64 `json:"seed"`          // seed of run 0; run r uses Seed+r
	Runs   int    `json:"runs"`          // number of runs (at least 1)

	Epochs          int    `json:"epochs,omitempty"`           // deep models: override the published epochs (0: keep them)
	Threads         int    `json:"threads,omitempty"`          // threads per model (0: all cores)
	Backend         string `json:"backend,omitempty"`          // GoMLX backend of the deep models ("": default)
	CheckpointEvery int    `json:"checkpoint_every,omitempty"` // deep models: epochs between checkpoints (0: the model's default)

	// Extra copies of the last run's outputs outside the run directory.
	Save      string `json:"save,omitempty"`      // the fitted model
	Confusion string `json:"confusion,omitempty"` // the confusion plot (.png or .svg)
}

// Validate reports the first bad value as a *run.FieldError naming its key (the flag):
// a missing dataset or one without both splits, an unknown model or a parameter it
// rejects, runs < 1, negative epochs, threads or checkpoint interval, a confusion plot
// that is neither .png nor .svg.
func (c TrainConfig) Validate() error {
	if c.Data == "" {
		return &run.FieldError{Field: "data", Reason: "required: a dataset directory NAME holding NAME_TRAIN and NAME_TEST (.ts, .arff, .tsv), or the name of one under $ERG_DATA/ucr"}
	}
	if st, err := os.Stat(c.Data); err != nil || !st.IsDir() {
		return run.Invalid("data", c.Data, "not a dataset directory")
	}
	name := filepath.Base(filepath.Clean(c.Data))
	for _, split := range []string{"TRAIN", "TEST"} {
		if _, err := ucr.SplitPath(c.Data, name, split); err != nil {
			return run.Invalid("data", c.Data, "no %s_%s file (extensions %s)", name, split, strings.Join(ucr.Extensions, ", "))
		}
	}
	known := false
	for _, m := range Models() {
		known = known || m == c.Model
	}
	if !known {
		return run.Invalid("model", c.Model, "unknown model (registered: %s)", strings.Join(Models(), ", "))
	}
	if _, err := New(c.Model, c.Params); err != nil {
		return run.Invalid("set", c.Params.String(), "%v", err)
	}
	switch {
	case c.Runs < 1:
		return run.Invalid("runs", c.Runs, "must be at least 1")
	case c.Epochs < 0:
		return run.Invalid("epochs", c.Epochs, "must be positive (0: the model's default)")
	case c.Threads < 0:
		return run.Invalid("threads", c.Threads, "must be positive (0: all cores)")
	case c.CheckpointEvery < 0:
		return run.Invalid("checkpoint_every", c.CheckpointEvery, "must be positive (0: the model's default)")
	}
	if c.Confusion != "" {
		if ext := strings.ToLower(filepath.Ext(c.Confusion)); ext != ".png" && ext != ".svg" {
			return run.Invalid("confusion", c.Confusion, "needs a .png or .svg file")
		}
	}
	return nil
}

// String writes the parameters as sorted key=value pairs.
func (p Params) String() string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + p[k]
	}
	return strings.Join(keys, " ")
}

// ResolveData finds a dataset directory: data itself when it exists, else, for a bare
// name such as "GunPoint", the directory of that name under the ucr directory of erg's
// data root ($ERG_DATA/ucr, or ../shared/data/ucr beside the repository; see package
// internal/ergdata). The result is absolute. A failure is a *run.FieldError for "data"
// listing the places looked at.
func ResolveData(data string) (string, error) {
	if data == "" {
		return "", TrainConfig{}.Validate()
	}
	if st, err := os.Stat(data); err == nil {
		if !st.IsDir() {
			return "", run.Invalid("data", data, "is a file: give the dataset directory holding NAME_TRAIN and NAME_TEST (%s?)", filepath.Dir(data))
		}
		return filepath.Abs(data)
	}
	tried := []string{data}
	if !strings.ContainsAny(data, `/\`) && data != "." && data != ".." {
		if root, err := ergdata.Dir(); err == nil {
			p := filepath.Join(root, "ucr", data)
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				return filepath.Abs(p)
			}
			tried = append(tried, p)
		} else {
			tried = append(tried, fmt.Sprintf("$ERG_DATA/ucr/%s (%v)", data, err))
		}
	}
	return "", run.Invalid("data", data, "no such dataset directory (looked at %s)", strings.Join(tried, ", "))
}

// RunOutcome is one run of a Train experiment: the model fitted once with one seed
// and tested.
type RunOutcome struct {
	Run          int     `json:"run"`
	Seed         uint64  `json:"seed"`
	Accuracy     float64 `json:"accuracy"`
	TrainSeconds float64 `json:"train_seconds"` // over all sessions, for a resumed deep model
	TestSeconds  float64 `json:"test_seconds"`
	Seconds      float64 `json:"seconds"` // the run's wall time (training, testing, files)
	Joules       float64 `json:"joules"`
	EnergyStatus string  `json:"energy_status,omitempty"`
	Steps        int     `json:"steps,omitempty"` // deep models: optimizer steps, epochs and kept training loss
	Epochs       int     `json:"epochs,omitempty"`
	Loss         float64 `json:"loss,omitempty"`
	Dir          string  `json:"dir,omitempty"` // the run's own directory inside the experiment (several runs)
}

// TrainOutcome is what Train returns: where the run went and its figures.
type TrainOutcome struct {
	Dir              string       `json:"run_dir"`
	Report           string       `json:"report"`
	Resumed          bool         `json:"resumed,omitempty"`
	Dataset          string       `json:"dataset"`
	Model            string       `json:"model"`
	Runs             []RunOutcome `json:"runs"`
	MeanAccuracy     float64      `json:"mean_accuracy"`
	MeanTrainSeconds float64      `json:"mean_train_seconds"`
	Seconds          float64      `json:"seconds"`
	Joules           float64      `json:"joules"`
	EnergyStatus     string       `json:"energy_status,omitempty"`
	ModelFile        string       `json:"model_file,omitempty"` // the last run's model in the run directory ("" when the model cannot be saved)
	ConfusionPlot    string       `json:"confusion_plot"`       // the last run's confusion plot in the run directory
	Saved            string       `json:"saved,omitempty"`      // TrainConfig.Save, when written
	Confusion        string       `json:"confusion,omitempty"`  // TrainConfig.Confusion, when written
	Headline         string       `json:"headline"`
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// defaultName is the run's name when opt.Name is empty: dataset-model.
func (c TrainConfig) defaultName() string {
	n := unsafeName.ReplaceAllString(filepath.Base(filepath.Clean(c.Data))+"-"+c.Model, "-")
	if strings.Trim(n, "-.") == "" {
		return "tsc"
	}
	return n
}

// Train fits cfg.Model on cfg.Data's train split cfg.Runs times (seeds Seed, Seed+1,
// ...) and tests it on the test split, as one experiment of package run: the run
// directory opt.Root/<time>-<dataset>-<model> (or opt.Name) gets config.json (cfg),
// metrics.jsonl, energy.json, summary.json (accuracy per run, mean, headline),
// report.html, the last run's confusion plot (ConfusionFile, a figure of the report)
// and its fitted model (ModelFile, when the model can be saved).
//
// A single run (Runs = 1) is the experiment itself. A deep model (StepTrainer) trains
// inside it: one metric line per epoch, checkpoint.ergckpt every CheckpointEvery
// epochs, progress per epoch. Other models log one metric line for the run.
//
// Several runs make the experiment a series: each run r is a single run of its own in
// the subdirectory <time>-run<r>, with every file above, and the series directory logs
// one metric line per finished run (step r+1) and sums them up; its model and
// confusion plot are the last run's.
//
// With opt.Resume the run's recorded configuration is used and cfg is ignored. A
// resumed single run continues its deep training from its checkpoint (from the start
// when it was killed before the first one; a model without checkpoints is fitted
// again); a resumed series keeps its finished runs, resumes the unfinished one and
// starts the rest. Resuming gives the same model and accuracy as an uninterrupted
// run.
//
// A run that fails or is interrupted (ctx cancelled: its summary says "interrupted")
// after its directory was made returns, with the error, an outcome holding only Dir.
//
// An invalid configuration is a *run.FieldError naming the key, and no run directory
// is created. For a new run, cfg.Data is first resolved with ResolveData and both
// splits are read, so that unreadable data is reported in the same way.
func Train(ctx context.Context, cfg TrainConfig, opt run.Options) (*TrainOutcome, error) {
	var tr, te *ucr.Dataset
	if opt.Resume == "" {
		if cfg.Data != "" {
			d, err := ResolveData(cfg.Data)
			if err != nil {
				return nil, err
			}
			cfg.Data = d
		}
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		var err error
		if tr, te, err = ucr.Load(cfg.Data); err != nil {
			return nil, &run.FieldError{Field: "data", Value: cfg.Data, Reason: err.Error()}
		}
		for _, p := range []*string{&cfg.Save, &cfg.Confusion} {
			if *p != "" {
				if *p, err = filepath.Abs(*p); err != nil {
					return nil, err
				}
			}
		}
	}
	exp, err := run.Start(opt, cfg.defaultName(), &cfg, nil)
	if err != nil {
		return nil, err
	}
	if tr == nil {
		if tr, te, err = ucr.Load(cfg.Data); err != nil {
			return &TrainOutcome{Dir: exp.Dir.Path, Resumed: true, Model: cfg.Model}, exp.Fail(fmt.Errorf("tsc: %w", err))
		}
	}
	var out *TrainOutcome
	if cfg.Runs == 1 {
		var s *single
		if s, err = trainSingle(ctx, exp, cfg, 0, tr, te); err == nil {
			out = &TrainOutcome{Dir: exp.Dir.Path, Report: s.report, Dataset: tr.Name, Model: cfg.Model, Runs: []RunOutcome{s.ro},
				MeanAccuracy: s.ro.Accuracy, MeanTrainSeconds: s.ro.TrainSeconds, Seconds: s.ro.Seconds, Joules: s.ro.Joules,
				EnergyStatus: s.ro.EnergyStatus, ModelFile: s.modelFile, ConfusionPlot: s.confusion, Headline: s.headline}
		}
	} else {
		out, err = trainSeries(ctx, exp, cfg, tr, te)
	}
	if err != nil {
		return &TrainOutcome{Dir: exp.Dir.Path, Resumed: exp.Resumed, Model: cfg.Model}, exp.Fail(err)
	}
	out.Resumed = exp.Resumed
	if cfg.Save != "" {
		out.Saved = cfg.Save
	}
	if cfg.Confusion != "" {
		out.Confusion = cfg.Confusion
	}
	return out, nil
}

// single is the result of one single-run experiment.
type single struct {
	ro                   RunOutcome
	report, headline     string
	modelFile, confusion string  // paths in the run directory ("" when not written)
	sessSeconds          float64 // this session's share of ro.Seconds and ro.Joules
	sessJoules           float64
}

// trainSingle fits and tests one run (index r, seed cfg.Seed) in exp and finishes
// exp. On error the caller fails exp.
func trainSingle(ctx context.Context, exp *run.Experiment, cfg TrainConfig, r int, tr, te *ucr.Dataset) (*single, error) {
	start := time.Now()
	c, err := New(cfg.Model, cfg.Params)
	if err != nil {
		return nil, err
	}
	st, stepped := c.(StepTrainer)
	if exp.Resumed {
		// The time and energy of earlier sessions, as far as they were recorded when
		// the run was interrupted or failed (a deep model's checkpoint has its own,
		// which the trainer hands to the experiment instead).
		var prev run.Summary
		if exp.Dir.ReadJSON(run.SummaryFile, &prev) == nil {
			sec, _ := prev["seconds"].(float64)
			j, _ := prev["joules"].(float64)
			es, _ := prev["energy_status"].(string)
			exp.SetPrior(sec, j, es)
		}
		if !stepped { // fitted again from the start: drop the earlier session's line
			if err := exp.Dir.TruncateMetrics(0); err != nil {
				return nil, err
			}
		}
	}
	prog := exp.Progress("run", 1, 0)
	verb := "training"
	if exp.Resumed {
		verb = "resuming"
	}
	prog.Printf("%s: %s %s on %s (%d train, %d test cases, seed %d) in %s", exp.Dir.Name, verb, cfg.Model, tr.Name, tr.Len(), te.Len(), cfg.Seed, exp.Dir.Path)
	fopt := FitOptions{Seed: cfg.Seed, Threads: cfg.Threads, Backend: cfg.Backend, Epochs: cfg.Epochs,
		CheckpointEvery: cfg.CheckpointEvery, Experiment: exp}
	t0 := time.Now()
	if err := c.Fit(ctx, tr, fopt); err != nil {
		return nil, err
	}
	ro := RunOutcome{Run: r, Seed: cfg.Seed, TrainSeconds: time.Since(t0).Seconds()}
	if stepped {
		ts := st.TrainStats()
		ro.Steps, ro.Epochs, ro.Loss = ts.Steps, ts.Epochs, ts.Loss
		if ts.Seconds > 0 {
			ro.TrainSeconds = ts.Seconds
		}
	}
	t1 := time.Now()
	pred, err := c.Predict(ctx, te.X)
	if err != nil {
		return nil, err
	}
	ro.TestSeconds = time.Since(t1).Seconds()
	ro.Accuracy = Accuracy(pred, te.Y)
	s := &single{}
	if _, ok := c.(Persister); ok {
		s.modelFile = exp.Dir.File(ModelFile)
		if err := SaveModel(s.modelFile, cfg.Model, cfg.Params, c); err != nil {
			return nil, err
		}
		if cfg.Save != "" {
			if err := SaveModel(cfg.Save, cfg.Model, cfg.Params, c); err != nil {
				return nil, err
			}
		}
	} else if cfg.Save != "" {
		return nil, fmt.Errorf("tsc: --save: model %s cannot be saved", cfg.Model)
	}
	cm := NewConfusion(tr.Classes, pred, te.Y)
	title := fmt.Sprintf("%s / %s (seed %d): accuracy %.4f", tr.Name, cfg.Model, cfg.Seed, ro.Accuracy)
	s.confusion = exp.Dir.File(ConfusionFile)
	if err := cm.Plot(s.confusion, title); err != nil {
		return nil, err
	}
	if err := exp.Dir.AddFigure(ConfusionFile, fmt.Sprintf("Test confusion matrix of %s on %s (rows: true class, columns: predicted), accuracy %.4f.", cfg.Model, tr.Name, ro.Accuracy)); err != nil {
		return nil, err
	}
	if cfg.Confusion != "" {
		if err := cm.Plot(cfg.Confusion, title); err != nil {
			return nil, err
		}
	}
	ro.Seconds = exp.Seconds()
	ro.Joules, ro.EnergyStatus = exp.Joules()
	s.sessSeconds = time.Since(start).Seconds()
	s.sessJoules, _ = exp.SessionJoules()
	if !stepped {
		if err := exp.Log(run.Metric{"step": 1, "run": r, "seed": cfg.Seed, "accuracy": ro.Accuracy, "train_seconds": ro.TrainSeconds,
			"test_seconds": ro.TestSeconds, "seconds": ro.Seconds, "joules": ro.Joules}); err != nil {
			return nil, err
		}
	}
	s.ro = ro
	s.headline = fmt.Sprintf("%s on %s (seed %d): test accuracy %.4f; training %.3g s, %s", cfg.Model, tr.Name, cfg.Seed, ro.Accuracy, ro.TrainSeconds, energyText(ro.Joules, ro.EnergyStatus))
	sum := run.Summary{"headline": s.headline, "dataset": tr.Name, "model": cfg.Model, "seed": cfg.Seed,
		"accuracy": ro.Accuracy, "mean_accuracy": ro.Accuracy, "train_seconds": ro.TrainSeconds, "test_seconds": ro.TestSeconds,
		"runs": []RunOutcome{ro}, "confusion_plot": ConfusionFile}
	if s.modelFile != "" {
		sum["model_file"] = ModelFile
	}
	if stepped {
		sum["steps"], sum["epochs"], sum["loss"] = ro.Steps, ro.Epochs, ro.Loss
	}
	prog.Printf("%s: %s", exp.Dir.Name, s.headline)
	if s.report, err = exp.Finish(sum); err != nil {
		return nil, err
	}
	return s, nil
}

func energyText(j float64, status string) string {
	if status == "" {
		return "energy not metered"
	}
	return fmt.Sprintf("%.4g J %s", j, status)
}

// trainSeries runs cfg.Runs single runs as child experiments of exp and finishes exp.
func trainSeries(ctx context.Context, exp *run.Experiment, cfg TrainConfig, tr, te *ucr.Dataset) (*TrainOutcome, error) {
	children := map[string]run.Info{}
	if exp.Resumed {
		infos, err := run.List(exp.Dir.Path)
		if err != nil {
			return nil, err
		}
		for _, inf := range infos { // oldest first: a later directory of the same name wins
			children[inf.Name] = inf
		}
	}
	logged := map[int]bool{}
	ms, err := exp.Dir.Metrics()
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if r, ok := m["run"].(float64); ok {
			logged[int(r)] = true
		}
	}
	o := exp.Options()
	var (
		runs             []RunOutcome
		priorSec, priorJ float64
		priorStatus      string
		lastDir          string
		done             int
	)
	for r := 0; r < cfg.Runs; r++ {
		if inf, ok := children[fmt.Sprintf("run%d", r)]; ok && inf.Status == "finished" {
			done++
		}
	}
	prog := exp.Progress("run", cfg.Runs, done)
	for r := 0; r < cfg.Runs; r++ {
		name := fmt.Sprintf("run%d", r)
		ccfg := cfg
		ccfg.Runs, ccfg.Seed, ccfg.Save, ccfg.Confusion = 1, cfg.Seed+uint64(r), "", ""
		if r == cfg.Runs-1 { // the extra copies are the last run's
			ccfg.Save, ccfg.Confusion = cfg.Save, cfg.Confusion
		}
		var ro RunOutcome
		inf, found := children[name]
		if found && inf.Status == "finished" {
			d, err := run.Open(inf.Path)
			if err != nil {
				return nil, err
			}
			var sum struct {
				Runs         []RunOutcome `json:"runs"`
				Seconds      float64      `json:"seconds"`
				Joules       float64      `json:"joules"`
				EnergyStatus string       `json:"energy_status"`
			}
			if err := d.ReadJSON(run.SummaryFile, &sum); err != nil || len(sum.Runs) != 1 {
				return nil, fmt.Errorf("tsc: %s: no run in %s (%v)", inf.Path, run.SummaryFile, err)
			}
			ro = sum.Runs[0]
			priorSec += sum.Seconds
			priorJ += sum.Joules
			if priorStatus == "" {
				priorStatus = sum.EnergyStatus
			}
			exp.SetPrior(priorSec, priorJ, priorStatus)
		} else {
			copt := run.Options{Root: exp.Dir.Path, Name: name, Progress: o.Progress, Quiet: o.Quiet, NoMeter: o.NoMeter, Meter: o.Meter}
			if found {
				copt.Resume = inf.Path
			}
			child, err := run.Start(copt, name, &ccfg, nil)
			if err != nil {
				return nil, err
			}
			s, err := trainSingle(ctx, child, ccfg, r, tr, te)
			if err != nil {
				return nil, child.Fail(err)
			}
			ro = s.ro
			if child.Resumed { // the child's earlier sessions precede this session of the series
				priorSec += max(0, ro.Seconds-s.sessSeconds)
				priorJ += max(0, ro.Joules-s.sessJoules)
				if priorStatus == "" {
					priorStatus = ro.EnergyStatus
				}
				exp.SetPrior(priorSec, priorJ, priorStatus)
			}
			inf.Path = child.Dir.Path
		}
		ro.Run = r
		ro.Dir = filepath.Base(inf.Path)
		lastDir = inf.Path
		runs = append(runs, ro)
		if !logged[r] {
			m := run.Metric{"step": r + 1, "run": r, "seed": ro.Seed, "accuracy": ro.Accuracy, "train_seconds": ro.TrainSeconds,
				"test_seconds": ro.TestSeconds, "seconds": ro.Seconds, "joules": ro.Joules, "dir": ro.Dir}
			if ro.Epochs > 0 {
				m["epochs"] = ro.Epochs
			}
			if err := exp.Log(m); err != nil {
				return nil, err
			}
		}
		if found && inf.Status == "finished" {
			prog.Printf("%s: %s finished earlier: test accuracy %.4f", exp.Dir.Name, ro.Dir, ro.Accuracy)
		} else {
			prog.Update(r+1, fmt.Sprintf("run %d accuracy %.4f", r, ro.Accuracy), true)
		}
	}
	prog.Finish()

	out := &TrainOutcome{Dir: exp.Dir.Path, Dataset: tr.Name, Model: cfg.Model, Runs: runs}
	acc := make([]float64, len(runs))
	for i, ro := range runs {
		acc[i] = ro.Accuracy
		out.MeanAccuracy += ro.Accuracy / float64(len(runs))
		out.MeanTrainSeconds += ro.TrainSeconds / float64(len(runs))
	}
	sd := 0.0
	for _, a := range acc {
		sd += (a - out.MeanAccuracy) * (a - out.MeanAccuracy)
	}
	sd = math.Sqrt(sd / float64(max(1, len(acc)-1)))
	lo, hi := acc[0], acc[0]
	for _, a := range acc {
		lo, hi = min(lo, a), max(hi, a)
	}
	// The series' model and confusion plot are the last run's.
	if err := copyFile(filepath.Join(lastDir, ConfusionFile), exp.Dir.File(ConfusionFile)); err != nil {
		return nil, err
	}
	out.ConfusionPlot = exp.Dir.File(ConfusionFile)
	last := runs[len(runs)-1]
	if err := exp.Dir.AddFigure(ConfusionFile, fmt.Sprintf("Test confusion matrix of the last run (%s, seed %d), accuracy %.4f; every run's is in its own directory.", last.Dir, last.Seed, last.Accuracy)); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(lastDir, ModelFile)); err == nil {
		if err := copyFile(filepath.Join(lastDir, ModelFile), exp.Dir.File(ModelFile)); err != nil {
			return nil, err
		}
		out.ModelFile = exp.Dir.File(ModelFile)
	}
	out.Seconds = exp.Seconds()
	out.Joules, out.EnergyStatus = exp.Joules()
	out.Headline = fmt.Sprintf("%s on %s, %d runs: mean test accuracy %.4f (sd %.4f, %.4f to %.4f); mean training %.3g s, %s in all",
		cfg.Model, tr.Name, len(runs), out.MeanAccuracy, sd, lo, hi, out.MeanTrainSeconds, energyText(out.Joules, out.EnergyStatus))
	sum := run.Summary{"headline": out.Headline, "dataset": tr.Name, "model": cfg.Model, "seed": cfg.Seed,
		"accuracy": out.MeanAccuracy, "mean_accuracy": out.MeanAccuracy, "sd_accuracy": sd, "accuracies": acc,
		"mean_train_seconds": out.MeanTrainSeconds, "runs": runs, "confusion_plot": ConfusionFile}
	if out.ModelFile != "" {
		sum["model_file"] = ModelFile
	}
	prog.Printf("%s: %s", exp.Dir.Name, out.Headline)
	var err2 error
	if out.Report, err2 = exp.Finish(sum); err2 != nil {
		return nil, err2
	}
	return out, nil
}

// copyFile copies src to dst atomically.
func copyFile(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("tsc: %w", err)
	}
	defer f.Close()
	return atomicfile.WriteFunc(dst, func(w io.Writer) error {
		_, err := io.Copy(w, f)
		return err
	})
}
