package deep

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/ergml/erg/ucr"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Classifier trains one model of the zoo on a UCR/UEA dataset.
type Classifier struct {
	Spec    Spec
	Epochs  int    // 0: the spec's published number of epochs
	Seed    uint64 // seeds initialisation, batches and dropout
	Backend compute.Backend

	// Experiment, when set, is the run Fit trains in (see package run): metrics (one
	// line per epoch), checkpoints, progress (per epoch) and energy go to it, and a
	// resumed experiment continues from its checkpoint. An ensemble trains each member
	// in a child experiment <time>-member<m> of it. The experiment is left open.
	Experiment *run.Experiment
	// CheckpointEvery is the number of epochs between checkpoints; 0: 50 epochs, and
	// at least 1000 steps.
	CheckpointEvery int

	// Without an Experiment: RunDir, when set, receives metrics and checkpoints (one
	// sub-directory per ensemble member when the spec has several); Progress, Quiet and
	// Meter configure the trainer's progress and energy figures.
	RunDir   *run.Dir
	Progress io.Writer
	Quiet    bool
	Meter    train.EnergyMeter

	// KeepRunningStats leaves the batch-norm running statistics as training left them
	// (exponential moving averages, as Keras and dl-4-tsc do). By default Fit replaces
	// them after training with the training set's statistics under the final weights
	// (Recalibrate, as PyTorch's swa_utils.update_bn): the moving averages lag behind
	// the weights, which after short training leaves a network with a low training
	// loss predicting at chance.
	KeepRunningStats bool

	classes []string
	length  int
	dims    int
	members []*model.Store
	Results []*train.Result // one per ensemble member
}

// prepared is a dataset turned into model inputs.
type prepared struct {
	x      []float32 // [n, length, dims]
	mask   []float32 // [n, length]
	y      []int32
	n      int
	length int
	dims   int
}

// prepare z-normalises each series, fills missing values, pads (or truncates) to length
// and builds the mask.
func prepare(ds *ucr.Dataset, length int, classes []string) (*prepared, error) {
	d := ds.FillMissing().ZNormalize()
	n, dims := d.Len(), d.Dims()
	p := &prepared{x: make([]float32, n*length*dims), mask: make([]float32, n*length), y: make([]int32, n), n: n, length: length, dims: dims}
	idx := map[string]int32{}
	for i, c := range classes {
		idx[c] = int32(i)
	}
	for i := 0; i < n; i++ {
		for c := 0; c < dims; c++ {
			s := d.X[i][c]
			for t := 0; t < length && t < len(s); t++ {
				v := s[t]
				if math.IsNaN(v) {
					v = 0
				}
				p.x[(i*length+t)*dims+c] = float32(v)
				p.mask[i*length+t] = 1
			}
		}
		if d.Y != nil {
			k, ok := idx[d.Y[i]]
			if !ok {
				k = -1
			}
			p.y[i] = k
		}
	}
	return p, nil
}

