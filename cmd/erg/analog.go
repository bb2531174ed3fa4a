package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ergml/erg/analog"
	"github.com/ergml/erg/analog/ctf"
	"github.com/ergml/erg/run"
)

// newAnalogCmd returns the analog command group.
func newAnalogCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "analog",
		Short: "analog in-memory training on resistive crossbars (aihwkit-compatible devices, charge-trap flash)",
		Long: `Stochastic-pulse (RPU) training on simulated analog crossbars (package analog): aihwkit's device
models and presets, its IO-managed forward/backward passes and StochasticCompressed update, and a
time-resolved charge-trap-flash cell (package analog/ctf) whose program time is not conserved.`,
		Example: "  erg analog ctf check\n  erg analog device --preset constant-step --pulses 2000\n  erg analog train --device idealized",
	}
	ctfCmd := &cobra.Command{
		Use:     "ctf",
		Short:   "the time-resolved charge-trap-flash cell: the paper's three experiments and sweeps",
		Example: "  erg analog ctf check\n  erg analog ctf sweep --exp width",
	}
	ctfCmd.AddCommand(analogCTFCheckCmd(), analogCTFSweepCmd())
	c.AddCommand(ctfCmd, analogDeviceCmd(), analogTrainCmd(), analogStudyCmd())
	return c
}

// cellFlags are the constants of the CTF cell.
func cellFlags(f *pflag.FlagSet, p *ctf.Params) {
	d := ctf.Default()
	f.Float64Var(&p.Kappa, "kappa", d.Kappa, "field enhancement of a full trap state κ (0: program time is conserved)")
	f.Float64Var(&p.TauC, "tau-c", d.TauC, "trap capture time during ON time, µs")
	f.Float64Var(&p.TauE, "tau-e", d.TauE, "trap emission time in gaps, µs")
	f.Float64Var(&p.E0, "e0", d.E0, "tunnelling field of the pulse, MV/cm")
	f.Float64Var(&p.B, "b", d.B, "Fowler–Nordheim exponent constant, MV/cm")
	f.Float64Var(&p.A, "a", d.A, "Fowler–Nordheim prefactor, V/µs/(MV/cm)²")
	f.Float64Var(&p.Beta, "beta", d.Beta, "field lost per volt of V_T shift, MV/cm/V")
}

func cellError(err error) error {
	msg := err.Error()
	for _, fl := range []string{"kappa", "tau-c", "tau-e", "e0", "b", "a", "beta"} {
		if strings.HasPrefix(msg, "ctf: "+fl+" ") {
			return flagError(fl, "%s", strings.TrimPrefix(msg, "ctf: "))
		}
	}
	return usagef("%v", err)
}

type ctfCheckOut struct {
	Params      ctf.Params         `json:"params"`
	Check       ctf.Check          `json:"check"`
	Coincidence analog.Coincidence `json:"coincidence"`
}

