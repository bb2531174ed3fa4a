package vision

import (
	"context"
	"fmt"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Files Train writes in a run directory besides the experiment's own (config.json,
// metrics.jsonl, checkpoint.ergckpt, energy.json, summary.json, report.html, and the
// loss.png that the report draws from the metrics).
const (
	ConfusionFile     = "confusion.png"     // the test confusion matrix
	AccuracyFile      = "accuracy.png"      // per-epoch accuracy on the evaluation set
	LossFile          = "losses.png"        // per-epoch training and evaluation loss
	MisclassifiedFile = "misclassified.png" // a grid of misclassified test images
)

// Outcome is what Train returns: where the run went and its figures.
type Outcome struct {
	Dir     string `json:"run_dir"`
	Report  string `json:"report"`
	Resumed bool   `json:"resumed,omitempty"`

	Data       string `json:"data"`
	Model      string `json:"model"`
	Params     int    `json:"params"`
	TrainCount int    `json:"train_images"`
	TestCount  int    `json:"test_images"`
	ValCount   int    `json:"val_images,omitempty"`

	Epochs    int     `json:"epochs"`
	Steps     int     `json:"steps"`
	TrainLoss float64 `json:"train_loss"` // mean loss of the last epoch

	TestAccuracy float64            `json:"test_accuracy"`
	TestLoss     float64            `json:"test_loss"`
	ValAccuracy  float64            `json:"val_accuracy,omitempty"` // at the last epoch, with Val > 0
	PerClass     map[string]float64 `json:"per_class_accuracy"`
	Confusion    [][]int            `json:"confusion"` // rows: true class, columns: predicted, in the order of Classes
	Classes      []string           `json:"classes"`
	// EpochAccuracy is the accuracy on the evaluation set (validation with Val > 0,
	// else test) after each epoch.
	EpochAccuracy []float64 `json:"epoch_accuracy"`

	TrainSeconds float64  `json:"train_seconds"` // over all sessions
	StepMillis   float64  `json:"step_ms"`       // this session's mean
	Seconds      float64  `json:"seconds"`
	Joules       float64  `json:"joules"`
	EnergyStatus string   `json:"energy_status,omitempty"`
	Figures      []string `json:"figures"` // files in the run directory
	Headline     string   `json:"headline"`
}

// Train trains cfg.Model on cfg.Data's training images and tests it on its test
// images, as one experiment of package run: the run directory
// opt.Root/<time>-<data>-<model> (or opt.Name) gets config.json (cfg, its defaults
// resolved), metrics.jsonl (one line per epoch with the training loss and the
// accuracy and loss on the evaluation set: the validation images with cfg.Val > 0,
// else the test images), checkpoint.ergckpt (every cfg.CheckpointEvery steps and at
// the end), model.json (ModelFile), energy.json, summary.json (test accuracy,
// per-class accuracy, confusion matrix, headline), report.html and the figures
// ConfusionFile, AccuracyFile, LossFile and MisclassifiedFile.
//
// Images are normalised per channel with the data set's published mean and standard
// deviation (Fashion-MNIST, MNIST, CIFAR-10), or those of its training images (an
// image folder). Training is train.Trainer's: Adam, the spec's schedule per epoch,
// batches from an imageset.Loader (reshuffled each epoch, augmented when cfg.Pad or
// cfg.Flip are set, the last partial batch dropped), progress per epoch.
//
// With opt.Resume the run's recorded configuration is used and cfg is ignored; the
// training continues from the run's checkpoint (from the start when it was killed
// before the first one) and ends with the same parameters, figures and accuracy as
// an uninterrupted run.
//
// An invalid configuration is a *run.FieldError naming the key, and no run directory
// is created; so is data that cannot be read, for a new run. A run that fails or is
// interrupted (ctx cancelled: its summary says "interrupted") after its directory
// was made returns, with the error, an outcome holding only Dir.
func Train(ctx context.Context, cfg TrainConfig, opt run.Options) (*Outcome, error) {
	var data Data
	var trainSet, testSet *imageset.Set
	if opt.Resume == "" {
		cfg = cfg.withDefaults()
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		var err error
		if data, err = ParseData(cfg.Data); err != nil {
			return nil, err
		}
		if data.Kind == "folder" || strings.Contains(cfg.Data, ":") { // an absolute path in config.json
			cfg.Data = data.Dir
			if data.Kind != "folder" {
				cfg.Data = data.Kind + ":" + data.Dir
			}
		}
		if trainSet, testSet, err = data.Load(); err != nil {
			return nil, &run.FieldError{Field: "data", Value: cfg.Data, Reason: err.Error()}
		}
	}
	exp, err := run.Start(opt, cfg.defaultName(), &cfg, nil)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Outcome, error) {
		return &Outcome{Dir: exp.Dir.Path, Resumed: exp.Resumed, Model: cfg.Model, Data: cfg.Data}, exp.Fail(err)
	}
	if trainSet == nil {
		if data, err = ParseData(cfg.Data); err != nil {
			return fail(err)
		}
		if trainSet, testSet, err = data.Load(); err != nil {
			return fail(fmt.Errorf("vision: %w", err))
		}
	}
	out, err := trainIn(ctx, exp, cfg, data, trainSet, testSet)
	if err != nil {
		return fail(err)
	}
	return out, nil
}

