package demo

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/vision"
)

func init() {
	Register(Step{Name: "vision", Title: "Image classification: LeNet-5 on a 5000-image subset of Fashion-MNIST, one epoch", Run: visionStep})
}

// visionSubset and visionEpochs size the demo's run (the default training is 15
// epochs on all 60000 images); tests may shorten them.
var (
	visionSubset = 5000
	visionEpochs = 1
)

// visionStep is one erg vision train run (vision.Train: the run directory, metrics per
// epoch, checkpoint, energy, report, confusion matrix, curves and misclassified
// images), tested on the 10000 test images.
func visionStep(ctx context.Context, dir string, opt Options) (Result, error) {
	if _, err := imageset.LoadFashionMNIST("", "test"); err != nil {
		return Result{Skipped: fmt.Sprintf("Fashion-MNIST not installed (%v): apt-get install dataset-fashion-mnist, or run scripts/install-peers.sh", err)}, nil
	}
	cfg := vision.DefaultConfig("lenet5")
	cfg.Command = "erg demo (vision step)"
	cfg.Epochs, cfg.Subset, cfg.Seed, cfg.Backend = visionEpochs, visionSubset, opt.Seed, opt.Backend
	out, err := vision.Train(ctx, cfg, run.Options{Root: dir, Name: "lenet5-fashion-mnist", Progress: opt.Log})
	if err != nil {
		return Result{}, err
	}
	res := Result{RunDir: out.Dir, Numbers: map[string]any{"model": out.Model, "data": out.Data, "epochs": out.Epochs,
		"train_images": out.TrainCount, "test_images": out.TestCount, "test_accuracy": out.TestAccuracy, "params": out.Params,
		"train_seconds": out.TrainSeconds, "step_ms": out.StepMillis, "joules": out.Joules, "per_class_accuracy": out.PerClass}}
	res.Headline = fmt.Sprintf("LeNet-5 (%d parameters), %d epoch on %d Fashion-MNIST images: test accuracy %.4f on %d images (chance 0.1; the default 15 epochs on all 60000 reach about 0.91); training %.1f s, %.3g ms/step",
		out.Params, out.Epochs, out.TrainCount, out.TestAccuracy, out.TestCount, out.TrainSeconds, out.StepMillis)
	captions := map[string]string{
		vision.ConfusionFile:     fmt.Sprintf("Fashion-MNIST test confusion matrix, LeNet-5 after %d epoch on %d images, accuracy %.4f", out.Epochs, out.TrainCount, out.TestAccuracy),
		vision.MisclassifiedFile: "Misclassified test images with their true and predicted classes",
	}
	for _, f := range []string{vision.ConfusionFile, vision.MisclassifiedFile} {
		rel, err := filepath.Rel(dir, filepath.Join(out.Dir, f))
		if err != nil {
			return res, err
		}
		res.Figures = append(res.Figures, Figure{File: rel, Caption: captions[f]})
	}
	return res, nil
}
