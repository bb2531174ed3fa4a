package hsi

import (
	"context"
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/ergml/erg/run"
)

// Config is an erg hsi train run; field names are the flags' names.
type Config struct {
	Command string `json:"command,omitempty"`
	Data    string `json:"data"`   // scene directory (erg hsi scene --out)
	Model   string `json:"model"`  // one of Models
	CRF     bool   `json:"crf"`    // refine with the dense CRF
	Split   string `json:"split"`  // one of SplitModes
	Labels  int    `json:"labels"` // labels per class (0 with --split random: 10% of each class)
	Guard   int    `json:"guard"`  // disjoint guard band, px (−1 = none; 0 = PatchRadius)
	Seed    uint64 `json:"seed"`
	Trees   int    `json:"trees"` // rf trees (0 = 100)
	// Networks (0 = their defaults): cnn1d/cnn3d epochs, ssgan steps, ssgan PCs.
	Epochs     int `json:"epochs"`
	Steps      int `json:"steps"`
	Components int `json:"components"`
	// CRF parameters (0 = the crf package's defaults).
	ThetaAlpha float64 `json:"theta-alpha"`
	ThetaBeta  float64 `json:"theta-beta"`
	ThetaGamma float64 `json:"theta-gamma"`
	W1         float64 `json:"w1"`
	W2         float64 `json:"w2"`
	Iterations int     `json:"crf-iterations"`
}

// DefaultConfig returns the defaults of erg hsi train.
func DefaultConfig() Config {
	return Config{Model: "svm", Split: Disjoint, Labels: 10, Seed: 1}
}

// Validate reports the first bad field, named as its flag.
func (c *Config) Validate() error {
	switch {
	case c.Data == "":
		return run.Invalid("data", c.Data, "want the scene directory written by erg hsi scene")
	case !slices.Contains(Models, c.Model):
		return run.Invalid("model", c.Model, "want one of %v", Models)
	case !slices.Contains(SplitModes, c.Split):
		return run.Invalid("split", c.Split, "want one of %v", SplitModes)
	case c.Labels < 0:
		return run.Invalid("labels", c.Labels, "want ≥ 0")
	case c.Labels == 0 && c.Split != Random:
		return run.Invalid("labels", c.Labels, "want ≥ 1 with --split %s", c.Split)
	case c.Guard < -1:
		return run.Invalid("guard", c.Guard, "want ≥ −1")
	case c.Trees < 0:
		return run.Invalid("trees", c.Trees, "want ≥ 0")
	case c.Epochs < 0:
		return run.Invalid("epochs", c.Epochs, "want ≥ 0")
	case c.Steps < 0:
		return run.Invalid("steps", c.Steps, "want ≥ 0")
	case c.Components < 0:
		return run.Invalid("components", c.Components, "want ≥ 0")
	case c.ThetaAlpha < 0 || c.ThetaBeta < 0 || c.ThetaGamma < 0 || c.W1 < 0 || c.W2 < 0 || c.Iterations < 0:
		return run.Invalid("theta-alpha", c.ThetaAlpha, "CRF parameters must be ≥ 0")
	}
	return nil
}

func (c *Config) fit() FitConfig {
	g := c.Guard
	if g == 0 {
		g = PatchRadius
	}
	if g < 0 {
		g = 0
	}
	fc := FitConfig{Model: c.Model, CRF: c.CRF, Trees: c.Trees, Epochs: c.Epochs, Steps: c.Steps, Components: c.Components,
		Split: SplitConfig{Mode: c.Split, Labels: c.Labels, Guard: g, Seed: c.Seed}}
	fc.CRFConfig.ThetaAlpha, fc.CRFConfig.ThetaBeta, fc.CRFConfig.ThetaGamma = c.ThetaAlpha, c.ThetaBeta, c.ThetaGamma
	fc.CRFConfig.W1, fc.CRFConfig.W2, fc.CRFConfig.Iterations = c.W1, c.W2, c.Iterations
	return fc
}

// Outcome is what Train reports.
type Outcome struct {
	Dir, Report string
	Model       string   `json:"model"`
	Split       string   `json:"split"`
	Labels      int      `json:"labels"`
	Train, Test int      // pixels
	Metrics     Metrics  `json:"metrics"`
	CRF         *Metrics `json:"crf,omitempty"`
	Params      map[string]float64
	Seconds     float64 `json:"seconds"`
	CRFSeconds  float64 `json:"crf_seconds"`
	Joules      float64 `json:"joules"`
}

