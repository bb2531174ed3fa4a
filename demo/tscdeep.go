package demo

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ergml/erg/internal/ergdata"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/tsc"
	_ "github.com/ergml/erg/tsc/deep" // registers "fcn" and the rest of the dl-4-tsc zoo
	"github.com/ergml/erg/ucr"
)

func init() {
	Register(Step{Name: "tscdeep", Title: "Deep time-series classification (paper 10): FCN of the dl-4-tsc zoo on UCR GunPoint, a short run", Run: tscDeepStep})
}

// tscDeepEpochs is the FCN's epochs in the demo (dl-4-tsc trains 2000); tests may
// shorten it.
var tscDeepEpochs = 20

// tscDeepStep is one erg tsc train run (tsc.Train: the run directory, metrics per
// epoch, checkpoint, energy, report, confusion plot and saved model), plus the
// training-set accuracy of the saved model.
func tscDeepStep(ctx context.Context, dir string, opt Options) (Result, error) {
	root, err := ergdata.Path("ucr")
	if err != nil {
		return Result{Skipped: fmt.Sprintf("UCR data not found: %v", err)}, nil
	}
	const name = "GunPoint"
	ep := tscDeepEpochs
	cfg := tsc.TrainConfig{Command: "erg demo (tscdeep step)", Data: filepath.Join(root, name), Model: "fcn", Seed: opt.Seed,
		Runs: 1, Epochs: ep, Backend: opt.Backend}
	out, err := tsc.Train(ctx, cfg, run.Options{Root: dir, Name: "fcn-" + name, Progress: opt.Log})
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", name, err)
	}
	res := Result{RunDir: out.Dir}
	// the training series through the saved model (batch norm with the statistics
	// recalibrated on the training set after training)
	tr, _, err := ucr.Load(cfg.Data)
	if err != nil {
		return res, err
	}
	c, _, err := tsc.LoadModel(out.ModelFile)
	if err != nil {
		return res, err
	}
	predTr, err := c.Predict(ctx, tr.X)
	if err != nil {
		return res, err
	}
	accTr := tsc.Accuracy(predTr, tr.Y)
	r := out.Runs[0]
	res.Numbers = map[string]any{"dataset": name, "model": "fcn", "epochs": ep, "accuracy": r.Accuracy, "train_accuracy": accTr,
		"train_seconds": r.TrainSeconds, "joules": out.Joules, "final_train_loss": r.Loss}
	res.Headline = fmt.Sprintf("FCN on GunPoint, a %d-epoch run (dl-4-tsc trains 2000): test accuracy %.4f (chance 0.5), training-set accuracy %.4f; training %.1f s, final training loss %.3g (cross-entropy of chance: ln 2 = 0.693)",
		ep, r.Accuracy, accTr, r.TrainSeconds, r.Loss)
	rel, err := filepath.Rel(dir, out.ConfusionPlot)
	if err != nil {
		return res, err
	}
	res.Figures = []Figure{{File: rel, Caption: fmt.Sprintf("GunPoint test confusion matrix, FCN after %d epochs, accuracy %.4f", ep, r.Accuracy)}}
	return res, nil
}
