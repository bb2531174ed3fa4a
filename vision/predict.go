package vision

import (
	"fmt"
	"math"
	"slices"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/confusion"
	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// DefaultEvalBatch is the number of images per inference pass of a Predictor.
const DefaultEvalBatch = 500

// Predictor runs a model of the zoo in inference mode (batch norm with its running
// statistics, no dropout) over image sets, in batches of a fixed size: the last,
// smaller batch is padded, so one graph serves every set.
type Predictor struct {
	spec    Spec
	classes int
	batch   int
	exec    *model.Exec
	h, w, c int
	buf     []float32
}

// NewPredictor prepares the inference graph of spec with classes outputs over the
// variables of store (scope "net", as Spec.Loss creates them), batch images at a time
// (0: DefaultEvalBatch).
func NewPredictor(b compute.Backend, store *model.Store, spec Spec, classes, batch int) (*Predictor, error) {
	if batch <= 0 {
		batch = DefaultEvalBatch
	}
	p := &Predictor{spec: spec, classes: classes, batch: batch}
	arch := spec.Arch
	exec, err := model.NewExec(b, store, func(s *model.Scope, x *Node) *Node {
		return arch(s.In("net"), x, ArchOptions{Classes: classes, Training: false})
	})
	if err != nil {
		return nil, fmt.Errorf("vision: %s inference graph: %w", spec.Name, err)
	}
	p.exec = exec
	return p, nil
}

// Batch is the number of images per inference pass.
func (p *Predictor) Batch() int { return p.batch }

// Logits returns the model's logits for every image of s, N·classes values, row by
// row. s must be normalised as the model's training images were.
func (p *Predictor) Logits(s *imageset.Set) ([]float32, error) {
	n := s.Len()
	out := make([]float32, 0, n*p.classes)
	size := s.ImageSize()
	if p.buf == nil || p.h != s.H || p.w != s.W || p.c != s.C {
		p.h, p.w, p.c = s.H, s.W, s.C
		p.buf = make([]float32, p.batch*size)
	}
	for lo := 0; lo < n; lo += p.batch {
		hi := min(lo+p.batch, n)
		var x *tensors.Tensor
		if hi-lo == p.batch {
			x = tensors.FromFlatDataAndDimensions(s.Pixels[lo*size:hi*size], p.batch, s.H, s.W, s.C)
		} else {
			copy(p.buf, s.Pixels[lo*size:hi*size])
			clear(p.buf[(hi-lo)*size:])
			x = tensors.FromFlatDataAndDimensions(p.buf, p.batch, s.H, s.W, s.C)
		}
		res, err := p.exec.Exec(x)
		if err != nil {
			return nil, fmt.Errorf("vision: %s inference: %w", p.spec.Name, err)
		}
		l := tensors.MustCopyFlatData[float32](res[0])
		for _, r := range res {
			r.FinalizeAll()
		}
		out = append(out, l[:(hi-lo)*p.classes]...)
	}
	return out, nil
}

// Finalize frees the compiled graph.
func (p *Predictor) Finalize() { p.exec.Finalize() }

// Evaluation is a model's performance on a labelled set.
type Evaluation struct {
	N         int               `json:"n"`
	Accuracy  float64           `json:"accuracy"`
	Loss      float64           `json:"loss"`               // mean cross-entropy
	PerClass  []float64         `json:"per_class_accuracy"` // recall of each class (NaN-free: 0 for a class without images)
	Classes   []string          `json:"classes"`
	Confusion *confusion.Matrix `json:"confusion"`
	Pred      []int             `json:"-"` // predicted class of each image
}

// Evaluate predicts every image of s and compares with its labels.
func (p *Predictor) Evaluate(s *imageset.Set) (*Evaluation, error) {
	logits, err := p.Logits(s)
	if err != nil {
		return nil, err
	}
	return evaluation(logits, s, p.classes), nil
}

func evaluation(logits []float32, s *imageset.Set, k int) *Evaluation {
	n := s.Len()
	e := &Evaluation{N: n, Classes: s.Classes, Pred: make([]int, n), PerClass: make([]float64, len(s.Classes))}
	counts := make([][]int, len(s.Classes))
	for i := range counts {
		counts[i] = make([]int, len(s.Classes))
	}
	correct := 0
	loss := 0.0
	for i := range n {
		row := logits[i*k : (i+1)*k]
		best := 0
		mx := math.Inf(-1)
		for j, v := range row {
			if float64(v) > mx {
				mx, best = float64(v), j
			}
		}
		sum := 0.0
		for _, v := range row {
			sum += math.Exp(float64(v) - mx)
		}
		y := s.Labels[i]
		loss += mx + math.Log(sum) - float64(row[y])
		e.Pred[i] = best
		if best == y {
			correct++
		}
		if best < len(counts) {
			counts[y][best]++
		}
	}
	if n > 0 {
		e.Accuracy = float64(correct) / float64(n)
		e.Loss = loss / float64(n)
	}
	for i, row := range counts {
		t := 0
		for _, v := range row {
			t += v
		}
		if t > 0 {
			e.PerClass[i] = float64(row[i]) / float64(t)
		}
	}
	e.Confusion = &confusion.Matrix{Classes: slices.Clone(s.Classes), Counts: counts}
	return e
}

// ModelFile is the file, in a run directory, describing the trained network: the
// model, the classes, the input size and the normalisation (its parameters are in the
// run's checkpoint).
const ModelFile = "model.json"

// ModelInfo is the content of ModelFile.
type ModelInfo struct {
	Model    string    `json:"model"`
	Classes  []string  `json:"classes"`
	Height   int       `json:"height"`
	Width    int       `json:"width"`
	Channels int       `json:"channels"`
	Mean     []float64 `json:"mean"` // the per-channel normalisation of the input, on pixels in [0, 1]
	Std      []float64 `json:"std"`
	Params   int       `json:"params"`
}

// Model is a trained network read back from a run directory.
type Model struct {
	Info ModelInfo
	Spec Spec
	pred *Predictor
}

// Load reads the network of a run directory made by Train: its ModelFile and the
// parameters of its checkpoint (the final ones for a finished run; for an unfinished
// one, those of its last checkpoint). Prediction runs on the default backend
// ($ERG_BACKEND or Go), DefaultEvalBatch images at a time.
func Load(rd *run.Dir) (*Model, error) {
	var info ModelInfo
	if err := rd.ReadJSON(ModelFile, &info); err != nil {
		return nil, fmt.Errorf("vision: %s: not a vision run (%w)", rd.Path, err)
	}
	spec, err := Lookup(info.Model)
	if err != nil {
		return nil, fmt.Errorf("vision: %s: %w", rd.File(ModelFile), err)
	}
	if len(info.Classes) == 0 || info.Height <= 0 || info.Width <= 0 || info.Channels <= 0 || len(info.Mean) != info.Channels || len(info.Std) != info.Channels {
		return nil, fmt.Errorf("vision: %s: incomplete model description %+v", rd.File(ModelFile), info)
	}
	store := model.NewStore()
	if _, _, err := train.LoadCheckpoint(rd.File(run.CheckpointFile), store); err != nil {
		return nil, fmt.Errorf("vision: %s: %w", rd.Path, err)
	}
	b, err := backend.New("")
	if err != nil {
		return nil, err
	}
	p, err := NewPredictor(b, store, spec, len(info.Classes), 0)
	if err != nil {
		return nil, err
	}
	return &Model{Info: info, Spec: spec, pred: p}, nil
}

// prepare returns s normalised as the model's inputs: s itself when it already is,
// a normalised copy of a raw set (pixels in [0, 1]).
func (m *Model) prepare(s *imageset.Set) (*imageset.Set, error) {
	in := m.Info
	if s.H != in.Height || s.W != in.Width || s.C != in.Channels {
		return nil, fmt.Errorf("vision: images of %d×%d×%d; the %s model takes %d×%d×%d", s.H, s.W, s.C, in.Model, in.Height, in.Width, in.Channels)
	}
	switch {
	case s.Mean == nil:
		c := *s
		c.Pixels = slices.Clone(s.Pixels)
		c.Normalize(in.Mean, in.Std)
		return &c, nil
	case closeTo(s.Mean, in.Mean) && closeTo(s.Std, in.Std):
		return s, nil
	}
	return nil, fmt.Errorf("vision: the set is normalised with mean %v std %v; the model with %v, %v (give a raw set)", s.Mean, s.Std, in.Mean, in.Std)
}

func closeTo(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

// Predict returns the predicted class index of every image of s: a raw set (pixels in
// [0, 1], as the imageset readers return them), normalised here as the training
// images were, or one already normalised that way.
func (m *Model) Predict(s *imageset.Set) ([]int, error) {
	s, err := m.prepare(s)
	if err != nil {
		return nil, err
	}
	logits, err := m.pred.Logits(s)
	if err != nil {
		return nil, err
	}
	return evaluation(logits, s, len(m.Info.Classes)).Pred, nil
}

// Evaluate predicts the images of s (as Predict) and compares with their labels.
func (m *Model) Evaluate(s *imageset.Set) (*Evaluation, error) {
	s, err := m.prepare(s)
	if err != nil {
		return nil, err
	}
	if len(s.Classes) != len(m.Info.Classes) {
		return nil, fmt.Errorf("vision: the set has %d classes, the model %d", len(s.Classes), len(m.Info.Classes))
	}
	return m.pred.Evaluate(s)
}

// Finalize frees the model's compiled graph.
func (m *Model) Finalize() { m.pred.Finalize() }
