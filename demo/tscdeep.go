package demo

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ergml/erg/internal/ergdata"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/tsc"
	"github.com/ergml/erg/tsc/deep" // registers "fcn" and the rest of the dl-4-tsc zoo
	"github.com/ergml/erg/ucr"
)

func init() {
	Register(Step{Name: "tscdeep", Title: "Deep time-series classification (paper 10): FCN of the dl-4-tsc zoo on UCR GunPoint, a short run", Run: tscDeepStep})
}

// tscDeepEpochs is the FCN's epochs in the demo (dl-4-tsc trains 2000); tests may
// shorten it.
var tscDeepEpochs = 20

func tscDeepStep(ctx context.Context, dir string, opt Options) (Result, error) {
	root, err := ergdata.Path("ucr")
	if err != nil {
		return Result{Skipped: fmt.Sprintf("UCR data not found: %v", err)}, nil
	}
	const name = "GunPoint"
	tr, te, err := ucr.Load(filepath.Join(root, name))
	if err != nil {
		return Result{}, err
	}
	ep := tscDeepEpochs
	rd, err := run.Create(dir, "fcn-"+name, map[string]any{"command": "erg demo (tscdeep step)", "model": "fcn", "dataset": name, "epochs": ep, "seed": opt.Seed})
	if err != nil {
		return Result{}, err
	}
	c, err := tsc.New("fcn", tsc.Params{"rundir": rd.Path})
	if err != nil {
		return Result{}, err
	}
	if err := c.Fit(ctx, tr, tsc.FitOptions{Seed: opt.Seed, Backend: opt.Backend, Epochs: ep}); err != nil {
		return Result{RunDir: rd.Path}, fmt.Errorf("%s: %w", name, err)
	}
	pred, err := c.Predict(ctx, te.X)
	if err != nil {
		return Result{RunDir: rd.Path}, err
	}
	acc := tsc.Accuracy(pred, te.Y)
	// the training series through the same inference path (batch norm with the
	// statistics recalibrated on the training set after training)
	predTr, err := c.Predict(ctx, tr.X)
	if err != nil {
		return Result{RunDir: rd.Path}, err
	}
	accTr := tsc.Accuracy(predTr, tr.Y)
	res := Result{RunDir: rd.Path, Numbers: map[string]any{"dataset": name, "model": "fcn", "epochs": ep, "accuracy": acc, "train_accuracy": accTr}}
	line := fmt.Sprintf("FCN on GunPoint, a %d-epoch run (dl-4-tsc trains 2000): test accuracy %.4f (chance 0.5), training-set accuracy %.4f", ep, acc, accTr)
	if m, ok := c.(*deep.Model); ok && m.Classifier() != nil && len(m.Classifier().Results) > 0 {
		r := m.Classifier().Results[0]
		res.Numbers["train_seconds"], res.Numbers["joules"], res.Numbers["final_train_loss"] = r.Seconds, r.Joules, r.Loss
		line += fmt.Sprintf("; training %.1f s, final training loss %.3g (cross-entropy of chance: ln 2 = 0.693)", r.Seconds, r.Loss)
	}
	sum := run.Summary{} // the trainer's summary, with the test accuracy and a headline added
	_ = rd.ReadJSON(run.SummaryFile, &sum)
	sum["status"], sum["headline"], sum["test_accuracy"], sum["dataset"] = "finished", line, acc, name
	const file = "confusion-GunPoint.png"
	if err := tsc.NewConfusion(tr.Classes, pred, te.Y).Plot(rd.File(file), fmt.Sprintf("GunPoint: FCN (%d epochs) test confusion", ep)); err != nil {
		return res, err
	}
	if err := rd.AddFigure(file, "test confusion matrix"); err != nil {
		return res, err
	}
	if err := rd.WriteJSON(run.SummaryFile, sum); err != nil {
		return res, err
	}
	if _, err := rd.Report(); err != nil {
		return res, err
	}
	rel, err := filepath.Rel(dir, rd.File(file))
	if err != nil {
		return res, err
	}
	res.Figures = []Figure{{File: rel, Caption: fmt.Sprintf("GunPoint test confusion matrix, FCN after %d epochs, accuracy %.4f", ep, acc)}}
	res.Headline = line
	return res, nil
}
