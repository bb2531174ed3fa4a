package hsi

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/ergml/erg/hsi/cnn"
	"github.com/ergml/erg/hsi/crf"
	"github.com/ergml/erg/hsi/forest"
	"github.com/ergml/erg/hsi/ssgan"
	"github.com/ergml/erg/hsi/svm"
	"github.com/ergml/erg/run"
	"gonum.org/v1/gonum/mat"
)

// Models lists the pixel classifiers Fit trains: svm, rf, the 1-D CNN of Hu et al.
// (cnn1d) and the 3-D CNN of Ben Hamida et al. (cnn3d) of package hsi/cnn, and the
// semi-supervised spectral-spatial GAN of package hsi/ssgan.
var Models = []string{"svm", "rf", "cnn1d", "cnn3d", "ssgan"}

// GANComponents is the default number of principal components of the standardised
// bands the SS-GAN reads (FitConfig.Components).
const GANComponents = 24

// FitConfig chooses a classifier, its split and the CRF. The zero value of each field
// is documented with it.
type FitConfig struct {
	Model string      // "svm" (RBF, C and γ by 5-fold CV on the training labels) or "rf"; "" = svm
	Split SplitConfig // the split (its Guard defaults to PatchRadius under Disjoint)
	CRF   bool        // refine the probabilities with the dense CRF
	// CRFConfig parameterises the CRF (zero: crf's defaults); features are the first
	// three principal components of the standardised bands, each scaled to unit variance.
	CRFConfig crf.Config
	Trees     int // rf: trees; 0 = 100

	// The networks (cnn1d, cnn3d, ssgan), all seeded by Split.Seed.
	Epochs int // cnn1d, cnn3d: passes over the labelled pixels; 0 = the network's default
	Steps  int // ssgan: optimizer steps; 0 = ssgan's default
	// Components is the number of principal components (hsi.PCs of the standardised
	// bands, each of unit variance) the SS-GAN reads instead of the bands; 0 =
	// GANComponents (or all bands, if fewer). The CNNs read all bands.
	Components int
	// Context cancels a network's training (nil: context.Background()).
	Context context.Context
	// Exp, if not nil, is the experiment a network trains in (metrics, checkpoints,
	// progress, energy; a resumed experiment continues from its checkpoint).
	Exp   *run.Experiment
	Quiet bool // no training progress
}

// PatchRadius is the guard band of the disjoint split by default: the radius of the
// 7×7 patches of the spatial models (the SS-GAN and 3-D CNN).
const PatchRadius = 3

// FitResult is a trained classifier's maps and scores.
type FitResult struct {
	Split      *Split
	Pred       []int     // per pixel, 1..K
	Prob       []float64 // per pixel, K each
	Metrics    Metrics
	PredCRF    []int // with CRF only
	MetricsCRF *Metrics
	Params     map[string]float64 // chosen hyperparameters (C, gamma, cv_accuracy; trees)
	Seconds    float64            // training + prediction (without the CRF)
	CRFSeconds float64
}