// sets are the images of one run, normalised.
type sets struct {
	train, val, test *imageset.Set
	mean, std        []float64
}

// prepare takes the subsets and the validation split of cfg and normalises.
func prepare(cfg TrainConfig, data Data, tr, te *imageset.Set) (*sets, error) {
	if tr.Len() == 0 || te.Len() == 0 {
		return nil, fmt.Errorf("vision: %s has %d training and %d test images", cfg.Data, tr.Len(), te.Len())
	}
	out := &sets{train: subset(tr, cfg.Subset, cfg.Seed^0x5eed1), test: subset(te, cfg.TestSubset, cfg.Seed^testSeed)}
	if cfg.Val > 0 {
		out.val, out.train = out.train.Split(cfg.Val, cfg.Seed^0x5eed3, true)
		if out.val.Len() == 0 || out.train.Len() == 0 {
			return nil, run.Invalid("val", cfg.Val, "leaves %d validation and %d training images", out.val.Len(), out.train.Len())
		}
	}
	out.mean, out.std = data.Mean, data.Std
	if out.mean == nil {
		out.mean, out.std = out.train.Stats()
		for k := range out.std {
			if !(out.std[k] > 0) {
				out.std[k] = 1
			}
		}
	}
	for _, s := range []*imageset.Set{out.train, out.val, out.test} {
		if s != nil {
			s.Normalize(out.mean, out.std)
		}
	}
	return out, nil
}

// subset returns a stratified random subset of about n images of s (s itself when
// n is 0 or at least its size).
func subset(s *imageset.Set, n int, seed uint64) *imageset.Set {
	if n <= 0 || n >= s.Len() {
		return s
	}
	a, _ := s.Split(float64(n)/float64(s.Len()), seed, true)
	return a
}

const testSeed = 0x5eed2

// TestImages reads the test images Train tests the configured run on (TestSubset
// applied), unnormalised: for evaluating a run's network (Load) again.
func (c TrainConfig) TestImages() (*imageset.Set, error) {
	d, err := ParseData(c.Data)
	if err != nil {
		return nil, err
	}
	_, te, err := d.Load()
	if err != nil {
		return nil, err
	}
	return subset(te, c.TestSubset, c.Seed^testSeed), nil
}