func analogCTFCheckCmd() *cobra.Command {
	var (
		p       ctf.Params
		updates int
		seed    uint64
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "the paper's three experiments as ratios to the conserved shift, and the 1×1 coincidence test",
		Long: `Runs the three experiments of Shrivastava et al. at 100 µs total ON time, as ratios of the cumulative V_T
shift to the conserved shift (one continuous pulse of the same ON time): fragment (100 × 1 µs vs 10 × 10
µs), width (0.5 µs vs 5 µs pulses), gap (100 × 1 µs with 1 µs vs 100 µs gaps), the knee of the width
sweep and the recovery by short gaps; then a 1×1 tile's coincidence test (x 0.3, d 0.2, lr 0.01, dw_min
0.001, BL 31, --updates updates) against Binomial statistics. --kappa 0 gives ratios 1.`,
		Example: "  erg analog ctf check\n  erg analog ctf check --kappa 0 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if updates <= 0 {
				return flagError("updates", "%d: must be positive", updates)
			}
			c, err := p.RunCheck()
			if err != nil {
				return cellError(err)
			}
			out := ctfCheckOut{Params: p, Check: c, Coincidence: analog.CoincidenceTest(seed, updates)}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, jsonSafe(out))
			}
			fmt.Fprintf(w, "CTF cell (κ %.3g, τc %.3g µs, τe %.3g µs), 100 µs total ON time, ratio to the conserved shift:\n", p.Kappa, p.TauC, p.TauE)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "fragment\t100 × 1 µs %.4f\t10 × 10 µs %.4f\tsign %v\n", c.Fragment100x1, c.Fragment10x10, c.SignFragment)
			fmt.Fprintf(tw, "width\t0.5 µs %.4f\t5 µs %.4f\tsign %v\n", c.Width05, c.Width5, c.SignWidth)
			fmt.Fprintf(tw, "gap (pw 1 µs)\t1 µs %.4f\t100 µs %.4f\tsign %v\n", c.Gap1, c.Gap100, c.SignGap)
			tw.Flush()
			fmt.Fprintf(w, "knee of the width sweep %.3g µs; 1 µs gaps keep %.3f of the conserved shift (%.3f of the loss at 100 µs gaps)\n", c.Knee, c.Recovered, c.RecoveredLoss)
			co := out.Coincidence
			fmt.Fprintf(w, "coincidences (1×1, BL %d, %d updates): mean %.4f per update (Binomial %.4f), χ² %.2f on %d dof, p-value %.3g; mean Δw %.4g vs −lr·x·d %.4g (SE %.2g)\n",
				co.BL, co.Updates, co.MeanCount, float64(co.BL)*co.P, co.Chi2, co.DOF, co.PValue, co.MeanDw, co.WantDw, co.SEDw)
			return nil
		},
	}
	f := cmd.Flags()
	cellFlags(f, &p)
	f.IntVar(&updates, "updates", 100000, "updates of the coincidence test")
	f.Uint64Var(&seed, "seed", 1, "seed of the coincidence test")
	return cmd
}

// jsonSafe replaces NaN (a knee that does not exist) by nil through a map round trip.
func jsonSafe(v ctfCheckOut) any {
	m := map[string]any{"params": v.Params, "coincidence": v.Coincidence}
	c := v.Check
	num := func(x float64) any {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	}
	m["check"] = map[string]any{"kappa": c.Kappa, "fragment_100x1us": c.Fragment100x1, "fragment_10x10us": c.Fragment10x10,
		"width_0.5us": c.Width05, "width_5us": c.Width5, "gap_1us": c.Gap1, "gap_100us": c.Gap100, "knee_us": num(c.Knee),
		"recovered": c.Recovered, "recovered_loss": num(c.RecoveredLoss), "sign_fragment": c.SignFragment, "sign_width": c.SignWidth, "sign_gap": c.SignGap}
	return m
}

func analogCTFSweepCmd() *cobra.Command {
	var (
		p    ctf.Params
		exp  string
		gap  float64
		plot string
	)
	cmd := &cobra.Command{
		Use:   "sweep --exp fragment|width|gap",
		Short: "cumulative V_T shift against N, pulse width or gap at fixed total ON time (100 µs)",
		Long: `Sweeps one experiment at 100 µs total ON time: fragment (N pulses of 100/N µs), width (pulse width 0.25
to 100 µs), gap (100 pulses of 1 µs with gaps 0.1 to 1000 µs). --gap sets the gap of the fragment and
width sweeps. --plot FILE draws the ratio to the conserved shift (PNG, SVG or PDF).`,
		Example: "  erg analog ctf sweep --exp fragment\n  erg analog ctf sweep --exp width --plot width.png --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if gap < 0 {
				return flagError("gap", "%v: must be non-negative", gap)
			}
			pts, err := p.Sweep(exp, gap)
			if err != nil {
				if strings.Contains(err.Error(), "experiment") {
					return flagError("exp", "%q: want fragment, width or gap", exp)
				}
				return cellError(err)
			}
			if plot != "" {
				var xs, ys []float64
				xl := map[string]string{"fragment": "number of pulses N", "width": "pulse width (µs)", "gap": "gap (µs)"}[exp]
				for _, pt := range pts {
					x := float64(pt.N)
					switch exp {
					case "width":
						x = pt.PW
					case "gap":
						x = pt.Gap
					}
					xs, ys = append(xs, math.Log10(x)), append(ys, pt.Ratio)
				}
				if err := run.PlotCurves(plot, fmt.Sprintf("CTF %s sweep, 100 µs ON time (κ %.3g)", exp, p.Kappa), "log10 "+xl, "ΔV_T / conserved ΔV_T", false,
					run.Series{Name: "ratio", X: xs, Y: ys}); err != nil {
					return err
				}
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, map[string]any{"exp": exp, "params": p, "points": pts, "plot": plot})
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "N\tpw (µs)\tgap (µs)\tΔV_T (V)\tconserved (V)\tratio\t")
			for _, pt := range pts {
				fmt.Fprintf(tw, "%d\t%.3g\t%.3g\t%.5f\t%.5f\t%.4f\t\n", pt.N, pt.PW, pt.Gap, pt.Shift, pt.Conserved, pt.Ratio)
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	cellFlags(f, &p)
	f.StringVar(&exp, "exp", "fragment", "experiment: fragment, width or gap")
	f.Float64Var(&gap, "gap", ctf.DefaultGap, "gap between pulses of the fragment and width sweeps, µs")
	f.StringVar(&plot, "plot", "", "also plot the ratio to this .png/.svg/.pdf file")
	return cmd
}

