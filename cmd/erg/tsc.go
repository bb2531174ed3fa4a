package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/sweep"
	"github.com/ergml/erg/tsc"
	"github.com/ergml/erg/tsc/cd"
	_ "github.com/ergml/erg/tsc/minirocket" // registers "minirocket"
	"github.com/ergml/erg/tsc/tscsweep"     // registers the "tsc" sweep capability
	"github.com/ergml/erg/ucr"
)

// newTSCCmd returns the tsc command group.
func newTSCCmd() *cobra.Command {
	tscCmd := &cobra.Command{
		Use:   "tsc",
		Short: "time-series classification: UCR/UEA data, MiniRocket and deep models, benchmarks, CD diagrams",
		Long: `Time-series classification on the UCR/UEA archive formats (.ts, .tsv, .arff).
A dataset is a directory NAME holding NAME_TRAIN and NAME_TEST files.
Models are registered by name; "erg tsc train --help" lists them.`,
		Example: "  erg tsc info ../shared/data/ucr/GunPoint\n  erg tsc train --data ../shared/data/ucr/GunPoint --model minirocket",
	}
	tscCmd.AddCommand(tscInfoCmd(), tscTrainCmd(), tscPredictCmd(), tscBenchCmd(), tscCDCmd(), tscFetchCmd())
	return tscCmd
}

// parseParams turns "k=v" strings into tsc.Params.
func parseParams(kv []string) (tsc.Params, error) {
	p := tsc.Params{}
	for _, s := range kv {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return nil, usagef("--set %q: want key=value", s)
		}
		p[k] = v
	}
	return p, nil
}

// ---- info

type tscInfo struct {
	Name        string         `json:"name"`
	Dir         string         `json:"dir"`
	Train       int            `json:"train_cases"`
	Test        int            `json:"test_cases"`
	Dims        int            `json:"dims"`
	MinLength   int            `json:"min_length"`
	MaxLength   int            `json:"max_length"`
	EqualLength bool           `json:"equal_length"`
	Missing     bool           `json:"missing_values"`
	Classes     []string       `json:"classes"`
	TrainCounts map[string]int `json:"train_class_counts"`
	TestCounts  map[string]int `json:"test_class_counts"`
	Files       []string       `json:"files"`
}

func tscInfoCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "info DIR",
		Short:   "summarise a dataset (a directory, or a name under $ERG_DATA/ucr): cases, dimensions, lengths, classes",
		Example: "  erg tsc info ../shared/data/ucr/PLAID\n  erg tsc info ../shared/data/ucr/BasicMotions --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if d, err := tsc.ResolveData(args[0]); err == nil { // a bare name: under $ERG_DATA/ucr
				args[0] = d
			}
			train, test, err := ucr.Load(args[0])
			if err != nil {
				return err
			}
			in := tscInfo{Name: train.Name, Dir: args[0], Train: train.Len(), Test: test.Len(), Dims: train.Dims(),
				Missing: train.HasMissing() || test.HasMissing(), Classes: train.Classes,
				TrainCounts: map[string]int{}, TestCounts: map[string]int{}, Files: []string{train.Path, test.Path}}
			lo, hi := train.Lengths()
			lo2, hi2 := test.Lengths()
			in.MinLength, in.MaxLength = min(lo, lo2), max(hi, hi2)
			in.EqualLength = in.MinLength == in.MaxLength
			for _, y := range train.Y {
				in.TrainCounts[y]++
			}
			for _, y := range test.Y {
				in.TestCounts[y]++
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), in)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s (%s, %s)\n", in.Name, in.Files[0], filepath.Base(in.Files[1]))
			fmt.Fprintf(w, "  cases       %d train, %d test\n", in.Train, in.Test)
			fmt.Fprintf(w, "  dimensions  %d\n", in.Dims)
			if in.EqualLength {
				fmt.Fprintf(w, "  length      %d\n", in.MinLength)
			} else {
				fmt.Fprintf(w, "  length      %d to %d (unequal)\n", in.MinLength, in.MaxLength)
			}
			fmt.Fprintf(w, "  missing     %v\n", in.Missing)
			fmt.Fprintf(w, "  classes     %d\n", len(in.Classes))
			for _, c := range in.Classes {
				fmt.Fprintf(w, "    %-12s %4d train %5d test\n", c, in.TrainCounts[c], in.TestCounts[c])
			}
			return nil
		},
	}
}

