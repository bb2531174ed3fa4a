package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/ebm"
	"github.com/ergml/erg/ebm/density"
	"github.com/ergml/erg/ebm/ebmsweep" // registers the "ebm" sweep capability
	"github.com/ergml/erg/ebm/sample"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/sweep"
	"github.com/gomlx/compute"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ebmFlags are the model and loss flags shared by train and compare.
type ebmFlags struct {
	steps, batch, m, k, buffer, projections, mleGrid int
	t, w, lr, eps, reg, reinit, sigma                float64
	hidden, activation                               string
	seed                                             uint64
	persistent                                       bool
	root                                             string
	grid, samples                                    int
}

func (f *ebmFlags) register(fs *pflag.FlagSet, defSteps int) {
	fs.IntVar(&f.steps, "steps", defSteps, "optimizer steps")
	fs.IntVar(&f.batch, "batch", 128, "batch size")
	fs.Float64Var(&f.lr, "lr", 1e-3, "Adam learning rate")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of initialisation, batches and noise")
	fs.StringVar(&f.hidden, "hidden", "128,128,128,128", "hidden layer sizes of the MLP energy")
	fs.StringVar(&f.activation, "activation", "softplus", "activation of the MLP energy")
	fs.Float64Var(&f.t, "t", 1, "ED: noise variance t (perturbation x + √t ξ)")
	fs.IntVar(&f.m, "m", 4, "ED: contrastive samples M per data point")
	fs.Float64Var(&f.w, "w", 1, "ED: stabiliser w (0 turns it off)")
	fs.IntVar(&f.k, "k", 10, "CD: Langevin steps per update")
	fs.Float64Var(&f.eps, "eps", 0.01, "CD: Langevin step size ε")
	fs.Float64Var(&f.reg, "reg", 0.3, "CD: weight of the energy-magnitude regulariser (0 turns it off)")
	fs.BoolVar(&f.persistent, "persistent", false, "CD: persistent chains from a replay buffer (same as --loss pcd)")
	fs.IntVar(&f.buffer, "buffer", 10000, "PCD: replay buffer size")
	fs.Float64Var(&f.reinit, "reinit", 0.05, "PCD: probability of restarting a chain from uniform noise")
	fs.Float64Var(&f.sigma, "sigma", 0.1, "DSM: noise standard deviation σ")
	fs.IntVar(&f.projections, "projections", 1, "SSM: random projections per point")
	fs.IntVar(&f.mleGrid, "mle-grid", 64, "MLE: grid cells per axis of the partition function")
	fs.IntVar(&f.grid, "grid", 256, "evaluation: grid cells per axis for the held-out NLL")
	fs.IntVar(&f.samples, "samples", 1000, "evaluation: MALA samples for the MMD")
	fs.StringVar(&f.root, "root", run.DefaultRoot, "directory of run directories")
}

func (f *ebmFlags) check(fs *pflag.FlagSet) error {
	if err := positive(fs, "steps", "batch", "lr", "t", "m", "k", "eps", "sigma", "projections", "mle-grid", "grid", "samples", "buffer"); err != nil {
		return err
	}
	if f.w < 0 {
		return usagef("--w %g: must be non-negative", f.w)
	}
	if f.reg < 0 {
		return usagef("--reg %g: must be non-negative", f.reg)
	}
	if f.reinit < 0 || f.reinit > 1 {
		return usagef("--reinit %g: must be in [0, 1]", f.reinit)
	}
	return nil
}