type deviceOut struct {
	Preset     string        `json:"preset"`
	Device     analog.Device `json:"device"`
	Pulses     int           `json:"pulses"`
	Noise      bool          `json:"noise"`
	MaxAbsDiff float64       `json:"max_abs_diff"` // |response − closed form| (noise off: the closed-form check)
	Response   []float64     `json:"response"`
	ClosedForm []float64     `json:"closed_form"`
	Plot       string        `json:"plot,omitempty"`
}

func analogDeviceCmd() *cobra.Command {
	var (
		preset            string
		pulses            int
		noise             bool
		seed              uint64
		dwMin, wMin, wMax float64
		w0                float64
		plot              string
	)
	cmd := &cobra.Command{
		Use:   "device --preset NAME --pulses N",
		Short: "a device's response curve (N up then N down pulses) beside the closed form of its update rule",
		Long: `Applies --pulses up pulses then as many down pulses to one device of --preset (` + strings.Join(analog.Presets, ", ") + `)
from --w0 and prints the response beside the closed form of aihwkit's update rule (noise off, the
default; --noise keeps the device-to-device and cycle-to-cycle variation). --plot FILE draws both.`,
		Example: "  erg analog device --preset constant-step --pulses 2000\n  erg analog device --preset reram-es --pulses 500 --noise --plot reram.png",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := analog.Preset(preset)
			if err != nil {
				return flagError("preset", "%q: want one of %s", preset, strings.Join(analog.Presets, ", "))
			}
			if pulses <= 0 {
				return flagError("pulses", "%d: must be positive", pulses)
			}
			fs := cmd.Flags()
			if fs.Changed("dw-min") {
				d.DwMin = dwMin
			}
			if fs.Changed("w-min") {
				d.WMin = wMin
			}
			if fs.Changed("w-max") {
				d.WMax = wMax
			}
			if err := d.Validate(); err != nil {
				var pe *analog.ParamError
				if errors.As(err, &pe) {
					return flagError(pe.Field, "%v: %s", pe.Value, pe.Reason)
				}
				return usagef("%v", err)
			}
			dev := d
			if !noise {
				dev = d.Noiseless()
			}
			a := analog.NewArray(dev, 1, 1, rand.New(rand.NewPCG(seed, 1)))
			resp := a.Response(0, w0, pulses, pulses, rand.New(rand.NewPCG(seed, 2)))
			cf := analog.ClosedForm(d, w0, pulses, pulses)
			out := deviceOut{Preset: preset, Device: d, Pulses: pulses, Noise: noise, Response: resp, ClosedForm: cf, Plot: plot}
			for i := range resp {
				out.MaxAbsDiff = max(out.MaxAbsDiff, math.Abs(resp[i]-cf[i]))
			}
			if plot != "" {
				xs := make([]float64, len(resp))
				for i := range xs {
					xs[i] = float64(i + 1)
				}
				name := "response (noise off)"
				if noise {
					name = "response (with noise)"
				}
				if err := run.PlotCurves(plot, fmt.Sprintf("%s: %d up, %d down pulses", preset, pulses, pulses), "pulse", "weight", false,
					run.Series{Name: name, X: xs, Y: resp}, run.Series{Name: "closed form", X: xs, Y: cf}); err != nil {
					return err
				}
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, out)
			}
			fmt.Fprintf(w, "%s (%s, dw_min %g, w ∈ [%g, %g]): %d up then %d down pulses from %g\n", preset, d.Kind, d.DwMin, d.WMin, d.WMax, pulses, pulses, w0)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "pulse\tweight\tclosed form\t")
			for _, n := range []int{1, pulses / 4, pulses / 2, pulses, pulses + pulses/2, 2 * pulses} {
				if n >= 1 {
					fmt.Fprintf(tw, "%d\t%.6f\t%.6f\t\n", n, resp[n-1], cf[n-1])
				}
			}
			tw.Flush()
			fmt.Fprintf(w, "max |response − closed form| = %.3g%s\n", out.MaxAbsDiff, map[bool]string{true: " (noise on)", false: ""}[noise])
			if plot != "" {
				fmt.Fprintf(w, "plotted to %s\n", plot)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&preset, "preset", "constant-step", "device: "+strings.Join(analog.Presets, ", "))
	f.IntVar(&pulses, "pulses", 2000, "up pulses, then as many down pulses")
	f.BoolVar(&noise, "noise", false, "keep device-to-device and cycle-to-cycle variation")
	f.Uint64Var(&seed, "seed", 1, "seed of the device's variation and noise")
	f.Float64Var(&dwMin, "dw-min", 0, "override the step dw_min")
	f.Float64Var(&wMin, "w-min", 0, "override the lower bound w_min")
	f.Float64Var(&wMax, "w-max", 0, "override the upper bound w_max")
	f.Float64Var(&w0, "w0", 0, "starting weight")
	f.StringVar(&plot, "plot", "", "also plot the curves to this .png/.svg/.pdf file")
	return cmd
}