// ---- train

func tscTrainCmd() *cobra.Command {
	var (
		data, model, save, confusion string
		set                          []string
		seed                         uint64
		runs, threads, epochs        int
		rf                           runFlags
	)
	cmd := &cobra.Command{
		Use:   "train --data DIR --model NAME",
		Short: "train a model on a dataset's train split in a run directory and report test accuracy, time and energy",
		Long: `Trains --model on the train split of --data (--runs times, seeds --seed, --seed+1, ...) and
tests it on the test split, as one metered, resumable run in --root/<time>-<dataset>-<model>
(or --name): config.json, metrics.jsonl (one line per epoch for the deep models, per run for
the others), checkpoint.ergckpt (deep models), energy.json, summary.json (accuracy per run,
mean), report.html, the test confusion plot (confusion.png) and the fitted model
(model.ergtsc, for "erg tsc predict"). With several runs each run has a directory of its own
inside the run's, and the run's model and plot are the last run's.

--data is a directory NAME holding NAME_TRAIN and NAME_TEST (.ts, .arff, .tsv), or the bare
name of one under $ERG_DATA/ucr. An interrupted run (Ctrl-C, kill -9) continues with
--resume DIR (or a unique part of its name): deep training from its last checkpoint, finished
runs kept, to the same model and accuracy as an uninterrupted run; the recorded
configuration is used, so the other flags cannot be given with --resume. --save and
--confusion write extra copies of the (last) model and plot (PNG, or SVG by extension).`,
		Example: `  erg tsc train --data ../shared/data/ucr/GunPoint --model minirocket
  erg tsc train --data GunPoint --model fcn --epochs 100 --name gp-fcn
  erg tsc train --resume gp-fcn
  erg tsc train --data ../shared/data/ucr/ArrowHead --model minirocket --runs 5 --json
  erg tsc train --data ../shared/data/ucr/BasicMotions --model minirocket --save bm.model --confusion bm.png`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := rf.options(cmd)
			var cfg tsc.TrainConfig
			if rf.resume != "" {
				for _, name := range []string{"data", "model", "set", "seed", "runs", "threads", "epochs", "save", "confusion", "name", "backend"} {
					if cmd.Flags().Changed(name) {
						return flagError(name, "cannot be given with --resume: the run continues with the configuration in its %s", run.ConfigFile)
					}
				}
				if _, err := run.Resolve(rf.root, rf.resume); err != nil {
					return flagError("resume", "%v", err)
				}
			} else {
				params, err := parseParams(set)
				if err != nil {
					return err
				}
				cfg = tsc.TrainConfig{Command: commandLine(), Data: data, Model: model, Params: params, Seed: seed, Runs: runs,
					Epochs: epochs, Threads: threads, Backend: backend.Name(backendFlag(cmd)), Save: save, Confusion: confusion}
			}
			ctx, stop := signalContext()
			defer stop()
			out, err := tsc.Train(ctx, cfg, opt)
			if err != nil && out != nil && errors.Is(err, context.Canceled) {
				return fmt.Errorf("%w; continue the run with: erg tsc train --resume %s", err, out.Dir)
			}
			if err != nil {
				return invalidConfig(err)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, out)
			}
			for _, r := range out.Runs {
				fmt.Fprintf(w, "%s %s seed %d: test accuracy %.4f, train %.3f s, test %.3f s, %.1f J (%s)\n",
					out.Dataset, out.Model, r.Seed, r.Accuracy, r.TrainSeconds, r.TestSeconds, r.Joules, r.EnergyStatus)
			}
			if len(out.Runs) > 1 {
				fmt.Fprintf(w, "mean over %d runs: test accuracy %.4f, train %.3f s\n", len(out.Runs), out.MeanAccuracy, out.MeanTrainSeconds)
			}
			fmt.Fprintf(w, "run directory %s (report %s)\n", out.Dir, filepath.Base(out.Report))
			if out.Saved != "" {
				fmt.Fprintf(w, "model saved to %s\n", out.Saved)
			}
			if out.Confusion != "" {
				fmt.Fprintf(w, "confusion matrix plotted to %s\n", out.Confusion)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "dataset directory holding NAME_TRAIN and NAME_TEST (.ts, .arff or .tsv), or a name under $ERG_DATA/ucr")
	f.StringVar(&model, "model", "minirocket", "model name; registered: "+strings.Join(tsc.Models(), ", "))
	f.StringArrayVar(&set, "set", nil, "model parameter key=value (repeatable), e.g. num_features=20000 (minirocket), length=256 (deep models: resample every series)")
	f.Uint64Var(&seed, "seed", 0, "seed of the first run")
	f.IntVar(&runs, "runs", 1, "number of runs (seeds seed, seed+1, ...)")
	f.IntVar(&threads, "threads", 0, "threads per model (0: all cores)")
	f.IntVar(&epochs, "epochs", 0, "override the epochs of deep models (0: model default)")
	f.StringVar(&save, "save", "", "also write the fitted model to this file")
	f.StringVar(&confusion, "confusion", "", "also plot the test confusion matrix to this .png or .svg file")
	rf.register(f, "DATASET-MODEL")
	return cmd
}