func (f *ebmFlags) config(data, loss string) (ebm.Config, error) {
	hidden, err := parseInts("hidden", f.hidden, 1)
	if err != nil {
		return ebm.Config{}, err
	}
	cfg := ebm.Config{
		Data: data, Loss: loss, Steps: f.steps, Batch: f.batch, LR: f.lr, Seed: f.seed,
		Energy:  ebm.MLPConfig{Hidden: hidden, Activation: f.activation},
		ED:      ebm.EDConfig{T: f.t, M: f.m, W: f.w, Unstabilised: f.w == 0},
		CD:      ebm.CDConfig{K: f.k, StepSize: f.eps, Reg: f.reg, NoReg: f.reg == 0, Persistent: f.persistent, Buffer: f.buffer, Reinit: f.reinit, NoReinit: f.reinit == 0},
		DSM:     ebm.DSMConfig{Sigma: f.sigma},
		SSM:     ebm.SSMConfig{Projections: f.projections},
		MLEGrid: f.mleGrid,
		Command: "erg " + strings.Join(os.Args[1:], " "),
	}
	cfg = cfg.WithDefaults()
	return cfg, cfg.Validate()
}

// ebmBackend returns the backend for ebm commands. Without a --backend flag or
// $ERG_BACKEND/$GOMLX_BACKEND it is the pure-Go backend with its operations run one at
// a time ("go:ops_sequential"): in its default mode, independent matrix products of
// one graph running in parallel can deadlock the backend's worker pool (seen with the
// ED and CD graphs; each product still uses every core).
func ebmBackend(cmd *cobra.Command) (compute.Backend, error) {
	if backendFlag(cmd) == "" && os.Getenv("ERG_BACKEND") == "" && os.Getenv(compute.ConfigEnvVar) == "" {
		return backend.New("go:ops_sequential")
	}
	return backend.New(backendFlag(cmd))
}

