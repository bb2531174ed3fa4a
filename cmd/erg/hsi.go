package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/hsi"
	"github.com/ergml/erg/hsi/envi"
	"github.com/ergml/erg/hsi/scene"
)

// newHSICmd returns the hsi command group.
func newHSICmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "hsi",
		Short: "hyperspectral image classification: ENVI data, synthetic scene, SVM/RF/CNN/SS-GAN, dense CRF",
		Long: `Hyperspectral classification (package hsi): ENVI files (hsi/envi), the synthetic AVIRIS-like
ip-like scene standing in for Indian Pines (hsi/scene), the splits of the literature (random,
fixed N per class, disjoint fields with a guard band, DeepHyperX's row cut), an RBF-SVM, a
random forest, the 1-D CNN of Hu et al. and the 3-D CNN of Ben Hamida et al. (hsi/cnn), the
semi-supervised spectral-spatial GAN (hsi/ssgan), and a fully connected CRF (mean field)
refining their probabilities.`,
		Example: "  erg hsi scene --preset ip-like --seed 1 --out ipl\n  erg hsi info ipl/cube.hdr --json\n  erg hsi train --data ipl --model svm --crf --split disjoint --labels 10 --seed 1\n  erg hsi bench --data ipl --models svm,rf,svm+crf --labels 5,10 --seeds 10 --json",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(hsiSceneCmd(), hsiInfoCmd(), hsiTrainCmd(), hsiBenchCmd())
	return c
}

func hsiSceneCmd() *cobra.Command {
	var cfg scene.Config
	var out string
	cmd := &cobra.Command{
		Use:   "scene --preset ip-like --seed N --out DIR",
		Short: "generate the synthetic ip-like hyperspectral scene (ENVI cube, corrected cube, label and field maps, picture)",
		Long: `Writes DIR/cube.hdr+.img (145×145×220 float32 bsq, the Indian Pines band centres and FWHM),
DIR/cube-corrected.hdr+.img (the 200 bands left after the water-absorption bands), DIR/labels.hdr+.img
(uint8 ground truth, 0 = unlabelled, "class names"), DIR/fields.hdr+.img (uint16 field ids, for the
disjoint split), DIR/scene.png (false colour beside the ground truth) and DIR/scene.json (parameters,
class pixel counts, SHA-256 of every data file). Needs python3-spectral's test data (the band table
and the ECOSTRESS spectra).`,
		Example: "  erg hsi scene --preset ip-like --seed 1 --out ipl\n  erg hsi scene --seed 2 --out ipl2 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return flagError("out", "want the output directory")
			}
			if cfg.Preset != "ip-like" {
				return flagError("preset", "%q: want ip-like", cfg.Preset)
			}
			r, err := scene.Generate(cfg)
			if err != nil {
				return err
			}
			info, err := r.Write(out)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, map[string]any{"dir": out, "scene": info})
			}
			fmt.Fprintf(w, "ip-like seed %d: %d×%d pixels, %d bands (%d corrected), %d labelled pixels in %d classes → %s\n",
				info.Seed, info.Size, info.Size, info.Bands, info.Corrected, info.Labelled, len(info.Classes), out)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for k, c := range info.Classes {
				fmt.Fprintf(tw, "%d\t%s\t%d\t\n", k+1, c, info.Counts[k])
			}
			tw.Flush()
			fmt.Fprintf(w, "sha256 cube.img %s\n", info.SHA256["cube.img"])
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Preset, "preset", "ip-like", "scene preset (ip-like)")
	f.Uint64Var(&cfg.Seed, "seed", 1, "seed of the layout, abundances and noise")
	f.StringVar(&out, "out", "", "output directory")
	f.Float64Var(&cfg.AbundanceSD, "abundance-sd", 0, "sd of the GRF abundance perturbations (0: the calibrated default)")
	f.Float64Var(&cfg.FieldSD, "field-sd", 0, "sd of each field's mixture offset (0: the calibrated default)")
	f.IntVar(&cfg.Size, "size", 0, "lines = samples (0: 145)")
	return cmd
}