// Fit trains the classifier (every ensemble member) on trainSet.
func (c *Classifier) Fit(ctx context.Context, trainSet *ucr.Dataset) error {
	if c.Backend == nil {
		return fmt.Errorf("deep: Classifier.Backend is nil")
	}
	if trainSet.Len() < 2 {
		return fmt.Errorf("deep: %s: need at least 2 training series, have %d", trainSet.Name, trainSet.Len())
	}
	c.classes = append([]string(nil), trainSet.Classes...)
	_, c.length = trainSet.Lengths()
	c.dims = trainSet.Dims()
	p, err := prepare(trainSet, c.length, c.classes)
	if err != nil {
		return err
	}
	epochs := c.Epochs
	if epochs <= 0 {
		epochs = c.Spec.Epochs
	}
	bs := c.Spec.BatchSize(p.n)
	members := max(1, c.Spec.Ensemble)
	c.members, c.Results = nil, nil
	for m := 0; m < members; m++ {
		seed := c.Seed*1000003 + uint64(m)
		data, err := train.NewShuffled(bs, seed,
			train.Array{Data: p.x, Dims: []int{p.n, p.length, p.dims}},
			train.Array{Data: p.mask, Dims: []int{p.n, p.length}},
			train.Array{Data: p.y, Dims: []int{p.n}})
		if err != nil {
			return err
		}
		spe := data.StepsPerEpoch()
		cfg := train.Config{
			Steps: epochs * spe, StepsPerEpoch: spe, Optimizer: c.Spec.Optimizer, KeepBest: true,
			Seed: seed, Progress: c.Progress, Quiet: c.Quiet, CheckpointEvery: max(1000, 50*spe),
		}
		if c.CheckpointEvery > 0 {
			cfg.CheckpointEvery = c.CheckpointEvery * spe
		}
		if c.Experiment != nil {
			cfg.ProgressEpochs = true
		}
		if c.Spec.Plateau {
			cfg.Schedule = train.Schedule{Kind: "plateau", Factor: c.Spec.Factor, Patience: c.Spec.Patience, MinLR: c.Spec.MinLR}
		}
		arch, classes := c.Spec.Arch, len(c.classes)
		loss := func(s *model.Scope, in []*Node) *Node {
			logits := arch(s, in[0], in[1], classes, true)
			return softmaxCrossEntropy(logits, in[2])
		}
		store := model.NewStore()
		tr, err := train.New(c.Backend, store, loss, cfg)
		if err != nil {
			return err
		}
		var res *train.Result
		if c.Experiment != nil {
			res, err = c.runMember(ctx, tr, data, m, members, seed, epochs)
		} else {
			if c.Meter != nil {
				tr.SetMeter(c.Meter)
			}
			rd := c.RunDir
			if rd != nil && members > 1 {
				rd, err = run.Create(rd.Path, fmt.Sprintf("member%d", m), map[string]any{"member": m, "seed": seed})
				if err != nil {
					return err
				}
			}
			res, err = tr.Fit(ctx, data, rd)
		}
		if err != nil {
			return fmt.Errorf("deep: %s on %s: %w", c.Spec.Name, trainSet.Name, err)
		}
		if !c.KeepRunningStats {
			if err := c.recalibrate(store, p); err != nil {
				return err
			}
		}
		c.members = append(c.members, store)
		c.Results = append(c.Results, res)
	}
	return nil
}

// recalibrate sets the batch-norm running statistics of store to those of the
// training set under the current weights: one pass in training mode, chunk by chunk,
// with momentum 1 (the running values become the chunk's batch statistics), averaged
// over chunks weighted by their sizes. Models without batch norm are left alone.
func (c *Classifier) recalibrate(store *model.Store, p *prepared) error {
	var stats []*model.Variable
	for v := range store.IterVariables() {
		if path := v.Path(); strings.HasSuffix(path, "/running_mean") || strings.HasSuffix(path, "/running_var") {
			stats = append(stats, v)
		}
	}
	if len(stats) == 0 {
		return nil
	}
	arch, classes := c.Spec.Arch, len(c.classes)
	sums := make([][]float64, len(stats))
	const chunk = 128
	stride := p.length * p.dims
	execs := map[int]*model.Exec{}
	defer func() {
		for _, e := range execs {
			e.Finalize()
		}
	}()
	for start := 0; start < p.n; start += chunk {
		end := min(start+chunk, p.n)
		m := end - start
		if m < 2 { // batch statistics need two series; fold a last single one into nothing
			break
		}
		exec := execs[m]
		if exec == nil {
			var err error
			exec, err = model.NewExec(c.Backend, store, func(s *model.Scope, x, mask *Node) *Node {
				s.SetGraphParam(x.Graph(), bnMomentumParam, 1.0)
				return ReduceAllSum(arch(s, x, mask, classes, true))
			})
			if err != nil {
				return err
			}
			execs[m] = exec
		}
		if _, err := exec.Exec(tensors.FromFlatDataAndDimensions(p.x[start*stride:end*stride], m, p.length, p.dims),
			tensors.FromFlatDataAndDimensions(p.mask[start*p.length:end*p.length], m, p.length)); err != nil {
			return fmt.Errorf("deep: recalibrating batch norm: %w", err)
		}
		for i, v := range stats {
			vals := tensors.MustCopyFlatData[float32](v.MustValue())
			if sums[i] == nil {
				sums[i] = make([]float64, len(vals))
			}
			for k, x := range vals {
				sums[i][k] += float64(m) * float64(x)
			}
		}
	}
	total := float64(p.n)
	if p.n%chunk == 1 {
		total--
	}
	for i, v := range stats {
		avg := make([]float32, len(sums[i]))
		for k := range avg {
			avg[k] = float32(sums[i][k] / total)
		}
		v.MustSetValue(tensors.FromFlatDataAndDimensions(avg, len(avg)))
	}
	return nil
}