// newEBMCmd returns the ebm command group.
func newEBMCmd() *cobra.Command {
	ebmCmd := &cobra.Command{
		Use:   "ebm",
		Short: "energy-based models: train with energy discrepancy, CD or score matching; sample; evaluate",
		Long: `Energy-based models p(x) ∝ exp(−U(x)) with an MLP energy, trained by energy discrepancy (ed),
contrastive divergence with short-run Langevin (cd; pcd with a replay buffer), denoising, sliced or
exact score matching (dsm, ssm, sm) or maximum likelihood with a grid partition function (mle).
Data: a built-in 2-D density (` + strings.Join(density.Names(), ", ") + `) or a CSV file of points.`,
		Example: "  erg ebm train --data pinwheel --loss ed --steps 20000\n  erg ebm eval RUN --json\n  erg ebm compare --data all --loss ed,cd,dsm --seeds 3",
	}

	// erg ebm train
	var tf ebmFlags
	var data, loss, name, resume string
	var holdout float64
	trainCmd := &cobra.Command{
		Use:   "train",
		Short: "train an energy on a density or CSV file in a new run directory (or resume one)",
		Long: `Trains an MLP energy, then evaluates it on held-out data (NLL with a grid partition function in
2-D, MMD between MALA samples and data), draws the data histogram, the learned density and samples,
and writes summary.json and report.html into the run directory, whose path is printed.`,
		Example: "  erg ebm train --data pinwheel --loss ed --steps 20000\n  erg ebm train --data points.csv --loss dsm --sigma 0.05\n  erg ebm train --resume runs/20260101-120000-pinwheel-ed",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := cmd.Flags()
			if err := tf.check(fs); err != nil {
				return err
			}
			be, err := ebmBackend(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			opt := ebm.Options{Options: run.Options{Root: tf.root, Name: name, Resume: resume, Progress: cmd.ErrOrStderr(), Quiet: jsonOutput(cmd)},
				Eval: ebm.EvalConfig{Grid: tf.grid, Samples: tf.samples}}
			var cfg ebm.Config
			if resume != "" {
				if fs.Changed("steps") {
					opt.Steps = tf.steps
				}
			} else {
				if data == "" {
					return flagError("data", "required (a density: %s; or a CSV file)", strings.Join(density.Names(), ", "))
				}
				if cfg, err = tf.config(data, loss); err != nil {
					return invalidConfig(err)
				}
				cfg.Holdout = holdout
			}
			out, err := ebm.Train(ctx, be, cfg, opt)
			if err != nil {
				err = invalidConfig(err)
				if out != nil && out.Dir != nil {
					return fmt.Errorf("%w (run directory %s)", err, out.Dir.Path)
				}
				return err
			}
			return ebmPrintOutcome(cmd, out)
		},
	}
	tf.register(trainCmd.Flags(), 20000)
	trainCmd.Flags().StringVar(&data, "data", "", "a density ("+strings.Join(density.Names(), ", ")+") or a CSV file of points")
	trainCmd.Flags().StringVar(&loss, "loss", "ed", "loss: "+strings.Join(ebm.Losses, ", "))
	trainCmd.Flags().StringVar(&name, "name", "", "run name (default <data>-<loss>)")
	trainCmd.Flags().StringVar(&resume, "resume", "", "resume this run directory (from its config.json and checkpoint)")
	trainCmd.Flags().Float64Var(&holdout, "holdout", 0.2, "CSV data: fraction of rows held out for evaluation")
	ebmCmd.AddCommand(trainCmd)

	// erg ebm sample
	var sn, ssteps, sburn, sleap int
	var seps float64
	var smethod, sout, sroot string
	var sseed uint64
	sampleCmd := &cobra.Command{
		Use:     "sample RUN",
		Short:   "draw samples from a trained energy (MALA, HMC or ULA) and write them as CSV",
		Example: "  erg ebm sample pinwheel-ed --n 2000\n  erg ebm sample runs/20260101-120000-pinwheel-ed --method hmc --out s.csv --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := positive(cmd.Flags(), "n", "steps", "eps", "leapfrog"); err != nil {
				return err
			}
			switch sample.Method(smethod) {
			case sample.MALA, sample.HMC, sample.ULA:
			default:
				return usagef("--method %q: want mala, hmc or ula", smethod)
			}
			be, err := ebmBackend(cmd)
			if err != nil {
				return err
			}
			rd, err := run.Resolve(sroot, args[0])
			if err != nil {
				return err
			}
			m, err := ebm.Load(be, rd)
			if err != nil {
				return err
			}
			res, err := m.Sample(sn, sample.Config{Method: sample.Method(smethod), Steps: ssteps, Burn: sburn, StepSize: seps, Leapfrog: sleap, Seed: sseed})
			if err != nil {
				return err
			}
			if sout == "" {
				sout = rd.File("samples.csv")
			}
			if err := density.WriteCSV(sout, &density.Set{Dim: res.D, X: res.X}); err != nil {
				return err
			}
			o := struct {
				Run      string  `json:"run"`
				File     string  `json:"file"`
				N        int     `json:"n"`
				Dim      int     `json:"dim"`
				Method   string  `json:"method"`
				Accept   float64 `json:"accept"`
				StepSize float64 `json:"step_size"`
				Steps    int     `json:"steps"`
			}{rd.Path, sout, res.N, res.D, smethod, res.Accept, res.StepSize, res.Steps}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), o)
			}
			fmt.Printf("%d samples (%s, %d steps, step size %.4g, acceptance %.3f) written to %s\n", res.N, smethod, res.Steps, res.StepSize, res.Accept, sout)
			return nil
		},
	}
	sf := sampleCmd.Flags()
	sf.IntVar(&sn, "n", 1000, "number of samples (parallel chains)")
	sf.StringVar(&smethod, "method", "mala", "sampler: mala, hmc or ula")
	sf.IntVar(&ssteps, "steps", 500, "steps after burn-in")
	sf.IntVar(&sburn, "burn", 500, "burn-in steps (step size adapts)")
	sf.Float64Var(&seps, "eps", 0.01, "initial step size")
	sf.IntVar(&sleap, "leapfrog", 10, "HMC leapfrog steps")
	sf.Uint64Var(&sseed, "seed", 1, "seed of the chains")
	sf.StringVar(&sout, "out", "", "CSV file to write (default RUN/samples.csv)")
	sf.StringVar(&sroot, "root", run.DefaultRoot, "directory of run directories")
	ebmCmd.AddCommand(sampleCmd)

	// erg ebm eval
	var edata, eroot string
	var egrid, esamples int
	var eseed uint64
	evalCmd := &cobra.Command{
		Use:   "eval RUN",
		Short: "held-out NLL (2-D, grid partition function) and MMD of a trained energy",
		Long: `Evaluates a trained energy on held-out points: the run's own held-out data, or a CSV file given
with --data. The NLL integrates the partition function on a grid over the run's box (2-D only) and
reports the grid size and an error estimate; the MMD² compares MALA samples with the data.`,
		Example: "  erg ebm eval pinwheel-ed\n  erg ebm eval runs/20260101-120000-pinwheel-ed --data heldout.csv --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := positive(cmd.Flags(), "grid", "samples"); err != nil {
				return err
			}
			be, err := ebmBackend(cmd)
			if err != nil {
				return err
			}
			rd, err := run.Resolve(eroot, args[0])
			if err != nil {
				return err
			}
			m, err := ebm.Load(be, rd)
			if err != nil {
				return err
			}
			var held *density.Set
			if edata != "" {
				held, err = density.ReadCSV(edata)
			} else {
				held, err = ebm.HeldOut(m.Config)
			}
			if err != nil {
				return err
			}
			ev, err := m.Evaluate(held, ebm.EvalConfig{Grid: egrid, Samples: esamples, Seed: eseed})
			if err != nil {
				return err
			}
			o := struct {
				Run  string          `json:"run"`
				Eval *ebm.Evaluation `json:"eval"`
			}{rd.Path, ev}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), o)
			}
			fmt.Printf("run %s: %d held-out points (%d-D)\n", rd.Path, ev.N, ev.Dim)
			if ev.NLL != nil {
				fmt.Printf("NLL %.4f nats (log Z %.4f on a %d² grid over [%.3g, %.3g]×[%.3g, %.3g]; error estimate %.2g = grid %.2g + box %.2g; %d points outside the box)\n",
					ev.NLL.NLL, ev.NLL.LogZ, ev.NLL.Grid, ev.NLL.Box[0], ev.NLL.Box[1], ev.NLL.Box[2], ev.NLL.Box[3],
					ev.NLL.Error(), ev.NLL.GridError, ev.NLL.BoxError, ev.NLL.Outside)
			} else {
				fmt.Println("NLL: not computed (the grid partition function is 2-D only)")
			}
			if ev.MMD2 != nil {
				fmt.Printf("MMD² %.4g (Gaussian kernel, h = %.3g; %d MALA samples, acceptance %.2f)\n", *ev.MMD2, ev.MMDBandwidth, ev.MMDSamples, ev.Accept)
			}
			return nil
		},
	}
	ef := evalCmd.Flags()
	ef.StringVar(&edata, "data", "", "CSV file of held-out points (default: the run's own held-out data)")
	ef.IntVar(&egrid, "grid", 256, "grid cells per axis")
	ef.IntVar(&esamples, "samples", 1000, "MALA samples for the MMD")
	ef.Uint64Var(&eseed, "seed", 2, "seed of the sampler")
	ef.StringVar(&eroot, "root", run.DefaultRoot, "directory of run directories")
	ebmCmd.AddCommand(evalCmd)

	// erg ebm compare
	var cf ebmFlags
	var cdata, closs string
	var cseeds, cworkers int
	var cresume string
	var csweep bool
	var cnats natsFlags
	compareCmd := &cobra.Command{
		Use:   "compare",
		Short: "train several losses on several data sets with several seeds and tabulate NLL, MMD, time, energy",
		Long: `Trains every loss on every data set with seeds 1..--seeds (the same network and steps for all),
evaluates each run, prints a table (held-out NLL mean ± sd over seeds, MMD², training seconds and
joules) and writes it as CSV, with a figure of the learned densities (data sets × losses) and a
report, all in one comparison run directory. It also checks the energy-discrepancy paper's claim:
ED's NLL at most DSM's and CD's on at least 6 of 8 densities, and ED faster than CD.
An interrupted comparison continues with --resume DIR: finished training runs are read back.

With --sweep the training runs are cells of a sweep (see erg sweep): an embedded NATS server
with its store in the comparison's sweep/ directory and --workers local workers, or the server
of --nats, whose erg worker processes (on other machines: CSV data at the same paths) train
them; each run directory comes back into the comparison's runs/, and the table, figure and
report are made from them as without --sweep.`,
		Example: "  erg ebm compare --data all --loss ed,cd,dsm --seeds 3\n  erg ebm compare --resume runs/20261130-210000-ebm-compare\n  erg ebm compare --data pinwheel,moons --loss ed,mle --steps 2000 --seeds 1 --json\n  erg ebm compare --data all --loss ed,cd,dsm --sweep --workers 2\n  erg ebm compare --data all --loss ed,cd,dsm --sweep --nats nats://hub:4222 --workers 0",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cf.check(cmd.Flags()); err != nil {
				return err
			}
			if cseeds <= 0 {
				return usagef("--seeds %d: must be positive", cseeds)
			}
			if cresume != "" && (cmd.Flags().Changed("data") || cmd.Flags().Changed("loss") || cmd.Flags().Changed("seeds")) {
				return usagef("erg ebm compare --resume: the data sets, losses and seeds are those of the comparison being resumed")
			}
			data := ebm.ExpandData(strings.Split(cdata, ","))
			losses := strings.Split(closs, ",")
			base, err := cf.config(data[0], losses[0])
			if err != nil {
				return invalidConfig(err)
			}
			be, err := ebmBackend(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			var log *os.File
			if !jsonOutput(cmd) {
				log = os.Stderr
			}
			opt := ebm.Options{Options: run.Options{Root: cf.root, Resume: cresume, Progress: cmd.ErrOrStderr(), Quiet: jsonOutput(cmd)},
				Eval: ebm.EvalConfig{Grid: cf.grid, Samples: cf.samples}}
			var w io.Writer
			if log != nil {
				w = log
			}
			if !csweep && (cmd.Flags().Changed("nats") || cmd.Flags().Changed("workers")) {
				return usagef("--nats and --workers go with --sweep")
			}
			if cworkers < 0 {
				return flagError("workers", "%d: must not be negative", cworkers)
			}
			ccfg := ebm.CompareConfig{Data: data, Losses: losses, Seeds: cseeds, Base: base}
			var res *ebm.Comparison
			if csweep {
				res, err = ebmCompareSweep(ctx, cmd, be, ccfg, opt, w, cworkers, &cnats)
			} else {
				res, err = ebm.Compare(ctx, be, ccfg, opt, w)
			}
			err = invalidConfig(err)
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			fmt.Print(res.TableMarkdown())
			if cl := res.Claim; cl != nil {
				fmt.Printf("\nclaim: ED held-out NLL ≤ DSM and CD on %d of %d densities (%s); CD/ED training time %.2fx; holds: %v\n",
					cl.EDBest, cl.Densities, strings.Join(cl.EDBestNames, ", "), cl.TimeRatio, cl.Holds)
				if len(cl.Uncertain) > 0 {
					fmt.Printf("uncertain (verdict within the grid NLL error estimate): %s\n", strings.Join(cl.Uncertain, ", "))
				}
			}
			fmt.Printf("\ntable: %s\nfigure: %s\nreport: %s\n", res.CSV, res.Figure, res.Report)
			return nil
		},
	}
	cf.register(compareCmd.Flags(), 20000)
	compareCmd.Flags().StringVar(&cdata, "data", "all", "comma-separated densities or CSV files; all = the 8 benchmark densities")
	compareCmd.Flags().StringVar(&closs, "loss", "ed,cd,dsm", "comma-separated losses: "+strings.Join(ebm.Losses, ", "))
	compareCmd.Flags().IntVar(&cseeds, "seeds", 3, "seeds per (data, loss)")
	compareCmd.Flags().StringVar(&cresume, "resume", "", "continue the interrupted comparison in this run directory (finished training runs are read back)")
	compareCmd.Flags().BoolVar(&csweep, "sweep", false, "train the runs as cells of a sweep (embedded NATS server, or --nats), see erg sweep")
	compareCmd.Flags().IntVar(&cworkers, "workers", 2, "with --sweep: local workers (0: only erg worker processes)")
	cnats.register(compareCmd.Flags(), "with --sweep: URL of an external NATS server whose erg workers train the runs")
	ebmCmd.AddCommand(compareCmd)

	return ebmCmd
}