// hsiInfo is what erg hsi info prints.
type hsiInfo struct {
	File         string     `json:"file"`
	Data         string     `json:"data"`
	Samples      int        `json:"samples"`
	Lines        int        `json:"lines"`
	Bands        int        `json:"bands"`
	DataType     int        `json:"data_type"`
	Type         string     `json:"type"`
	Interleave   string     `json:"interleave"`
	ByteOrder    int        `json:"byte_order"`
	HeaderOffset int64      `json:"header_offset"`
	Wavelength   [2]float64 `json:"wavelength_range,omitempty"`
	Units        string     `json:"wavelength_units,omitempty"`
	BandNames    int        `json:"band_names"`
	Masked       int        `json:"masked_values"`
	MaskedPixels int        `json:"masked_pixels"`
	Min          float64    `json:"min"`
	Max          float64    `json:"max"`
	Mean         float64    `json:"mean"`
}

func hsiInfoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "info FILE.hdr",
		Short:   "describe an ENVI image: shape, type, interleave, byte order, wavelengths, masked values, range",
		Example: "  erg hsi info ipl/cube.hdr\n  erg hsi info ipl/labels.hdr --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := envi.DataFile(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			c, err := envi.ReadFiles(args[0], data)
			if err != nil {
				var he *envi.HeaderError
				if errors.As(err, &he) {
					return usageError{msg: err.Error(), file: he.File, line: he.Line, field: he.Key}
				}
				return usageError{msg: err.Error(), file: data}
			}
			in := hsiInfo{File: args[0], Data: data, Samples: c.Samples, Lines: c.Lines, Bands: c.Bands, DataType: int(c.DataType), Type: c.DataType.String(),
				Interleave: string(c.Interleave), ByteOrder: c.ByteOrder, HeaderOffset: c.HeaderOffset, Units: c.WavelengthUnits, BandNames: len(c.BandNames),
				Masked: c.MaskedValues, MaskedPixels: c.MaskedPixels}
			if len(c.Wavelength) > 0 {
				in.Wavelength = [2]float64{c.Wavelength[0], c.Wavelength[len(c.Wavelength)-1]}
			}
			first := true
			n := 0
			for p := 0; p < c.Samples*c.Lines; p++ {
				if c.Mask[p] {
					continue
				}
				for _, v := range c.Pixel(p/c.Samples, p%c.Samples) {
					if first || v < in.Min {
						in.Min = v
					}
					if first || v > in.Max {
						in.Max = v
					}
					first = false
					in.Mean += v
					n++
				}
			}
			if n > 0 {
				in.Mean /= float64(n)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, in)
			}
			fmt.Fprintf(w, "%s: %d samples × %d lines × %d bands, %s (type %d), %s, byte order %d, header offset %d\n",
				in.File, in.Samples, in.Lines, in.Bands, in.Type, in.DataType, in.Interleave, in.ByteOrder, in.HeaderOffset)
			if len(c.Wavelength) > 0 {
				fmt.Fprintf(w, "wavelength %g–%g %s\n", in.Wavelength[0], in.Wavelength[1], in.Units)
			}
			fmt.Fprintf(w, "values %g … %g (mean %g); masked %d values in %d pixels\n", in.Min, in.Max, in.Mean, in.Masked, in.MaskedPixels)
			return nil
		},
	}
	return cmd
}