// Figure files of a train run.
const (
	MapsFile      = "maps.png"      // ground truth beside the classification map(s)
	ConfusionFile = "confusion.png" // test confusion matrix (after the CRF when used)
)

// Train is erg hsi train: it loads cfg.Data, fits the classifier through the run
// lifecycle (run directory, metering, report with the maps) and returns the scores.
// The networks (cnn1d, cnn3d, ssgan) train with package train inside the experiment:
// metrics.jsonl gets their loss per epoch (cnn) or per log interval (ssgan),
// checkpoint.ergckpt is written every 10% of the steps, and a resumed run continues
// from it (then predicts, refines and reports as a fresh run). The SVM and the forest
// take seconds: a resumed run of theirs starts again from its configuration.
//
// An invalid configuration is a *run.FieldError naming the flag, and no run
// directory is created.
func Train(ctx context.Context, cfg Config, opt run.Options) (*Outcome, error) {
	exp, err := run.Start(opt, "hsi-"+cfg.Model, &cfg, nil)
	if err != nil {
		return nil, err
	}
	s, masked, err := Load(cfg.Data)
	if err != nil {
		return nil, exp.Fail(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, exp.Fail(err)
	}
	fc := cfg.fit()
	fc.Context, fc.Exp = ctx, exp
	res, err := Fit(s, fc)
	if err != nil {
		return nil, exp.Fail(err)
	}
	out := &Outcome{Dir: exp.Dir.Path, Model: cfg.Model, Split: cfg.Split, Labels: cfg.Labels, Train: len(res.Split.Train), Test: len(res.Split.Test),
		Metrics: res.Metrics, CRF: res.MetricsCRF, Params: res.Params, Seconds: res.Seconds, CRFSeconds: res.CRFSeconds}
	_ = exp.Log(run.Metric{"step": max(1, int(res.Params["steps"])), "oa": res.Metrics.OA, "aa": res.Metrics.AA, "kappa": res.Metrics.Kappa})
	titles := []string{"ground truth", fmt.Sprintf("%s, OA %.3f", cfg.Model, res.Metrics.OA)}
	imgs := []image.Image{LabelImage(s.Labels, s.Lines, s.Samples), LabelImage(res.Pred, s.Lines, s.Samples)}
	final := res.Metrics
	if res.MetricsCRF != nil {
		titles = append(titles, fmt.Sprintf("%s + CRF, OA %.3f", cfg.Model, res.MetricsCRF.OA))
		imgs = append(imgs, LabelImage(res.PredCRF, s.Lines, s.Samples))
		final = *res.MetricsCRF
	}
	if err := SaveMaps(exp.Dir.File(MapsFile), titles, imgs); err != nil {
		return nil, exp.Fail(err)
	}
	_ = exp.Dir.AddFigure(MapsFile, fmt.Sprintf("Ground truth beside the classification map(s), %s split, %d labels per class, seed %d", cfg.Split, cfg.Labels, cfg.Seed))
	if err := final.Matrix(s.Classes).Plot(exp.Dir.File(ConfusionFile), fmt.Sprintf("%s test confusion (OA %.3f)", cfg.Model, final.OA)); err != nil {
		return nil, exp.Fail(err)
	}
	_ = exp.Dir.AddFigure(ConfusionFile, "Test confusion matrix (rows true, columns predicted)")
	j, _ := exp.Joules()
	if !math.IsNaN(j) {
		out.Joules = j
	}
	sum := run.Summary{"model": cfg.Model, "split": cfg.Split, "labels": cfg.Labels, "train_pixels": out.Train, "test_pixels": out.Test,
		"masked_pixels": masked, "oa": res.Metrics.OA, "aa": res.Metrics.AA, "kappa": res.Metrics.Kappa, "per_class_f1": res.Metrics.F1, "params": res.Params,
		"headline": fmt.Sprintf("%s, %s split, %d labels/class: OA %.4f AA %.4f κ %.4f", cfg.Model, cfg.Split, cfg.Labels, res.Metrics.OA, res.Metrics.AA, res.Metrics.Kappa)}
	if res.MetricsCRF != nil {
		sum["crf_oa"], sum["crf_aa"], sum["crf_kappa"], sum["crf_per_class_f1"] = res.MetricsCRF.OA, res.MetricsCRF.AA, res.MetricsCRF.Kappa, res.MetricsCRF.F1
		sum["headline"] = fmt.Sprintf("%s (+CRF OA %.4f AA %.4f)", sum["headline"], res.MetricsCRF.OA, res.MetricsCRF.AA)
	}
	rep, err := exp.Finish(sum)
	if err != nil {
		return nil, err
	}
	out.Report = rep
	return out, nil
}