// Fit trains cfg.Model on a split of s and classifies every pixel.
func Fit(s *Scene, cfg FitConfig) (*FitResult, error) {
	if cfg.Split.Mode == Disjoint && cfg.Split.Guard == 0 {
		cfg.Split.Guard = PatchRadius
	}
	sp, err := NewSplit(s, cfg.Split)
	if err != nil {
		return nil, err
	}
	feat := s.Standardize()
	res, err := FitFeatures(s, feat, sp, cfg)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// FitFeatures is Fit on given per-pixel features (pixel-major, s.Bands each) and split.
func FitFeatures(s *Scene, feat []float64, sp *Split, cfg FitConfig) (*FitResult, error) {
	K := len(s.Classes)
	dim := len(feat) / s.Pixels()
	var x []float64
	var y []int
	for _, p := range sp.Train {
		x = append(x, feat[p*dim:(p+1)*dim]...)
		y = append(y, s.Labels[p])
	}
	res := &FitResult{Split: sp, Params: map[string]float64{}}
	t0 := time.Now()
	prob := make([]float64, s.Pixels()*K)
	var pred []int
	var classes []int
	switch cfg.Model {
	case "", "svm":
		best, cv, err := svm.Search(x, dim, y, svm.Grid{Seed: cfg.Split.Seed})
		if err != nil {
			return nil, err
		}
		best.Probability, best.Seed = true, cfg.Split.Seed
		m, err := svm.Train(x, dim, y, best)
		if err != nil {
			return nil, err
		}
		res.Params["C"], res.Params["gamma"], res.Params["cv_accuracy"], res.Params["support_vectors"] = best.C, best.Gamma, cv, float64(m.SupportVectors())
		pk := make([]float64, s.Pixels()*len(m.Classes))
		pred = m.PredictAll(feat, pk)
		classes = m.Classes
		scatter(pk, prob, classes, K)
	case "rf":
		f, err := forest.Train(x, dim, y, forest.Config{Trees: cfg.Trees, Seed: cfg.Split.Seed})
		if err != nil {
			return nil, err
		}
		res.Params["trees"] = float64(max(cfg.Trees, 100*btoi(cfg.Trees == 0)))
		pk := make([]float64, s.Pixels()*len(f.Classes))
		pred = f.PredictAll(feat, pk)
		classes = f.Classes
		scatter(pk, prob, classes, K)
	case "cnn1d", "cnn3d", "ssgan":
		var err error
		if prob, err = fitNet(s, feat, dim, sp, cfg, res.Params); err != nil {
			return nil, err
		}
		pred = argmax(prob, K)
	default:
		return nil, fmt.Errorf("hsi: unknown model %q (want one of %v)", cfg.Model, Models)
	}
	res.Seconds = time.Since(t0).Seconds()
	res.Pred, res.Prob = pred, prob
	res.Metrics = Evaluate(pred, s.Labels, sp.Test, K)
	if cfg.CRF {
		t1 := time.Now()
		pcs := PCs(feat, dim, 3)
		unary := make([]float64, len(prob))
		for i, p := range prob {
			unary[i] = -math.Log(math.Max(p, 1e-8))
		}
		q, err := crf.Infer(crf.Image{Lines: s.Lines, Samples: s.Samples, K: K, Unary: unary, F: 3, Features: pcs}, cfg.CRFConfig)
		if err != nil {
			return nil, err
		}
		res.PredCRF = crf.Argmax(q, K)
		m := Evaluate(res.PredCRF, s.Labels, sp.Test, K)
		res.MetricsCRF = &m
		res.CRFSeconds = time.Since(t1).Seconds()
	}
	return res, nil
}

// fitNet trains a network of hsi/cnn or hsi/ssgan and returns its K-column
// probabilities of every pixel; it records the network's figures in params.
func fitNet(s *Scene, feat []float64, dim int, sp *Split, cfg FitConfig, params map[string]float64) ([]float64, error) {
	K := len(s.Classes)
	ctx := cfg.Context
	if ctx == nil {
		ctx = context.Background()
	}
	labels := make([]int, len(sp.Train))
	for i, p := range sp.Train {
		labels[i] = s.Labels[p]
	}
	var r *cnn.Result
	var err error
	if cfg.Model == "ssgan" {
		comps := cfg.Components
		if comps == 0 {
			comps = min(GANComponents, dim)
		}
		if comps < 1 || comps > dim {
			return nil, fmt.Errorf("hsi: %d principal components of %d bands", comps, dim)
		}
		in := make(map[int]bool, len(sp.Train))
		for _, p := range sp.Train {
			in[p] = true
		}
		var unl []int
		for p := 0; p < s.Pixels(); p++ {
			if !in[p] {
				unl = append(unl, p)
			}
		}
		c := cnn.NewCube(s.Lines, s.Samples, comps, PCs(feat, dim, comps))
		r, err = ssgan.Fit(ctx, c, sp.Train, labels, unl, K, ssgan.Config{Steps: cfg.Steps, Seed: cfg.Split.Seed,
			Quiet: cfg.Quiet, NoMeter: cfg.Exp == nil}, cfg.Exp)
		params["components"] = float64(comps)
	} else {
		c := cnn.NewCube(s.Lines, s.Samples, dim, feat)
		r, err = cnn.Fit(ctx, c, sp.Train, labels, K, cnn.Config{Model: cfg.Model, Epochs: cfg.Epochs, Seed: cfg.Split.Seed,
			Quiet: cfg.Quiet, NoMeter: cfg.Exp == nil}, cfg.Exp)
	}
	if err != nil {
		return nil, err
	}
	if cfg.Model != "ssgan" {
		params["epochs"] = float64(r.Epochs)
	}
	params["network_params"], params["steps"], params["train_loss"], params["step_ms"] = float64(r.Params), float64(r.Steps), r.Loss, r.StepMillis
	return r.Prob, nil
}

// argmax returns the label (1..K) of the largest probability of each row.
func argmax(prob []float64, K int) []int {
	out := make([]int, len(prob)/K)
	for i := range out {
		best := 0
		for k := 1; k < K; k++ {
			if prob[i*K+k] > prob[i*K+best] {
				best = k
			}
		}
		out[i] = best + 1
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scatter places per-model-class probabilities (columns = classes, labels 1..K) into
// a K-column table.
func scatter(pk, prob []float64, classes []int, K int) {
	n := len(pk) / len(classes)
	for i := 0; i < n; i++ {
		for c, l := range classes {
			prob[i*K+l-1] = pk[i*len(classes)+c]
		}
	}
}

// PCs returns the first k principal components of the rows of x (n × dim), each
// scaled to unit variance (n × k, row-major), signs fixed so that each component's
// largest-magnitude loading is positive.
func PCs(x []float64, dim, k int) []float64 {
	n := len(x) / dim
	mean := make([]float64, dim)
	for i := 0; i < n; i++ {
		for d := 0; d < dim; d++ {
			mean[d] += x[i*dim+d]
		}
	}
	for d := range mean {
		mean[d] /= float64(n)
	}
	cov := mat.NewSymDense(dim, nil)
	c := make([]float64, dim*dim)
	row := make([]float64, dim)
	for i := 0; i < n; i++ {
		for d := 0; d < dim; d++ {
			row[d] = x[i*dim+d] - mean[d]
		}
		for a := 0; a < dim; a++ {
			ra := row[a]
			for b := a; b < dim; b++ {
				c[a*dim+b] += ra * row[b]
			}
		}
	}
	for a := 0; a < dim; a++ {
		for b := a; b < dim; b++ {
			cov.SetSym(a, b, c[a*dim+b]/float64(n))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		panic("hsi: PCs: eigendecomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	order := make([]int, dim)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
	out := make([]float64, n*k)
	for j := 0; j < k && j < dim; j++ {
		col := order[j]
		big := 0
		for d := 0; d < dim; d++ {
			if math.Abs(vecs.At(d, col)) > math.Abs(vecs.At(big, col)) {
				big = d
			}
		}
		sign := 1.0
		if vecs.At(big, col) < 0 {
			sign = -1
		}
		sd := math.Sqrt(math.Max(vals[col], 1e-300))
		for i := 0; i < n; i++ {
			var v float64
			for d := 0; d < dim; d++ {
				v += (x[i*dim+d] - mean[d]) * vecs.At(d, col)
			}
			out[i*k+j] = sign * v / sd
		}
	}
	return out
}
