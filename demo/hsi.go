package demo

import (
	"context"
	"fmt"
	"image"
	"path/filepath"

	"github.com/ergml/erg/hsi"
	"github.com/ergml/erg/hsi/scene"
	"github.com/ergml/erg/hsi/spectra"
)

func init() {
	Register(Step{Name: "hsi", Title: "Hyperspectral classification: RBF-SVM + dense CRF on a 48×48 synthetic AVIRIS-like scene", Run: hsiStep})
}

// hsiStep generates a small ip-like scene (48×48 pixels, 200 bands), trains the
// RBF-SVM on 10 labels per class (fixed split; C and γ by cross-validation) and
// refines its map with the dense CRF.
func hsiStep(ctx context.Context, dir string, opt Options) (Result, error) {
	if _, err := spectra.TestData(); err != nil {
		return Result{Skipped: fmt.Sprintf("%v (or run scripts/install-peers.sh)", err)}, nil
	}
	r, err := scene.Generate(scene.Config{Seed: opt.Seed + 1, Size: 48, Cells: 32})
	if err != nil {
		return Result{}, err
	}
	s := r.Corrected
	res, err := hsi.Fit(s, hsi.FitConfig{Model: "svm", CRF: true, Split: hsi.SplitConfig{Mode: hsi.Fixed, Labels: 5, Seed: opt.Seed + 1}})
	if err != nil {
		return Result{}, err
	}
	maps := filepath.Join(dir, hsi.MapsFile)
	if err := hsi.SaveMaps(maps, []string{"false colour", "ground truth", fmt.Sprintf("SVM, OA %.3f", res.Metrics.OA), fmt.Sprintf("SVM + CRF, OA %.3f", res.MetricsCRF.OA)},
		[]image.Image{hsi.FalseColour(r.Full), hsi.LabelImage(s.Labels, s.Lines, s.Samples), hsi.LabelImage(res.Pred, s.Lines, s.Samples), hsi.LabelImage(res.PredCRF, s.Lines, s.Samples)}); err != nil {
		return Result{}, err
	}
	out := Result{Numbers: map[string]any{"pixels": s.Pixels(), "bands": s.Bands, "train": len(res.Split.Train), "test": len(res.Split.Test),
		"svm_oa": res.Metrics.OA, "svm_aa": res.Metrics.AA, "svm_kappa": res.Metrics.Kappa, "crf_oa": res.MetricsCRF.OA, "crf_aa": res.MetricsCRF.AA,
		"C": res.Params["C"], "gamma": res.Params["gamma"], "svm_seconds": res.Seconds, "crf_seconds": res.CRFSeconds}}
	out.Headline = fmt.Sprintf("48×48×200 synthetic scene, 5 labels per class (%d train, %d test pixels): SVM OA %.3f (AA %.3f), + dense CRF OA %.3f (AA %.3f); %.1f s + %.1f s",
		len(res.Split.Train), len(res.Split.Test), res.Metrics.OA, res.Metrics.AA, res.MetricsCRF.OA, res.MetricsCRF.AA, res.Seconds, res.CRFSeconds)
	out.Figures = []Figure{{File: hsi.MapsFile, Caption: "False colour, ground truth, the SVM's map and the map after the dense CRF"}}
	return out, nil
}
