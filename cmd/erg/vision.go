package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/vision"
)

// newVisionCmd returns the vision command group.
func newVisionCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "vision",
		Short: "image classification: a zoo of CNNs (LeNet-5, VGG, ResNet-8/20, MobileNet) on Fashion-MNIST, MNIST, CIFAR-10 or image folders",
		Long: `Image classifiers on erg's 2-D layers (package vision), trained with the published-style defaults
of each model (Adam, batch 64, a cosine learning-rate schedule) in a metered, resumable run
directory with per-epoch test accuracy, a confusion matrix, curves and misclassified images.`,
		Example: "  erg vision models\n  erg vision train --data fashion-mnist --model lenet5\n  erg vision eval fashion-mnist-lenet5",
	}
	c.AddCommand(visionTrainCmd(), visionEvalCmd(), visionModelsCmd())
	return c
}

func visionTrainCmd() *cobra.Command {
	var (
		cfg vision.TrainConfig
		rf  runFlags
	)
	cmd := &cobra.Command{
		Use:   "train --data DATA --model NAME",
		Short: "train a model of the zoo in a run directory and report its test accuracy, time and energy",
		Long: `Trains --model on the training images of --data and tests it on its test images, as one metered,
resumable run in --root/<time>-<data>-<model> (or --name): config.json, metrics.jsonl (one line per
epoch: training loss, test or --val accuracy and loss), checkpoint.ergckpt, model.json, energy.json,
summary.json (test accuracy, per-class accuracy, confusion matrix), report.html, confusion.png,
accuracy.png, losses.png and misclassified.png.

--data is fashion-mnist, mnist or cifar10, each optionally followed by :DIR (the default folders are
Debian's /usr/share/datasets/fashion-mnist and $ERG_DATA/mnist, $ERG_DATA/cifar-10-batches-bin), or an
ImageFolder directory: DIR/train/<class>/*.png and DIR/test/<class>/..., or DIR/<class>/*.png of which
20% is held out for testing. Images are normalised with the data set's published mean and standard
deviation (an image folder: its training images').

Zero values of --epochs, --batch, --lr and --schedule take the model's defaults (see erg vision
models). An interrupted run (Ctrl-C, kill -9) continues with --resume DIR (or a unique part of its
name) from its last checkpoint to the same parameters and accuracy as an uninterrupted run.`,
		Example: `  erg vision train --data fashion-mnist --model lenet5
  erg vision train --data fashion-mnist --model resnet8 --epochs 15 --name fm-resnet8
  erg vision train --resume fm-resnet8
  erg vision train --data cifar10:../shared/data/cifar-10-batches-bin --model resnet20 --pad 4 --flip
  erg vision train --data fashion-mnist --model mlp --subset 5000 --epochs 2 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt := rf.options(cmd)
			if rf.resume != "" {
				if err := rf.checkResume(cmd); err != nil {
					return err
				}
				cfg = vision.TrainConfig{}
			} else {
				cfg.Command = commandLine()
				cfg.Backend = backend.Name(backendFlag(cmd))
			}
			ctx, stop := signalContext()
			defer stop()
			out, err := vision.Train(ctx, cfg, opt)
			if err != nil && out != nil && errors.Is(err, context.Canceled) {
				return fmt.Errorf("%w; continue the run with: erg vision train --resume %s", err, out.Dir)
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
			fmt.Fprintln(tw, "class\ttest accuracy\t")
			for _, c := range out.Classes {
				fmt.Fprintf(tw, "%s\t%.4f\t\n", c, out.PerClass[c])
			}
			tw.Flush()
			fmt.Fprintf(w, "run directory %s (report %s)\n", out.Dir, filepath.Base(out.Report))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Data, "data", "fashion-mnist", "fashion-mnist, mnist, cifar10 (each optionally :DIR) or an ImageFolder directory")
	f.StringVar(&cfg.Model, "model", "lenet5", "model: "+strings.Join(vision.Names(), ", "))
	f.IntVar(&cfg.Epochs, "epochs", 0, "epochs (0: the model's default)")
	f.IntVar(&cfg.Batch, "batch", 0, "images per step (0: the model's default, 64)")
	f.Float64Var(&cfg.LR, "lr", 0, "Adam's learning rate (0: the model's default, 1e-3)")
	f.StringVar(&cfg.Schedule, "schedule", "", "learning-rate schedule per epoch: "+strings.Join(vision.Schedules, ", ")+" (default: the model's)")
	f.Uint64Var(&cfg.Seed, "seed", 0, "seed of the initialisation, shuffles, augmentation, dropout and subsets")
	f.IntVar(&cfg.Pad, "pad", 0, "augmentation: random crop after zero-padding this many pixels (0: none)")
	f.BoolVar(&cfg.Flip, "flip", false, "augmentation: random horizontal flips")
	f.Float64Var(&cfg.Dropout, "dropout", 0, "dropout rate before the last layer (vgg)")
	f.Float64Var(&cfg.Val, "val", 0, "hold out this fraction of the training images for the per-epoch accuracy (0: use the test images)")
	f.IntVar(&cfg.Subset, "subset", 0, "train on a stratified random subset of this many images (0: all)")
	f.IntVar(&cfg.TestSubset, "test-subset", 0, "test on a stratified random subset of this many images (0: all)")
	f.IntVar(&cfg.CheckpointEvery, "checkpoint-every", 0, "steps between checkpoints (0: once per epoch)")
	rf.register(f, "DATA-MODEL")
	return cmd
}

// visionEvalOut is what erg vision eval prints under --json.
type visionEvalOut struct {
	Run          string             `json:"run"`
	Model        string             `json:"model"`
	Data         string             `json:"data"`
	Images       int                `json:"images"`
	Accuracy     float64            `json:"accuracy"`
	Loss         float64            `json:"loss"`
	PerClass     map[string]float64 `json:"per_class_accuracy"`
	Confusion    [][]int            `json:"confusion"`
	Classes      []string           `json:"classes"`
	RunAccuracy  *float64           `json:"run_test_accuracy,omitempty"` // what the run's summary reported
	ConfusionOut string             `json:"confusion_plot,omitempty"`
}

func visionEvalCmd() *cobra.Command {
	var root, data, plot string
	cmd := &cobra.Command{
		Use:   "eval RUN",
		Short: "evaluate the network of a finished erg vision train run on its test images (or --data's)",
		Long: `Loads the network of RUN (a run directory, or a unique part of its name under --root) from its
model.json and checkpoint and evaluates it on the run's test images (its --test-subset included), or
on the test images of --data (same image size and classes): accuracy, cross-entropy, per-class accuracy and the confusion matrix
(--confusion FILE plots it, PNG or SVG).`,
		Example: "  erg vision eval fashion-mnist-lenet5\n  erg vision eval runs/20260101-120000-fm-resnet8 --json\n  erg vision eval fm-resnet8 --data fashion-mnist:/data/fmnist --confusion cm.png",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rd, err := run.Resolve(root, args[0])
			if err != nil {
				return usageError{msg: err.Error()}
			}
			m, err := vision.Load(rd)
			if err != nil {
				return err
			}
			defer m.Finalize()
			var te *imageset.Set
			if data == "" { // the run's own test images
				var cfg vision.TrainConfig
				if err := rd.ReadJSON(run.ConfigFile, &cfg); err != nil {
					return err
				}
				data = cfg.Data
				if te, err = cfg.TestImages(); err != nil {
					return fmt.Errorf("%s: %w", rd.File(run.ConfigFile), err)
				}
			} else {
				d, err := vision.ParseData(data)
				if err != nil {
					return invalidConfig(err)
				}
				if _, te, err = d.Load(); err != nil {
					return flagError("data", "%v", err)
				}
			}
			ev, err := m.Evaluate(te)
			if err != nil {
				return err
			}
			out := visionEvalOut{Run: rd.Path, Model: m.Info.Model, Data: data, Images: ev.N, Accuracy: ev.Accuracy, Loss: ev.Loss,
				PerClass: map[string]float64{}, Confusion: ev.Confusion.Counts, Classes: ev.Classes}
			for i, c := range ev.Classes {
				out.PerClass[c] = ev.PerClass[i]
			}
			var sum map[string]any
			if rd.ReadJSON(run.SummaryFile, &sum) == nil {
				if a, ok := sum["test_accuracy"].(float64); ok {
					out.RunAccuracy = &a
				}
			}
			if plot != "" {
				if err := ev.Confusion.Plot(plot, fmt.Sprintf("%s: accuracy %.4f", m.Info.Model, ev.Accuracy)); err != nil {
					return err
				}
				out.ConfusionOut = plot
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, out)
			}
			fmt.Fprintf(w, "%s (%s) on %s: accuracy %.4f, cross-entropy %.4f over %d images\n", rd.Name, out.Model, data, ev.Accuracy, ev.Loss, ev.N)
			if out.RunAccuracy != nil && *out.RunAccuracy != ev.Accuracy {
				fmt.Fprintf(w, "(the run reported test accuracy %.4f)\n", *out.RunAccuracy)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "class\taccuracy\t")
			for i, c := range ev.Classes {
				fmt.Fprintf(tw, "%s\t%.4f\t\n", c, ev.PerClass[i])
			}
			tw.Flush()
			if plot != "" {
				fmt.Fprintf(w, "confusion matrix plotted to %s\n", plot)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "root", run.DefaultRoot, "directory of run directories")
	f.StringVar(&data, "data", "", "evaluate on the test images of this data instead of the run's")
	f.StringVar(&plot, "confusion", "", "also plot the confusion matrix to this .png or .svg file")
	return cmd
}

// visionModel is one row of erg vision models.
type visionModel struct {
	Name     string  `json:"name"`
	Title    string  `json:"title"`
	Params28 int     `json:"params_28x28x1"` // 10 classes
	Params32 int     `json:"params_32x32x3"`
	Epochs   int     `json:"epochs"`
	Batch    int     `json:"batch"`
	LR       float64 `json:"lr"`
	Schedule string  `json:"schedule"`
}

func visionModelsCmd() *cobra.Command {
	var classes int
	cmd := &cobra.Command{
		Use:     "models",
		Short:   "list the zoo: architecture, parameter counts (28x28x1 and 32x32x3 input) and default training",
		Example: "  erg vision models\n  erg vision models --classes 100 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if classes < 2 {
				return flagError("classes", "%d: must be at least 2", classes)
			}
			b, err := backend.New(backendFlag(cmd))
			if err != nil {
				return err
			}
			var rows []visionModel
			for _, n := range vision.Names() {
				s := vision.Specs[n]
				r := visionModel{Name: n, Title: s.Title, Epochs: s.Epochs, Batch: s.Batch, LR: s.LR, Schedule: s.Schedule}
				if r.Params28, err = vision.ParamCount(b, s, 28, 28, 1, classes); err != nil {
					return err
				}
				if r.Params32, err = vision.ParamCount(b, s, 32, 32, 3, classes); err != nil {
					return err
				}
				rows = append(rows, r)
			}
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, map[string]any{"classes": classes, "models": rows})
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "model\tparams 28x28x1\tparams 32x32x3\tdefault training (Adam)\tarchitecture\t\n")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d epochs, batch %d, lr %g, %s\t%s\t\n", r.Name, r.Params28, r.Params32, r.Epochs, r.Batch, r.LR, r.Schedule, r.Title)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(w, "parameter counts for %d classes, as PyTorch's sum of p.numel() (batch-norm running statistics excluded)\n", classes)
			return nil
		},
	}
	cmd.Flags().IntVar(&classes, "classes", 10, "number of classes for the parameter counts")
	return cmd
}