func hsiTrainCmd() *cobra.Command {
	cfg := hsi.DefaultConfig()
	var rf runFlags
	cmd := &cobra.Command{
		Use:   "train --data DIR --model svm|rf|cnn1d|cnn3d|ssgan [--crf]",
		Short: "train a pixel classifier (RBF-SVM, random forest, 1-D/3-D CNN or SS-GAN, optionally + dense CRF) on a scene and report OA, AA, κ",
		Long: `Loads the scene directory --data (erg hsi scene), draws the split (--split disjoint: half of each
class's fields train, the others test, minus a --guard band; fixed: --labels per class anywhere;
random: a 10% fraction; rowcut: DeepHyperX's row cut), trains --model on --labels labelled pixels per
class (svm: C and γ by 5-fold cross-validation on them; rf: 100 trees; cnn1d: Hu et al.'s 1-D CNN on
the spectrum; cnn3d: Ben Hamida et al.'s 3-D CNN on 5×5 patches; ssgan: the semi-supervised GAN on
7×7 patches of --components principal components, every other pixel of the scene unlabelled) on
standardised bands, classifies every pixel and, with --crf, refines the map with the fully connected
CRF (appearance kernel on position and the first 3 principal components, smoothness kernel). The run
directory holds config.json, metrics.jsonl, summary.json (OA, AA, κ, per-class F1, chosen
hyperparameters), maps.png (ground truth beside the maps), confusion.png, energy.json and
report.html; the networks also checkpoint.ergckpt (--resume continues from it).`,
		Example: "  erg hsi train --data ipl --model svm --crf --split disjoint --labels 10 --seed 1\n  erg hsi train --data ipl --model ssgan --crf --labels 10\n  erg hsi train --data ipl --model rf --split fixed --labels 5 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := positive(cmd.Flags(), "crf-iterations"); err != nil && cmd.Flags().Changed("crf-iterations") {
				return err
			}
			opt := rf.options(cmd)
			if rf.resume != "" {
				if err := rf.checkResume(cmd); err != nil {
					return err
				}
				cfg = hsi.Config{}
			} else {
				cfg.Command = commandLine()
			}
			ctx, stop := signalContext()
			defer stop()
			out, err := hsi.Train(ctx, cfg, opt)
			if err != nil && errors.Is(err, context.Canceled) {
				return err
			}
			if err != nil {
				return invalidConfig(err)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, out)
			}
			fmt.Fprintf(w, "%s, %s split, %d labels/class (%d train, %d test pixels): OA %.4f AA %.4f κ %.4f (%.1f s)\n",
				out.Model, out.Split, out.Labels, out.Train, out.Test, out.Metrics.OA, out.Metrics.AA, out.Metrics.Kappa, out.Seconds)
			if out.CRF != nil {
				fmt.Fprintf(w, "+ CRF: OA %.4f AA %.4f κ %.4f (%.1f s)\n", out.CRF.OA, out.CRF.AA, out.CRF.Kappa, out.CRFSeconds)
			}
			fmt.Fprintf(w, "run directory %s (report %s)\n", out.Dir, filepath.Base(out.Report))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Data, "data", "", "scene directory (erg hsi scene --out)")
	f.StringVar(&cfg.Model, "model", cfg.Model, "model: "+strings.Join(hsi.Models, ", "))
	f.BoolVar(&cfg.CRF, "crf", false, "refine the map with the dense CRF")
	f.StringVar(&cfg.Split, "split", cfg.Split, "split: "+strings.Join(hsi.SplitModes, ", "))
	f.IntVar(&cfg.Labels, "labels", cfg.Labels, "labelled pixels per class")
	f.IntVar(&cfg.Guard, "guard", 0, "disjoint split: guard band in px (0: the patch radius 3; -1: none)")
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the split, the CV folds and the forest")
	f.IntVar(&cfg.Trees, "trees", 0, "rf: trees (0: 100)")
	f.IntVar(&cfg.Epochs, "epochs", 0, "cnn1d, cnn3d: epochs over the labelled pixels (0: 200 and 100)")
	f.IntVar(&cfg.Steps, "steps", 0, "ssgan: optimizer steps (0: 1500)")
	f.IntVar(&cfg.Components, "components", 0, "ssgan: principal components of the bands it reads (0: 24)")
	f.Float64Var(&cfg.ThetaAlpha, "theta-alpha", 0, "CRF appearance kernel spatial sd, px (0: 3)")
	f.Float64Var(&cfg.ThetaBeta, "theta-beta", 0, "CRF appearance kernel PC sd (0: 1)")
	f.Float64Var(&cfg.ThetaGamma, "theta-gamma", 0, "CRF smoothness kernel sd, px (0: 1)")
	f.Float64Var(&cfg.W1, "w1", 0, "CRF appearance weight (0: 3)")
	f.Float64Var(&cfg.W2, "w2", 0, "CRF smoothness weight (0: 1)")
	f.IntVar(&cfg.Iterations, "crf-iterations", 0, "CRF mean-field iterations (0: 5)")
	rf.register(f, "hsi-MODEL")
	return cmd
}