func ebmPrintOutcome(cmd *cobra.Command, out *ebm.Outcome) error {
	var sum run.Summary
	out.Dir.ReadJSON(run.SummaryFile, &sum)
	if jsonOutput(cmd) {
		return writeJSON(cmd.OutOrStdout(), struct {
			Run     string          `json:"run"`
			Summary run.Summary     `json:"summary"`
			Eval    *ebm.Evaluation `json:"eval"`
			Report  string          `json:"report"`
		}{out.Dir.Path, sum, out.Eval, out.Report})
	}
	if h, ok := sum["headline"].(string); ok {
		fmt.Println(h)
	}
	fmt.Println(filepath.Clean(out.Dir.Path))
	if out.Report != "" {
		fmt.Println(out.Report)
	}
	return nil
}

// ebmCompareSweep runs a comparison's training runs as a sweep, brings their run
// directories into the comparison's runs/ and then lets ebm.Compare (resumed on the
// comparison) read them back and make the table, figure and report.
func ebmCompareSweep(ctx context.Context, cmd *cobra.Command, be compute.Backend, cfg ebm.CompareConfig, opt ebm.Options, log io.Writer, workers int, nf *natsFlags) (*ebm.Comparison, error) {
	var d *run.Dir
	if opt.Resume != "" {
		var err error
		if d, err = run.Resolve(opt.Root, opt.Resume); err != nil {
			return nil, flagError("resume", "%v", err)
		}
		cfg = ebm.CompareConfig{}
		if err := d.ReadJSON(run.ConfigFile, &cfg); err != nil {
			return nil, err
		}
	} else {
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		var err error
		if d, err = run.Create(opt.Root, "ebm-compare", cfg); err != nil {
			return nil, err
		}
	}
	id := "ebm-compare-" + strings.NewReplacer(".", "_").Replace(filepath.Base(d.Path))
	if len(id) > 64 {
		id = id[:64]
	}
	g, err := ebmsweep.Grid(id, cfg, opt.Eval, backendFlag(cmd))
	if err != nil {
		return nil, err
	}
	copt, err := nf.options("erg ebm compare")
	if err != nil {
		return nil, err
	}
	sum, err := sweep.Run(ctx, sweep.RunConfig{Grid: g, Dir: d.File("sweep"), NATS: nf.url, Connect: copt, Workers: workers,
		Files: d.File("runs"), Progress: cmd.ErrOrStderr(), Quiet: jsonOutput(cmd)})
	if err != nil {
		return nil, fmt.Errorf("%w (continue with erg ebm compare --sweep --resume %s)", err, d.Path)
	}
	if sum.Failed > 0 {
		return nil, fmt.Errorf("ebm compare: %d of %d training runs failed (first: %s: %s); see erg sweep results --dir %s --failed, then erg sweep retry --dir %s and erg ebm compare --sweep --resume %s",
			sum.Failed, sum.Cells, sum.FailedCells[0].Cell, firstLine(sum.FailedCells[0].Error), d.File("sweep"), d.File("sweep"), d.Path)
	}
	opt.Resume = d.Path
	return ebm.Compare(ctx, be, ebm.CompareConfig{}, opt, log)
}