// ---- predict

type tscPredictOut struct {
	Model       string   `json:"model"`
	Data        string   `json:"data"`
	Cases       int      `json:"cases"`
	Accuracy    *float64 `json:"accuracy,omitempty"`
	Predictions []string `json:"predictions"`
	Out         string   `json:"out,omitempty"`
}

func tscPredictCmd() *cobra.Command {
	var modelFile, data, outPath string
	cmd := &cobra.Command{
		Use:   "predict --model-file FILE --data PATH",
		Short: "predict class labels with a model saved by erg tsc train --save",
		Long: `PATH is a split file (.ts, .arff, .tsv) or a dataset directory, of which the test split is
used. Prints the accuracy when the file has labels; --out writes case,prediction,label as CSV.`,
		Example: `  erg tsc train --data ../shared/data/ucr/GunPoint --save gp.model
  erg tsc predict --model-file gp.model --data ../shared/data/ucr/GunPoint/GunPoint_TEST.ts --out pred.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if modelFile == "" || data == "" {
				return usagef("tsc predict: --model-file and --data are required")
			}
			c, name, err := tsc.LoadModel(modelFile)
			if err != nil {
				return err
			}
			path := data
			if _, err := os.Stat(path); err != nil {
				if dir, err := tsc.ResolveData(path); err == nil { // a bare name: under $ERG_DATA/ucr
					path = dir
				}
			}
			var d *ucr.Dataset
			if st, err := os.Stat(path); err == nil && st.IsDir() {
				d, err = ucr.LoadSplit(path, filepath.Base(filepath.Clean(path)), "TEST")
				if err != nil {
					return err
				}
			} else if d, err = ucr.ReadFile(path); err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			pred, err := c.Predict(ctx, d.X)
			if err != nil {
				return err
			}
			out := tscPredictOut{Model: name, Data: data, Cases: len(pred), Predictions: pred}
			labelled := len(d.Y) == len(pred) && len(d.Classes) > 0
			if labelled {
				a := tsc.Accuracy(pred, d.Y)
				out.Accuracy = &a
			}
			if outPath != "" {
				err := atomicfile.WriteFunc(outPath, func(w io.Writer) error {
					cw := csv.NewWriter(w)
					cw.Write([]string{"case", "prediction", "label"})
					for i, p := range pred {
						l := ""
						if labelled {
							l = d.Y[i]
						}
						cw.Write([]string{fmt.Sprint(i), p, l})
					}
					cw.Flush()
					return cw.Error()
				})
				if err != nil {
					return err
				}
				out.Out = outPath
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: %d cases predicted with %s\n", data, len(pred), name)
			if out.Accuracy != nil {
				fmt.Fprintf(w, "accuracy %.4f\n", *out.Accuracy)
			}
			if outPath != "" {
				fmt.Fprintf(w, "predictions written to %s\n", outPath)
			} else if len(pred) <= 20 {
				fmt.Fprintln(w, strings.Join(pred, " "))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelFile, "model-file", "", "model file written by erg tsc train --save")
	f.StringVar(&data, "data", "", "split file or dataset directory (its TEST split), or a dataset name under $ERG_DATA/ucr")
	f.StringVar(&outPath, "out", "", "write predictions to this CSV file")
	return cmd
}

// ---- bench

// findDatasets returns dir itself when it holds a train split, else its
// subdirectories that do, optionally restricted to names.
func findDatasets(dir string, names []string) ([]string, error) {
	has := func(d string) bool {
		_, err := ucr.SplitPath(d, filepath.Base(filepath.Clean(d)), "TRAIN")
		return err == nil
	}
	var out []string
	if has(dir) {
		out = []string{dir}
	} else {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if p := filepath.Join(dir, e.Name()); e.IsDir() && has(p) {
				out = append(out, p)
			}
		}
	}
	if len(names) > 0 {
		keep := map[string]bool{}
		for _, n := range names {
			keep[n] = true
		}
		var sel []string
		for _, p := range out {
			if keep[filepath.Base(p)] {
				sel = append(sel, p)
				delete(keep, filepath.Base(p))
			}
		}
		for n := range keep {
			return nil, fmt.Errorf("tsc bench: dataset %s not found under %s", n, dir)
		}
		out = sel
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("tsc bench: no dataset (directory NAME with NAME_TRAIN.*) in %s", dir)
	}
	sort.Strings(out)
	return out, nil
}

func tscBenchCmd() *cobra.Command {
	var (
		data, out, models, datasets string
		cdOut                       string
		runs, workers, epochs       int
		seed                        uint64
		set                         []string
		useSweep                    bool
		sweepDir                    string
		nf                          natsFlags
	)
	cmd := &cobra.Command{
		Use:   "bench --data DIR --models a,b --runs 5",
		Short: "train and test every model on every dataset several times, filling a resumable results CSV",
		Long: `DIR is one dataset directory or a directory of them. Each (dataset, model, run) cell is
trained on the train split with seed --seed+run and tested on the test split; the results CSV
(dataset, model, run, seed, accuracy, train_seconds, test_seconds, energy_j, energy_status,
finished) is rewritten atomically after each cell, and cells already in it are skipped, so an
interrupted benchmark resumes. Cells run --workers at a time (default: the core count).
Energy is estimated from process CPU time, split equally among the cells running at once, at
the CPU's power per core (package meter's table), and labelled "estimated".
--set applies to every model that accepts the key, as model.key=value for one model.
With --cd FILE.png the critical-difference diagram of the finished table (as erg tsc cd) is
drawn too, with an SVG beside it, so one command makes the whole benchmark.

With --sweep the cells not yet in the CSV run as a sweep (see erg sweep): an embedded NATS
server with its store in --sweep-dir (default OUT.sweep) and --workers local workers, or the
server of --nats, to which erg worker processes on other machines connect (the datasets must be
at the same paths there, or under $ERG_DATA/ucr). The CSV is written when the sweep ends, with
the same rows as without --sweep; an interrupted sweep resumes from --sweep-dir.`,
		Example: `  erg tsc bench --data ../shared/data/ucr --models minirocket --runs 5 --out results.csv
  erg tsc bench --data ../shared/data/ucr --models fcn,resnet,minirocket --runs 5 --cd cd.png
  erg tsc bench --data ../shared/data/ucr --datasets GunPoint,ArrowHead --models fcn,resnet,minirocket --runs 5
  erg tsc bench --data ../shared/data/ucr --models minirocket --runs 5 --sweep --workers 2
  erg tsc bench --data /data/ucr --models fcn,resnet --runs 5 --sweep --nats nats://hub:4222 --workers 0
  erg tsc cd results.csv --out cd.png`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" {
				return usagef("tsc bench: --data DIR is required")
			}
			var names []string
			if datasets != "" {
				names = strings.Split(datasets, ",")
			}
			dirs, err := findDatasets(data, names)
			if err != nil {
				return err
			}
			ms := strings.Split(models, ",")
			params := map[string]tsc.Params{}
			for _, s := range set {
				k, v, ok := strings.Cut(s, "=")
				if !ok {
					return usagef("--set %q: want model.key=value", s)
				}
				m, key, ok := strings.Cut(k, ".")
				if !ok {
					return usagef("--set %q: want model.key=value", s)
				}
				if params[m] == nil {
					params[m] = tsc.Params{}
				}
				params[m][key] = v
			}
			for _, m := range ms {
				if _, err := tsc.New(m, params[m]); err != nil {
					return usagef("tsc bench: %v", err)
				}
			}
			if !useSweep {
				for _, name := range []string{"sweep-dir", "nats"} {
					if cmd.Flags().Changed(name) {
						return flagError(name, "needs --sweep")
					}
				}
			}
			ctx, stop := signalContext()
			defer stop()
			progress := cmd.ErrOrStderr()
			bcfg := tsc.BenchConfig{Datasets: dirs, Models: ms, Params: params, Runs: runs, Seed: seed,
				Out: out, Workers: workers, Epochs: epochs, Backend: backendFlag(cmd), Progress: progress}
			var res []tsc.Result
			if useSweep {
				res, err = tscBenchSweep(ctx, cmd, bcfg, sweepDir, &nf)
			} else {
				res, err = tsc.RunBench(ctx, bcfg)
			}
			if res == nil && err != nil {
				return err
			}
			ds, mm, acc := tsc.MeanAccuracy(res)
			var cdFiles []string
			var cdAnalysis any
			if cdOut != "" && err == nil && len(mm) < 2 {
				fmt.Fprintln(cmd.ErrOrStderr(), "tsc bench: no critical-difference diagram: it needs at least 2 models")
			} else if cdOut != "" && err == nil {
				a, cerr := cd.Analyze(ds, mm, acc, cd.Options{Alpha: 0.05, Method: "holm"})
				if cerr != nil {
					return fmt.Errorf("tsc bench: critical-difference diagram: %w", cerr)
				}
				svg := strings.TrimSuffix(cdOut, filepath.Ext(cdOut)) + ".svg"
				for _, p := range []string{cdOut, svg} {
					if perr := a.Plot(p); perr != nil {
						return perr
					}
					cdFiles = append(cdFiles, p)
				}
				cdAnalysis = a
			}
			if jsonOutput(cmd) {
				var rows []tscBenchRow
				for i, d := range ds {
					r := tscBenchRow{Dataset: d, Accuracy: map[string]float64{}}
					for j, m := range mm {
						r.Accuracy[m] = acc[i][j]
					}
					rows = append(rows, r)
				}
				errMsg := ""
				if err != nil {
					errMsg = err.Error()
				}
				if perr := writeJSON(cmd.OutOrStdout(), tscBenchOut{Results: out, Cells: len(res), Datasets: rows, Error: errMsg, CD: cdAnalysis, CDPlots: cdFiles}); perr != nil {
					return perr
				}
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%-20s", "mean accuracy")
			for _, m := range mm {
				fmt.Fprintf(w, " %10s", m)
			}
			fmt.Fprintln(w)
			for i, d := range ds {
				fmt.Fprintf(w, "%-20s", d)
				for j := range mm {
					fmt.Fprintf(w, " %10.4f", acc[i][j])
				}
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "results in %s\n", out)
			if len(cdFiles) > 0 {
				fmt.Fprintf(w, "critical-difference diagram: %s\n", strings.Join(cdFiles, ", "))
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "dataset directory, or a directory of dataset directories")
	f.StringVar(&datasets, "datasets", "", "comma-separated dataset names to use under --data (default: all)")
	f.StringVar(&models, "models", "minirocket", "comma-separated model names")
	f.IntVar(&runs, "runs", 5, "runs per dataset and model")
	f.Uint64Var(&seed, "seed", 0, "seed of run 0 (run r uses seed+r)")
	f.StringVar(&out, "out", "results.csv", "results CSV (resumed if it exists)")
	f.IntVar(&workers, "workers", runtime.NumCPU(), "cells run in parallel")
	f.IntVar(&epochs, "epochs", 0, "override the epochs of deep models (0: model default)")
	f.StringArrayVar(&set, "set", nil, "model parameter model.key=value (repeatable)")
	f.StringVar(&cdOut, "cd", "", "also draw the critical-difference diagram to this PNG (and .svg)")
	f.BoolVar(&useSweep, "sweep", false, "run the cells as a sweep (embedded NATS server, or --nats), see erg sweep")
	f.StringVar(&sweepDir, "sweep-dir", "", "with --sweep: the sweep directory (default OUT.sweep; resumed when it exists)")
	nf.register(f, "with --sweep: URL of an external NATS server whose erg workers run the cells")
	return cmd
}

// tscBenchSweep runs the cells of cfg not yet in cfg.Out as a sweep and writes the
// results CSV as tsc.RunBench does, returning all results (old and new).
func tscBenchSweep(ctx context.Context, cmd *cobra.Command, cfg tsc.BenchConfig, dir string, nf *natsFlags) ([]tsc.Result, error) {
	old, err := tsc.ReadResults(cfg.Out)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	have := map[string]bool{}
	for _, r := range old {
		have[tscsweep.CellID(r.Dataset, r.Model, r.Run)] = true
	}
	abs, err := filepath.Abs(cfg.Out)
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("tsc-bench-%x", sha256.Sum256([]byte(abs)))[:18]
	g, err := tscsweep.Grid(id, cfg, func(d, m string, r int) bool { return have[tscsweep.CellID(d, m, r)] })
	if err != nil {
		return nil, err
	}
	if len(g.Cells) == 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "bench: every cell is in %s already\n", cfg.Out)
		return old, nil
	}
	if dir == "" {
		dir = cfg.Out + ".sweep"
	}
	opt, err := nf.options("erg tsc bench")
	if err != nil {
		return nil, err
	}
	sum, err := sweep.Run(ctx, sweep.RunConfig{Grid: g, Dir: dir, NATS: nf.url, Connect: opt, Workers: cfg.Workers,
		Progress: cmd.ErrOrStderr(), Quiet: jsonOutput(cmd)})
	if err != nil {
		return nil, invalidConfig(err)
	}
	res, ferr := tscsweep.Results(sum.Results)
	all := append(old, res...)
	if err := tsc.WriteResults(cfg.Out, all); err != nil {
		return nil, err
	}
	return all, ferr
}

// ---- cd

func tscCDCmd() *cobra.Command {
	var out, method string
	var alpha float64
	cmd := &cobra.Command{
		Use:   "cd RESULTS.csv",
		Short: "Friedman test, Wilcoxon-Holm post-hoc tests and the critical-difference diagram of a results CSV",
		Long: `Averages accuracy over runs per (dataset, model), ranks the models on each dataset (1 = best),
runs the Friedman test and pairwise Wilcoxon signed-rank tests with Holm's correction, and draws
the critical-difference diagram: models on an axis of average rank, joined by a bar when they
are not significantly different (--method holm, as Ismail Fawaz et al. 2019) or when their
ranks differ by less than the Nemenyi critical difference (--method nemenyi, Demšar 2006).
Writes --out (PNG) and the same name with .svg. Datasets missing a model are dropped.`,
		Example: "  erg tsc cd results.csv --out cd.png\n  erg tsc cd results.csv --method nemenyi --alpha 0.1 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if method != "holm" && method != "nemenyi" {
				return usagef("tsc cd: --method must be holm or nemenyi")
			}
			res, err := tsc.ReadResults(args[0])
			if err != nil {
				return err
			}
			ds, ms, acc := tsc.MeanAccuracy(res)
			a, err := cd.Analyze(ds, ms, acc, cd.Options{Alpha: alpha, Method: method})
			if err != nil {
				return err
			}
			files := []string{}
			if out != "" {
				svg := strings.TrimSuffix(out, filepath.Ext(out)) + ".svg"
				for _, p := range []string{out, svg} {
					if err := a.Plot(p); err != nil {
						return err
					}
					files = append(files, p)
				}
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), struct {
					Analysis *cd.Analysis `json:"analysis"`
					Plots    []string     `json:"plots"`
				}{a, files})
			}
			a.WriteText(cmd.OutOrStdout())
			if len(files) > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "diagram: %s\n", strings.Join(files, ", "))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "cd.png", `diagram file (PNG; an SVG is written beside it); "" for none`)
	f.StringVar(&method, "method", "holm", "cliques from holm (Wilcoxon-Holm) or nemenyi (critical difference)")
	f.Float64Var(&alpha, "alpha", 0.05, "significance level (0.05 or 0.1 for nemenyi)")
	return cmd
}

// ---- fetch

func tscFetchCmd() *cobra.Command {
	var dest, base string
	cmd := &cobra.Command{
		Use:   "fetch NAME",
		Short: "download and unpack a UCR/UEA archive dataset (needs internet)",
		Long: `Downloads BASE/NAME.zip and unpacks it into DEST/NAME. BASE is --url, else $ERG_UCR_URL,
else ` + ucr.DefaultBaseURL + ` (the archive's aeon-toolkit layout).`,
		Example: "  erg tsc fetch Coffee --dest data/ucr\n  ERG_UCR_URL=http://mirror.example/ucr erg tsc fetch Coffee",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signalContext()
			defer stop()
			dir, err := ucr.Fetch(ctx, args[0], dest, ucr.FetchOptions{BaseURL: base})
			if err != nil {
				return err
			}
			train, test, lerr := ucr.Load(dir)
			if jsonOutput(cmd) {
				m := struct {
					Dataset    string `json:"dataset"`
					Dir        string `json:"dir"`
					TrainCases int    `json:"train_cases,omitempty"`
					TestCases  int    `json:"test_cases,omitempty"`
				}{Dataset: args[0], Dir: dir}
				if lerr == nil {
					m.TrainCases, m.TestCases = train.Len(), test.Len()
				}
				return writeJSON(cmd.OutOrStdout(), m)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s unpacked to %s\n", args[0], dir)
			if lerr != nil {
				return errors.Join(errors.New("the download holds no readable NAME_TRAIN/NAME_TEST"), lerr)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d train, %d test cases\n", train.Len(), test.Len())
			return nil
		},
	}
	cmd.Flags().StringVar(&dest, "dest", ".", "directory to unpack into (the dataset lands in DEST/NAME)")
	cmd.Flags().StringVar(&base, "url", "", "base URL holding NAME.zip (default $ERG_UCR_URL or "+ucr.DefaultBaseURL+")")
	return cmd
}

// tscBenchOut is the JSON output of erg tsc bench.
type tscBenchOut struct {
	Results  string        `json:"results"`
	Cells    int           `json:"cells"`
	Datasets []tscBenchRow `json:"datasets"`
	Error    string        `json:"error"`
	CD       any           `json:"cd"`
	CDPlots  []string      `json:"cd_plots"`
}

type tscBenchRow struct {
	Dataset  string             `json:"dataset"`
	Accuracy map[string]float64 `json:"mean_accuracy"`
}
