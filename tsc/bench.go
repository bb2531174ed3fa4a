package tsc

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/meter"
	"github.com/ergml/erg/ucr"
)

// EnergyMeter measures the energy of one piece of work: Start before it, Stop after
// it. Status says how the figure was obtained ("measured" for hardware counters such
// as RAPL or NVML, "estimated" for a model); the runner records it next to the
// joules. Implementations must allow Start/Stop pairs from different goroutines on
// different meters at the same time. *meter.Share satisfies it.
type EnergyMeter interface {
	Start()
	Stop() (joules float64, status string)
}

// Result is one cell of a benchmark: one model trained and tested once on one
// dataset.
type Result struct {
	Dataset      string
	Model        string
	Run          int
	Seed         uint64
	Accuracy     float64
	TrainSeconds float64
	TestSeconds  float64
	EnergyJ      float64 // training and testing
	EnergyStatus string  // "measured" or "estimated"
	Finished     time.Time
}

// ResultsHeader is the header of a results CSV.
var ResultsHeader = []string{"dataset", "model", "run", "seed", "accuracy", "train_seconds", "test_seconds", "energy_j", "energy_status", "finished"}

// BenchConfig configures RunBench. The zero values of the optional fields are
// documented defaults.
type BenchConfig struct {
	// Datasets are problem directories (each read with ucr.Load).
	Datasets []string
	// Models are registered model names.
	Models []string
	// Params holds per-model hyperparameters (key: model name).
	Params map[string]Params
	// Runs per (dataset, model); 0 means 5. Run r uses seed Seed+r.
	Runs int
	Seed uint64
	// Out is the results CSV; cells already in it are skipped, so an interrupted
	// benchmark resumes where it stopped. It is rewritten atomically after each cell.
	Out string
	// Workers is the number of cells run at once; 0 means runtime.NumCPU(). Each cell
	// gets max(1, NumCPU/Workers) threads.
	Workers int
	// Epochs and Backend are passed to the models (see FitOptions).
	Epochs  int
	Backend string
	// Meter makes one energy meter per cell; nil means shares of one meter.Shared
	// ledger: process CPU time split among the cells running at once, at the CPU's
	// power per core from package meter's table, labelled "estimated".
	Meter func() EnergyMeter
	// Progress receives one line per finished (or failed) cell, nil for none.
	Progress io.Writer
}

type cellKey struct {
	dataset, model string
	run            int
}

