package demo

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ergml/erg/green"
	"github.com/ergml/erg/imageset"
)

func init() {
	Register(Step{Name: "green", Title: "Energy study: MLP on 2000 Fashion-MNIST images, 1 and 2 threads, with the Pareto report", Run: greenStep})
}

// greenStep is a tiny erg green study (two cells: the MLP for one epoch on a
// 2000-image subset with GOMAXPROCS 1 and 2) and its report with the Pareto plot.
func greenStep(ctx context.Context, dir string, opt Options) (Result, error) {
	if _, err := imageset.LoadFashionMNIST("", "test"); err != nil {
		return Result{Skipped: fmt.Sprintf("Fashion-MNIST not installed (%v): apt-get install dataset-fashion-mnist", err)}, nil
	}
	env, err := green.ParseEnv([]string{"threads=1,2"})
	if err != nil {
		return Result{}, err
	}
	out := filepath.Join(dir, "green", "study.csv")
	cfg := green.StudyConfig{Data: "fashion", Models: []string{"mlp"}, Seeds: 1, MaxEpochs: 1, Env: env,
		Subset: 2000, TestSubset: 2000, Out: out}
	res, err := green.Study(ctx, cfg, green.StudyOptions{Progress: opt.Log, Quiet: true})
	if err != nil {
		return Result{}, err
	}
	rep, err := green.Analyze(res.Rows, green.ReportConfig{})
	if err != nil {
		return Result{}, err
	}
	rep.CSV = out
	png := filepath.Join(dir, "green", "pareto.png")
	if err := rep.PlotPareto(png); err != nil {
		return Result{}, err
	}
	if err := rep.WriteHTML(filepath.Join(dir, "green", "report.html"), png); err != nil {
		return Result{}, err
	}
	r := Result{Numbers: map[string]any{"cells": res.Cells, "ran": res.Ran, "cpu_seconds": res.CPUSeconds, "energy_label": rep.Label,
		"pareto_front": rep.Pareto, "flips": rep.Flips}}
	var parts []string
	for _, c := range rep.Configs {
		parts = append(parts, fmt.Sprintf("%s accuracy %.4f, %.3g J (%s), %.3g CPU s", c.ID, c.Accuracy, c.Joules, rep.Label, c.CPUSeconds))
	}
	r.Headline = fmt.Sprintf("%d cells: %v; %d conclusions flip under the idle+dynamic power model", res.Cells, parts, len(rep.Flips))
	rel, err := filepath.Rel(dir, png)
	if err != nil {
		return r, err
	}
	r.Figures = append(r.Figures, Figure{File: rel, Caption: "Median energy (estimated from CPU time) against test accuracy per configuration, with the Pareto front"})
	return r, nil
}
