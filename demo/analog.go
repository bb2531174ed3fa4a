package demo

import (
	"context"
	"fmt"

	"github.com/ergml/erg/analog"
	"github.com/ergml/erg/analog/ctf"
	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/run"
)

func init() {
	Register(Step{Name: "analog", Title: "Analog crossbar training: the CTF cell's three experiments and an MLP on idealized RPU devices (2000 Fashion-MNIST images, 10 epochs at lr 0.2)", Run: analogStep})
}

// analogSubset and analogEpochs size the demo's training run (the default is 30
// epochs on all 60000 images); tests may shorten them.
var (
	analogSubset = 2000
	analogEpochs = 10
	analogLR     = 0.2 // 4× the recipe's 0.05: the sigmoid MLP must learn in 320 steps
)

// analogStep runs erg analog ctf check and a short erg analog train --device idealized.
func analogStep(ctx context.Context, dir string, opt Options) (Result, error) {
	chk, err := ctf.Default().RunCheck()
	if err != nil {
		return Result{}, err
	}
	co := analog.CoincidenceTest(opt.Seed+1, 20000)
	res := Result{Numbers: map[string]any{"fragment_100x1": chk.Fragment100x1, "fragment_10x10": chk.Fragment10x10,
		"width_0.5": chk.Width05, "width_5": chk.Width5, "gap_1": chk.Gap1, "gap_100": chk.Gap100, "knee_us": chk.Knee,
		"coincidence_p_value": co.PValue}}
	head := fmt.Sprintf("CTF at 100 µs ON time, ratio to the conserved shift: 100×1 µs %.3f vs 10×10 µs %.3f; 0.5 µs %.3f vs 5 µs %.3f; gaps 1 µs %.3f vs 100 µs %.3f; knee %.2f µs; coincidence χ² p %.2g",
		chk.Fragment100x1, chk.Fragment10x10, chk.Width05, chk.Width5, chk.Gap1, chk.Gap100, chk.Knee, co.PValue)
	if _, err := imageset.LoadFashionMNIST("", "test"); err != nil {
		res.Headline = head + " (training skipped: Fashion-MNIST not installed: apt-get install dataset-fashion-mnist)"
		return res, nil
	}
	cfg := analog.DefaultTrainConfig("idealized")
	cfg.Command = "erg demo (analog step)"
	cfg.Epochs, cfg.Subset, cfg.TestSubset, cfg.Seed, cfg.LR = analogEpochs, analogSubset, 1000, opt.Seed, analogLR
	out, err := analog.Train(ctx, cfg, run.Options{Root: dir, Name: "analog-idealized", Progress: opt.Log})
	if err != nil {
		return res, err
	}
	res.RunDir = out.Dir
	res.Numbers["test_acc"], res.Numbers["pulses"], res.Numbers["bl"], res.Numbers["epoch_seconds"] = out.TestAcc, out.Pulses, out.BL, out.EpochSeconds
	res.Headline = head + fmt.Sprintf("; MLP on idealized devices, %d epochs on %d images (lr 0.2): test accuracy %.3f on %d (chance 0.1; the recipe is 30 epochs on all images at lr 0.05), %d pulses, mean BL %.2f, %.1f s per epoch",
		out.Epochs, out.TrainImages, out.TestAcc, out.TestImages, out.Pulses, out.BL, out.EpochSeconds)
	return res, nil
}