// trainFlags registers the flags of TrainConfig.
func trainFlags(f *pflag.FlagSet, cfg *analog.TrainConfig) {
	d := analog.DefaultTrainConfig("idealized")
	f.StringVar(&cfg.Device, "device", "idealized", "fp, ctf or a device preset: "+strings.Join(analog.Presets, ", "))
	f.StringVar(&cfg.Data, "data", "", "Fashion-MNIST folder (default Debian's /usr/share/datasets/fashion-mnist)")
	f.IntVar(&cfg.Epochs, "epochs", d.Epochs, "epochs")
	f.IntVar(&cfg.Batch, "batch", d.Batch, "images per step")
	f.Float64Var(&cfg.LR, "lr", d.LR, "SGD learning rate")
	f.IntVar(&cfg.LRStep, "lr-step", d.LRStep, "halve the learning rate every this many epochs")
	f.Uint64Var(&cfg.Seed, "seed", 0, "seed of initialisation, shuffles, devices and pulse trains")
	f.IntVar(&cfg.Subset, "subset", 0, "train on a stratified subset of this many images (0: all)")
	f.IntVar(&cfg.TestSubset, "test-subset", 0, "test on a stratified subset of this many images (0: all)")
	f.IntVar(&cfg.BL, "bl", d.BL, "desired (maximal) pulse-train length")
	f.BoolVar(&cfg.FixedBL, "fixed-bl", false, "use --bl slots in every update (aihwkit's update_bl_management off; on, BL = min(ceil(lr·max|x|·max|d|/dw_min), --bl))")
	f.StringVar(&cfg.PulseType, "pulse-type", d.PulseType, "update: stochastic-compressed, mean-count or none")
	f.StringVar(&cfg.IO, "io", "", "forward/backward IO: default, preset or perfect (default: the device's aihwkit config)")
	f.IntVar(&cfg.Workers, "workers", d.Workers, "goroutines of the row-parallel update")
	f.Float64Var(&cfg.Kappa, "kappa", d.Kappa, "ctf: field enhancement κ (0: conserved program time)")
	f.Float64Var(&cfg.PW, "pw", d.PW, "ctf: pulse width, µs")
	f.Float64Var(&cfg.Gap, "gap", d.Gap, "ctf: gap between slots, µs")
	f.Float64Var(&cfg.Interval, "interval", d.Interval, "ctf: time between updates, µs")
	f.Float64Var(&cfg.DwMin, "dw-min", d.DwMin, "ctf: weight step of one saturated pulse")
	f.StringVar(&cfg.Compensate, "compensate", "", "ctf: gap-compaction and/or calibrated-bl (comma-separated)")
	f.StringVar(&cfg.Ablate, "ablate", "", "ctf: keep one non-ideality: fragment, width or gap")
}