// Classes returns the class labels in the order of the probability columns.
func (c *Classifier) Classes() []string { return c.classes }

// PredictProba returns class probabilities [n][classes], averaged over ensemble members.
func (c *Classifier) PredictProba(ds *ucr.Dataset) ([][]float64, error) {
	if len(c.members) == 0 {
		return nil, fmt.Errorf("deep: classifier is not trained")
	}
	if ds.Dims() != c.dims {
		return nil, fmt.Errorf("deep: %s has %d dimensions, the model was trained on %d", ds.Name, ds.Dims(), c.dims)
	}
	p, err := prepare(ds, c.length, c.classes)
	if err != nil {
		return nil, err
	}
	const bs = 64
	out := make([][]float64, p.n)
	for i := range out {
		out[i] = make([]float64, len(c.classes))
	}
	arch, classes := c.Spec.Arch, len(c.classes)
	for _, store := range c.members {
		exec, err := model.NewExec(c.Backend, store, func(s *model.Scope, x, mask *Node) *Node {
			return Softmax(arch(s, x, mask, classes, false), 1)
		})
		if err != nil {
			return nil, err
		}
		stride := p.length * p.dims
		for start := 0; start < p.n; start += bs {
			end := min(start+bs, p.n)
			xb := make([]float32, bs*stride)
			mb := make([]float32, bs*p.length)
			copy(xb, p.x[start*stride:end*stride])
			copy(mb, p.mask[start*p.length:end*p.length])
			for i := end - start; i < bs; i++ { // padding rows: keep the mask non-empty
				mb[i*p.length] = 1
			}
			res, err := exec.Exec(tensors.FromFlatDataAndDimensions(xb, bs, p.length, p.dims), tensors.FromFlatDataAndDimensions(mb, bs, p.length))
			if err != nil {
				return nil, err
			}
			probs := tensors.MustCopyFlatData[float32](res[0])
			for i := start; i < end; i++ {
				for k := 0; k < classes; k++ {
					out[i][k] += float64(probs[(i-start)*classes+k]) / float64(len(c.members))
				}
			}
		}
		exec.Finalize()
	}
	return out, nil
}

// Predict returns the most probable class label of each series.
func (c *Classifier) Predict(ds *ucr.Dataset) ([]string, error) {
	pr, err := c.PredictProba(ds)
	if err != nil {
		return nil, err
	}
	labels := make([]string, len(pr))
	for i, row := range pr {
		best := 0
		for k := range row {
			if row[k] > row[best] {
				best = k
			}
		}
		labels[i] = c.classes[best]
	}
	return labels, nil
}

// Accuracy is the fraction of predictions equal to the labels.
func Accuracy(pred, truth []string) float64 {
	if len(truth) == 0 {
		return math.NaN()
	}
	ok := 0
	for i := range truth {
		if pred[i] == truth[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(truth))
}
