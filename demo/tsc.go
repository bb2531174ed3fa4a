package demo

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ergml/erg/internal/ergdata"
	"github.com/ergml/erg/tsc"
	_ "github.com/ergml/erg/tsc/minirocket" // registers "minirocket"
	"github.com/ergml/erg/ucr"
)

func init() {
	Register(Step{Name: "tsc", Title: "Time-series classification (paper 10): MiniRocket on UCR GunPoint, ArrowHead and BasicMotions", Run: tscStep})
}

func tscStep(ctx context.Context, dir string, opt Options) (Result, error) {
	root, err := ergdata.Path("ucr")
	if err != nil {
		return Result{Skipped: fmt.Sprintf("UCR data not found: %v", err)}, nil
	}
	res := Result{Numbers: map[string]any{}}
	var line string
	for _, name := range []string{"GunPoint", "ArrowHead", "BasicMotions"} {
		tr, te, err := ucr.Load(filepath.Join(root, name))
		if err != nil {
			return res, err
		}
		c, err := tsc.New("minirocket", nil)
		if err != nil {
			return res, err
		}
		t0 := time.Now()
		if err := c.Fit(ctx, tr, tsc.FitOptions{Seed: opt.Seed}); err != nil {
			return res, fmt.Errorf("%s: %w", name, err)
		}
		sec := time.Since(t0).Seconds()
		pred, err := c.Predict(ctx, te.X)
		if err != nil {
			return res, err
		}
		acc := tsc.Accuracy(pred, te.Y)
		res.Numbers[name] = map[string]float64{"accuracy": acc, "train_seconds": sec}
		line += fmt.Sprintf("%s %.4f (%.2f s); ", name, acc, sec)
		file := "confusion-" + name + ".png"
		if err := tsc.NewConfusion(tr.Classes, pred, te.Y).Plot(filepath.Join(dir, file), name+": MiniRocket test confusion"); err != nil {
			return res, err
		}
		res.Figures = append(res.Figures, Figure{File: file, Caption: fmt.Sprintf("%s test confusion matrix, accuracy %.4f", name, acc)})
	}
	res.Headline = "MiniRocket test accuracy: " + line
	return res, nil
}