func hsiBenchCmd() *cobra.Command {
	var (
		data, models, labels, split        string
		seeds, guard, epochs, steps, comps int
	)
	cmd := &cobra.Command{
		Use:   "bench --data DIR --models svm,cnn3d,ssgan,ssgan+crf --labels 5,10 --seeds 10",
		Short: "models × labels per class × seeds on a scene: mean ± sd of OA, AA, κ, per-class F1, paired Wilcoxon tests",
		Example: "  erg hsi bench --data ipl --models svm,rf --labels 5,10 --seeds 10 --json\n" +
			"  erg hsi bench --data ipl --models svm,svm+crf --labels 10 --split fixed",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if data == "" {
				return flagError("data", "want the scene directory written by erg hsi scene")
			}
			if err := positive(cmd.Flags(), "seeds"); err != nil {
				return err
			}
			ls, err := parseInts("labels", labels, 1)
			if err != nil {
				return err
			}
			ms := hsi.ParseModels(models)
			for _, m := range ms {
				found := false
				for _, b := range hsi.BenchModels {
					found = found || m == b
				}
				if !found {
					return flagError("models", "%q: want some of %s", m, strings.Join(hsi.BenchModels, ", "))
				}
			}
			if len(ms) == 0 {
				return flagError("models", "want at least one model")
			}
			s, _, err := hsi.Load(data)
			if err != nil {
				return usageError{msg: err.Error(), field: "data"}
			}
			ctx, stop := signalContext()
			defer stop()
			w := cmd.OutOrStdout()
			for _, n := range []string{"epochs", "steps", "components"} {
				if v, _ := cmd.Flags().GetInt(n); v < 0 {
					return flagError(n, "%d: want ≥ 0", v)
				}
			}
			cfg := hsi.BenchConfig{Models: ms, Labels: ls, Seeds: seeds, Split: split, Guard: guard, Epochs: epochs, Steps: steps, Components: comps}
			// Progress goes to stderr also with --json: a long bench's partial results.
			cfg.Progress = func(m string, l int, seed uint64, oa float64) {
				fmt.Fprintf(cmd.ErrOrStderr(), "hsi bench: %s labels %d seed %d: OA %.4f\n", m, l, seed, oa)
			}
			rep, err := hsi.Bench(ctx, s, cfg)
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				return writeJSON(w, rep)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "model\tlabels\tOA\tAA\tκ\ts/seed\t\n")
			for _, r := range rep.Rows {
				fmt.Fprintf(tw, "%s\t%d\t%.4f ± %.4f\t%.4f ± %.4f\t%.4f\t%.1f\t\n", r.Model, r.Labels, r.OA, r.OASD, r.AA, r.AASD, r.Kappa, r.Seconds)
			}
			tw.Flush()
			for _, t := range rep.Tests {
				fmt.Fprintf(w, "%s vs %s (%d labels): mean OA gap %+.4f, Wilcoxon W %.1f p %.4g\n", t.A, t.B, t.Labels, t.MeanGap, t.Stat, t.P)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "scene directory (erg hsi scene --out)")
	f.StringVar(&models, "models", "svm,rf", "comma-separated: "+strings.Join(hsi.BenchModels, ", "))
	f.StringVar(&labels, "labels", "5,10", "comma-separated labels per class")
	f.IntVar(&seeds, "seeds", 10, "seeds (1..N) per model and number of labels")
	f.StringVar(&split, "split", hsi.Disjoint, "split: "+strings.Join(hsi.SplitModes, ", "))
	f.IntVar(&guard, "guard", 0, "disjoint split guard band, px (0: 3)")
	f.IntVar(&epochs, "epochs", 0, "cnn1d, cnn3d: epochs (0: 200 and 100)")
	f.IntVar(&steps, "steps", 0, "ssgan: optimizer steps (0: 1500)")
	f.IntVar(&comps, "components", 0, "ssgan: principal components (0: 24)")
	return cmd
}