// schedule is cfg's learning-rate schedule for package train.
func schedule(cfg TrainConfig) train.Schedule {
	switch cfg.Schedule {
	case "cosine":
		return train.Schedule{Kind: "cosine"}
	case "step":
		return train.Schedule{Kind: "step", Factor: 0.1, StepEpochs: max(1, cfg.Epochs/3)}
	}
	return train.Schedule{Kind: "constant"}
}

func trainIn(ctx context.Context, exp *run.Experiment, cfg TrainConfig, data Data, tr, te *imageset.Set) (*Outcome, error) {
	spec, err := Lookup(cfg.Model)
	if err != nil {
		return nil, err
	}
	ss, err := prepare(cfg, data, tr, te)
	if err != nil {
		return nil, err
	}
	b, err := backend.New(cfg.Backend)
	if err != nil {
		return nil, err
	}
	loader, err := imageset.NewLoader(ss.train, imageset.LoaderConfig{BatchSize: cfg.Batch, Seed: cfg.Seed,
		Augment: imageset.Augment{Pad: cfg.Pad, FlipH: cfg.Flip}})
	if err != nil {
		return nil, err
	}
	classes := len(ss.train.Classes)
	spe := loader.StepsPerEpoch()
	steps := cfg.Epochs * spe
	evalSet, evalKey := ss.test, "test"
	if ss.val != nil {
		evalSet, evalKey = ss.val, "val"
	}
	note := exp.Progress("epoch", cfg.Epochs, 0)
	verb := "training"
	if exp.Resumed {
		verb = "resuming"
	}
	note.Printf("%s: %s %s on %s (%d training, %d test images of %d×%d×%d, %d classes; %s of %d steps, batch %d) in %s",
		exp.Dir.Name, verb, spec.Name, cfg.Data, ss.train.Len(), ss.test.Len(), tr.H, tr.W, tr.C, classes, plural(cfg.Epochs, "epoch"), spe, loader.BatchSize(), exp.Dir.Path)

	store := model.NewStore()
	var pred *Predictor
	var evalErr error
	predictor := func() (*Predictor, error) {
		if pred == nil {
			var err error
			pred, err = NewPredictor(b, store, spec, classes, DefaultEvalBatch)
			if err != nil {
				return nil, err
			}
		}
		return pred, nil
	}
	defer func() {
		if pred != nil {
			pred.Finalize()
		}
	}()
	every := cfg.CheckpointEvery
	if every == 0 {
		every = spe
	}
	tcfg := train.Config{
		Steps: steps, StepsPerEpoch: spe, Optimizer: spec.Optimizer(cfg.LR), Schedule: schedule(cfg),
		CheckpointEvery: every, Seed: cfg.Seed, ProgressEpochs: true,
		Metrics: func(step int) map[string]float64 {
			if step%spe != 0 && step != steps || evalErr != nil {
				return nil
			}
			p, err := predictor()
			if err != nil {
				evalErr = err
				return nil
			}
			ev, err := p.Evaluate(evalSet)
			if err != nil {
				evalErr = err
				return nil
			}
			note.Printf("%s: epoch %d: %s accuracy %.4f, %s loss %.4f", exp.Dir.Name, (step+spe-1)/spe, evalKey, ev.Accuracy, evalKey, ev.Loss)
			return map[string]float64{evalKey + "_accuracy": ev.Accuracy, evalKey + "_loss": ev.Loss}
		},
	}
	tr0, err := train.New(b, store, spec.Loss(classes, cfg.Dropout), tcfg)
	if err != nil {
		return nil, err
	}
	res, err := tr0.Run(ctx, loader, exp)
	if err == nil {
		err = evalErr
	}
	if err != nil {
		return nil, err
	}

	// The final evaluation on the test images.
	p, err := predictor()
	if err != nil {
		return nil, err
	}
	ev, err := p.Evaluate(ss.test)
	if err != nil {
		return nil, err
	}
	info := ModelInfo{Model: spec.Name, Classes: ss.train.Classes, Height: tr.H, Width: tr.W, Channels: tr.C,
		Mean: ss.mean, Std: ss.std, Params: countParams(store)}
	if err := exp.Dir.WriteJSON(ModelFile, info); err != nil {
		return nil, err
	}
	out := &Outcome{Dir: exp.Dir.Path, Resumed: exp.Resumed, Data: cfg.Data, Model: spec.Name, Params: info.Params,
		TrainCount: ss.train.Len(), TestCount: ss.test.Len(), Epochs: res.Epochs, Steps: res.Steps, TrainLoss: res.Loss,
		TestAccuracy: ev.Accuracy, TestLoss: ev.Loss, Classes: ss.train.Classes, PerClass: map[string]float64{},
		Confusion: ev.Confusion.Counts, TrainSeconds: res.Seconds, StepMillis: res.StepMillis}
	if ss.val != nil {
		out.ValCount = ss.val.Len()
	}
	for i, c := range ss.train.Classes {
		out.PerClass[c] = ev.PerClass[i]
	}
	if err := figures(exp, cfg, spec, ss, ev, evalKey, out); err != nil {
		return nil, err
	}
	out.Seconds = exp.Seconds()
	out.Joules, out.EnergyStatus = exp.Joules()
	energy := "energy not metered"
	if out.EnergyStatus != "" {
		energy = fmt.Sprintf("%.4g J %s", out.Joules, out.EnergyStatus)
	}
	out.Headline = fmt.Sprintf("%s on %s: test accuracy %.4f after %s (%d parameters, %d training images); training %s, %.3g ms/step, %s",
		spec.Name, cfg.Data, out.TestAccuracy, plural(out.Epochs, "epoch"), out.Params, out.TrainCount, fmtSeconds(out.TrainSeconds), out.StepMillis, energy)
	note.Printf("%s: %s", exp.Dir.Name, out.Headline)
	sum := run.Summary{"headline": out.Headline, "data": cfg.Data, "model": spec.Name, "params": out.Params, "seed": cfg.Seed,
		"epochs": out.Epochs, "steps": out.Steps, "train_loss": out.TrainLoss, "test_accuracy": out.TestAccuracy, "accuracy": out.TestAccuracy,
		"test_loss": out.TestLoss, "per_class_accuracy": out.PerClass, "classes": out.Classes, "confusion": out.Confusion,
		"epoch_accuracy": out.EpochAccuracy, "train_seconds": out.TrainSeconds, "step_ms": out.StepMillis,
		"train_images": out.TrainCount, "test_images": out.TestCount}
	if out.ValCount > 0 {
		sum["val_accuracy"], sum["val_images"] = out.ValAccuracy, out.ValCount
	}
	if out.Report, err = exp.Finish(sum); err != nil {
		return nil, err
	}
	return out, nil
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func fmtSeconds(s float64) string {
	if s >= 120 {
		return fmt.Sprintf("%.1f min", s/60)
	}
	return fmt.Sprintf("%.3g s", s)
}

// figures draws the confusion matrix, the per-epoch curves (from metrics.jsonl, so a
// resumed run's include the earlier sessions) and the misclassified images, and
// records them as figures of the run; it fills out's EpochAccuracy, ValAccuracy and
// Figures.
func figures(exp *run.Experiment, cfg TrainConfig, spec Spec, ss *sets, ev *Evaluation, evalKey string, out *Outcome) error {
	d := exp.Dir
	title := fmt.Sprintf("%s on %s: test accuracy %.4f", spec.Name, cfg.Data, ev.Accuracy)
	if len(title) > 70 {
		title = fmt.Sprintf("%s: test accuracy %.4f", spec.Name, ev.Accuracy)
	}
	if err := ev.Confusion.Plot(d.File(ConfusionFile), title); err != nil {
		return err
	}
	if err := d.AddFigure(ConfusionFile, fmt.Sprintf("Test confusion matrix (rows: true class, columns: predicted) of %s, accuracy %.4f on %d images.", spec.Name, ev.Accuracy, ev.N)); err != nil {
		return err
	}
	out.Figures = append(out.Figures, ConfusionFile)

	ms, err := d.Metrics()
	if err != nil {
		return err
	}
	var ep, acc, trLoss, evLoss []float64
	for _, m := range ms {
		e, ok1 := m["epoch"].(float64)
		a, ok2 := m[evalKey+"_accuracy"].(float64)
		if !ok1 || !ok2 {
			continue
		}
		ep, acc = append(ep, e), append(acc, a)
		l, _ := m["epoch_loss"].(float64)
		if l == 0 {
			l, _ = m["loss"].(float64)
		}
		trLoss = append(trLoss, l)
		el, _ := m[evalKey+"_loss"].(float64)
		evLoss = append(evLoss, el)
	}
	out.EpochAccuracy = acc
	if evalKey == "val" && len(acc) > 0 {
		out.ValAccuracy = acc[len(acc)-1]
	}
	if len(ep) > 0 {
		if err := run.PlotCurves(d.File(AccuracyFile), fmt.Sprintf("%s: %s accuracy per epoch", spec.Name, evalKey), "epoch", "accuracy", false,
			run.Series{Name: evalKey, X: ep, Y: acc}); err != nil {
			return err
		}
		if err := d.AddFigure(AccuracyFile, fmt.Sprintf("Accuracy on the %s images after each epoch.", evalKey)); err != nil {
			return err
		}
		if err := run.PlotCurves(d.File(LossFile), spec.Name+": cross-entropy per epoch", "epoch", "loss", true,
			run.Series{Name: "training (epoch mean)", X: ep, Y: trLoss}, run.Series{Name: evalKey, X: ep, Y: evLoss}); err != nil {
			return err
		}
		if err := d.AddFigure(LossFile, fmt.Sprintf("Training loss (mean over each epoch, in training mode) and %s loss after each epoch.", evalKey)); err != nil {
			return err
		}
		out.Figures = append(out.Figures, AccuracyFile, LossFile)
	}
	n, err := PlotMisclassified(d.File(MisclassifiedFile), spec.Name+": misclassified test images", ss.test, ev.Pred, 32)
	if err != nil {
		return err
	}
	if n > 0 {
		if err := d.AddFigure(MisclassifiedFile, fmt.Sprintf("The first %d misclassified test images (in test-set order), with true and predicted class.", n)); err != nil {
			return err
		}
		out.Figures = append(out.Figures, MisclassifiedFile)
	}
	return nil
}

// countParams is the number of trainable parameters of the network in store.
func countParams(store *model.Store) int {
	n := 0
	for v := range store.IterVariables() {
		if v.Trainable && strings.HasPrefix(v.Path(), "/net/") {
			n += v.Shape().Size()
		}
	}
	return n
}

// ParamCount is the number of trainable parameters of spec's network on images of
// h×w×c with the given number of classes (PyTorch's sum of p.numel() over
// parameters(); batch-norm running statistics are not parameters). It builds the
// network's graph on backend b (nil: the default backend) without running it.
func ParamCount(b compute.Backend, spec Spec, h, w, c, classes int) (int, error) {
	if b == nil {
		var err error
		if b, err = backend.New(""); err != nil {
			return 0, err
		}
	}
	store := model.NewStore()
	arch := spec.Arch
	exec, err := model.NewExec(b, store, func(s *model.Scope, x *Node) *Node {
		return arch(s.In("net"), x, ArchOptions{Classes: classes, Training: false})
	})
	if err != nil {
		return 0, err
	}
	defer exec.Finalize()
	if _, err := exec.Compile(shapes.Make(dtypes.Float32, 2, h, w, c)); err != nil {
		return 0, fmt.Errorf("vision: %s on %d×%d×%d: %w", spec.Name, h, w, c, err)
	}
	return countParams(store), nil
}