// RunBench runs every (dataset, model, run) cell not yet in cfg.Out and returns all
// results (old and new). A failing cell is reported on Progress and in the returned
// error (all failures joined) but does not stop the others.
func RunBench(ctx context.Context, cfg BenchConfig) ([]Result, error) {
	if cfg.Out == "" {
		return nil, errors.New("tsc: bench: no results file")
	}
	if len(cfg.Datasets) == 0 || len(cfg.Models) == 0 {
		return nil, errors.New("tsc: bench: no datasets or no models")
	}
	for _, m := range cfg.Models {
		if _, err := New(m, cfg.Params[m]); err != nil {
			return nil, err
		}
	}
	runs := cfg.Runs
	if runs <= 0 {
		runs = 5
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	newMeter := cfg.Meter
	if newMeter == nil {
		shared := meter.NewShared(meter.Config{})
		newMeter = func() EnergyMeter { return shared.New() }
	}
	results, err := ReadResults(cfg.Out)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	done := map[cellKey]bool{}
	for _, r := range results {
		done[cellKey{r.Dataset, r.Model, r.Run}] = true
	}
	type cell struct {
		key cellKey
		dir string
	}
	var todo []cell
	// Run-major order: every (dataset, model) gets run 0 before any gets run 1, so
	// an interrupted benchmark leaves a balanced table.
	for r := 0; r < runs; r++ {
		for _, dir := range cfg.Datasets {
			name := filepath.Base(filepath.Clean(dir))
			for _, m := range cfg.Models {
				k := cellKey{name, m, r}
				if !done[k] {
					todo = append(todo, cell{k, dir})
				}
			}
		}
	}
	total := len(todo)
	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, "bench: %d cells to run, %d already in %s, %d at a time\n", total, len(results), cfg.Out, min(workers, max(total, 1)))
	}
	var (
		mu       sync.Mutex
		finished int
		errs     []error
		start    = time.Now()
	)
	data := &datasetCache{m: map[string]*splitOnce{}}
	threads := max(1, runtime.NumCPU()/workers)
	jobs := make(chan cell)
	var wg sync.WaitGroup
	for range min(workers, max(total, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				res, err := runCellDir(ctx, c.key, c.dir, cfg, cfg.Seed+uint64(c.key.run), threads, newMeter(), data)
				mu.Lock()
				finished++
				if err != nil {
					err = fmt.Errorf("%s/%s run %d: %w", c.key.dataset, c.key.model, c.key.run, err)
					errs = append(errs, err)
					if cfg.Progress != nil {
						fmt.Fprintf(cfg.Progress, "[%d/%d] FAILED %v\n", finished, total, err)
					}
				} else {
					results = append(results, res)
					if werr := WriteResults(cfg.Out, results); werr != nil {
						errs = append(errs, werr)
					}
					if cfg.Progress != nil {
						el := time.Since(start)
						eta := time.Duration(float64(el) / float64(finished) * float64(total-finished))
						fmt.Fprintf(cfg.Progress, "[%d/%d] %s %s run %d: accuracy %.4f, train %.2f s, %.1f J (%s), ETA %s\n",
							finished, total, res.Dataset, res.Model, res.Run, res.Accuracy, res.TrainSeconds, res.EnergyJ, res.EnergyStatus, eta.Round(time.Second))
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, c := range todo {
		if ctx.Err() != nil {
			break
		}
		jobs <- c
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	sortResults(results)
	return results, errors.Join(errs...)
}

type splitOnce struct {
	once        sync.Once
	train, test *ucr.Dataset
	err         error
}

// datasetCache loads each dataset once; cells share the (read-only) data.
type datasetCache struct {
	mu sync.Mutex
	m  map[string]*splitOnce
}

func (c *datasetCache) get(dir string) (*ucr.Dataset, *ucr.Dataset, error) {
	c.mu.Lock()
	s, ok := c.m[dir]
	if !ok {
		s = &splitOnce{}
		c.m[dir] = s
	}
	c.mu.Unlock()
	s.once.Do(func() { s.train, s.test, s.err = ucr.Load(dir) })
	return s.train, s.test, s.err
}

func runCellDir(ctx context.Context, k cellKey, dir string, cfg BenchConfig, seed uint64, threads int, m EnergyMeter, data *datasetCache) (Result, error) {
	train, test, err := data.get(dir)
	if err != nil {
		return Result{}, err
	}
	return runCell(ctx, k, train, test, cfg, seed, threads, m)
}

// RunBenchCell runs one (dataset, model, run) cell as RunBench runs each of its cells:
// model of cfg (with cfg.Params, Epochs and Backend) fitted on train with seed (RunBench
// uses cfg.Seed+run) and threads threads, tested on test, both metered by m. dataset
// names the cell in the result (RunBench: the base name of the dataset's directory).
// The sweep runner of erg tsc bench --sweep calls it.
func RunBenchCell(ctx context.Context, cfg BenchConfig, train, test *ucr.Dataset, dataset, model string, run int, seed uint64, threads int, m EnergyMeter) (Result, error) {
	return runCell(ctx, cellKey{dataset, model, run}, train, test, cfg, seed, threads, m)
}

func runCell(ctx context.Context, k cellKey, train, test *ucr.Dataset, cfg BenchConfig, seed uint64, threads int, m EnergyMeter) (Result, error) {
	c, err := New(k.model, cfg.Params[k.model])
	if err != nil {
		return Result{}, err
	}
	m.Start()
	t0 := time.Now()
	err = c.Fit(ctx, train, FitOptions{Seed: seed, Threads: threads, Backend: cfg.Backend, Epochs: cfg.Epochs})
	trainSec := time.Since(t0).Seconds()
	if err != nil {
		m.Stop()
		return Result{}, err
	}
	t1 := time.Now()
	pred, err := c.Predict(ctx, test.X)
	testSec := time.Since(t1).Seconds()
	joules, status := m.Stop()
	if err != nil {
		return Result{}, err
	}
	return Result{
		Dataset: k.dataset, Model: k.model, Run: k.run, Seed: seed,
		Accuracy: Accuracy(pred, test.Y), TrainSeconds: trainSec, TestSeconds: testSec,
		EnergyJ: joules, EnergyStatus: status, Finished: time.Now().UTC(),
	}, nil
}

func sortResults(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Dataset != b.Dataset {
			return a.Dataset < b.Dataset
		}
		if a.Model != b.Model {
			return a.Model < b.Model
		}
		return a.Run < b.Run
	})
}

// WriteResults writes results (sorted by dataset, model, run) to path atomically.
func WriteResults(path string, results []Result) error {
	rs := append([]Result(nil), results...)
	sortResults(rs)
	return atomicfile.WriteFunc(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(ResultsHeader)
		for _, r := range rs {
			cw.Write([]string{
				r.Dataset, r.Model, strconv.Itoa(r.Run), strconv.FormatUint(r.Seed, 10),
				strconv.FormatFloat(r.Accuracy, 'g', 8, 64),
				strconv.FormatFloat(r.TrainSeconds, 'f', 4, 64),
				strconv.FormatFloat(r.TestSeconds, 'f', 4, 64),
				strconv.FormatFloat(r.EnergyJ, 'f', 3, 64),
				r.EnergyStatus, r.Finished.Format(time.RFC3339),
			})
		}
		cw.Flush()
		return cw.Error()
	})
}

// ReadResults reads a results CSV written by WriteResults (or by hand: only the
// dataset, model and accuracy columns are required; run defaults to the row's
// order within its dataset and model). Errors name the file, line and column.
func ReadResults(path string) ([]Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tsc: results: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("tsc: %s:1: reading header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"dataset", "model", "accuracy"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("tsc: %s:1: no %q column in header %v", path, need, header)
		}
	}
	var out []Result
	count := map[[2]string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tsc: %s:%d: %w", path, line, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		var r Result
		r.Dataset, r.Model, r.EnergyStatus = get("dataset"), get("model"), get("energy_status")
		if r.Dataset == "" || r.Model == "" {
			return nil, fmt.Errorf("tsc: %s:%d: empty dataset or model", path, line)
		}
		k := [2]string{r.Dataset, r.Model}
		r.Run = count[k]
		count[k]++
		num := func(name string, dst *float64) error {
			s := get(name)
			if s == "" {
				return nil
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("tsc: %s:%d: column %s: %q is not a number", path, line, name, s)
			}
			*dst = v
			return nil
		}
		for name, dst := range map[string]*float64{"accuracy": &r.Accuracy, "train_seconds": &r.TrainSeconds, "test_seconds": &r.TestSeconds, "energy_j": &r.EnergyJ} {
			if err := num(name, dst); err != nil {
				return nil, err
			}
		}
		if s := get("accuracy"); s == "" {
			return nil, fmt.Errorf("tsc: %s:%d: empty accuracy", path, line)
		}
		if s := get("run"); s != "" {
			if r.Run, err = strconv.Atoi(s); err != nil {
				return nil, fmt.Errorf("tsc: %s:%d: column run: %q is not an integer", path, line, s)
			}
		}
		if s := get("seed"); s != "" {
			if r.Seed, err = strconv.ParseUint(s, 10, 64); err != nil {
				return nil, fmt.Errorf("tsc: %s:%d: column seed: %q is not an integer", path, line, s)
			}
		}
		if s := get("finished"); s != "" {
			r.Finished, _ = time.Parse(time.RFC3339, s)
		}
		out = append(out, r)
	}
	return out, nil
}

// MeanAccuracy averages the accuracy over runs for every (dataset, model) and
// returns the sorted dataset and model names and acc[dataset][model] (NaN where a
// pair has no result).
func MeanAccuracy(results []Result) (datasets, models []string, acc [][]float64) {
	sum := map[[2]string]float64{}
	n := map[[2]string]int{}
	ds, ms := map[string]bool{}, map[string]bool{}
	for _, r := range results {
		k := [2]string{r.Dataset, r.Model}
		sum[k] += r.Accuracy
		n[k]++
		ds[r.Dataset], ms[r.Model] = true, true
	}
	for d := range ds {
		datasets = append(datasets, d)
	}
	for m := range ms {
		models = append(models, m)
	}
	sort.Strings(datasets)
	sort.Strings(models)
	acc = make([][]float64, len(datasets))
	for i, d := range datasets {
		acc[i] = make([]float64, len(models))
		for j, m := range models {
			k := [2]string{d, m}
			if n[k] == 0 {
				acc[i][j] = math.NaN()
			} else {
				acc[i][j] = sum[k] / float64(n[k])
			}
		}
	}
	return datasets, models, acc
}