func analogTrainCmd() *cobra.Command {
	var (
		cfg analog.TrainConfig
		rf  runFlags
	)
	cmd := &cobra.Command{
		Use:   "train --device fp|idealized|constant-step|ctf",
		Short: "train the MLP 784-256-128-10 on Fashion-MNIST on analog tiles; report accuracy, BL, pulses, time, energy",
		Long: `Trains aihwkit's examples/03_mnist_training.py network (784-256-128-10, sigmoid, log-softmax, analog
biases; SGD lr 0.05 halved every 10 epochs, 30 epochs, batch 64) on Fashion-MNIST with the devices of
--device: fp (exact floating point), an aihwkit preset, or ctf (the time-resolved charge-trap-flash
cell). A metered, resumable run directory (--root, --name): config.json, metrics.jsonl (per epoch),
checkpoint.ergckpt (weights, device state, random streams), summary.json, report.html. --resume
continues bit-identically from the last epoch.`,
		Example: "  erg analog train --device fp\n  erg analog train --device idealized --epochs 5 --name ideal5\n  erg analog train --device ctf --gap 10 --compensate gap-compaction\n  erg analog train --resume ideal5",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt := rf.options(cmd)
			if rf.resume != "" {
				if err := rf.checkResume(cmd); err != nil {
					return err
				}
				cfg = analog.TrainConfig{}
			} else {
				cfg.Command = commandLine()
			}
			ctx, stop := signalContext()
			defer stop()
			out, err := analog.Train(ctx, cfg, opt)
			if err != nil && out != nil && errors.Is(err, context.Canceled) {
				return fmt.Errorf("%w; continue the run with: erg analog train --resume %s", err, out.Dir)
			}
			if err != nil {
				return invalidConfig(err)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, out)
			}
			fmt.Fprintln(w, out.Headline)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "layer\tupdates\tpulses\tmean BL\tpulses/update/weight\t")
			for _, l := range out.Layers {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%.3g\t\n", l.Layer, l.Updates, l.Pulses, l.MeanBL, l.PulsesPerWeight)
			}
			tw.Flush()
			fmt.Fprintf(w, "energy %.4g J (%s); run directory %s\n", out.Energy, out.EnergyStatus, out.Dir)
			return nil
		},
	}
	trainFlags(cmd.Flags(), &cfg)
	rf.register(cmd.Flags(), "analog-DEVICE")
	return cmd
}

func analogStudyCmd() *cobra.Command {
	var (
		cfg  analog.TrainConfig
		root string
	)
	cmd := &cobra.Command{
		Use:   "study --ablate fragment,width,gap --compensate gap-compaction,calibrated-bl",
		Short: "the accuracy each CTF non-ideality costs alone and what each compensation recovers",
		Long: `Trains the ctf device with conserved program time (κ 0, the reference), with the full model, with each
--ablate non-ideality alone and with each --compensate compensation, all with the other flags of erg
analog train, and reports each run's test accuracy and its difference to the reference. Long: each run
is a full erg analog train (use --epochs, --subset to shorten).`,
		Example: "  erg analog study --epochs 1 --subset 5000 --test-subset 2000\n  erg analog study --ablate gap --compensate gap-compaction --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Device = "ctf"
			cfg.Command = commandLine()
			abl := strings.Split(cfg.Ablate, ",")
			comp := strings.Split(cfg.Compensate, ",")
			cfg.Ablate, cfg.Compensate = "", ""
			ctx, stop := signalContext()
			defer stop()
			st, err := analog.Study(ctx, cfg, abl, comp, run.Options{Root: root, Progress: cmd.ErrOrStderr(), Quiet: jsonOutput(cmd)})
			if err != nil {
				return invalidConfig(err)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, st)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "run\ttest accuracy\tvs conserved\trun directory\t")
			for _, r := range st.Runs {
				fmt.Fprintf(tw, "%s\t%.4f\t%+.4f\t%s\t\n", r.Name, r.TestAcc, r.TestAcc-st.Conserved, r.Dir)
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	trainFlags(f, &cfg)
	f.Lookup("device").Hidden = true
	for name, def := range map[string]string{"ablate": "fragment,width,gap", "compensate": "gap-compaction,calibrated-bl"} {
		fl := f.Lookup(name)
		fl.DefValue = def
		_ = fl.Value.Set(def)
	}
	f.Lookup("ablate").Usage = "non-idealities to keep alone, one run each: fragment, width, gap"
	f.Lookup("compensate").Usage = "compensations to try, one run each: gap-compaction, calibrated-bl"
	f.StringVar(&root, "root", run.DefaultRoot, "directory of run directories")
	return cmd
}
