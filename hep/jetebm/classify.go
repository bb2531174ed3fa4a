package jetebm

import (
	"context"
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ergml/erg/hep/jetset"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
)

// ClassifyConfig configures a classifier run: "clf" (cross-entropy only) or "ebm-clf"
// (JEM: logits f, E(x) = −logsumexp f, cross-entropy plus CD on E).
type ClassifyConfig struct {
	Command  string   `json:"command,omitempty"`
	Data     []string `json:"data"`      // one file per class, in class order
	Names    []string `json:"names"`     // class names
	Model    string   `json:"model"`     // clf or ebm-clf
	Unseen   int      `json:"unseen"`    // index of a class left out of training, detected as unseen (−1: none)
	PerClass int      `json:"per_class"` // training jets per class (0: 4000)
	Test     float64  `json:"test"`      // fraction of each file held out (0: 0.2)
	Net      Net      `json:"net"`
	CD       CD       `json:"cd"`
	Steps    int      `json:"steps"` // (0: 600)
	Batch    int      `json:"batch"` // (0: 128)
	LR       float64  `json:"lr"`    // (0: 1e-4)
	Seed     uint64   `json:"seed"`
}

// WithDefaults fills in zero values.
func (c ClassifyConfig) WithDefaults() ClassifyConfig {
	if c.Model == "" {
		c.Model = "clf"
	}
	if c.PerClass == 0 {
		c.PerClass = 4000
	}
	if c.Test == 0 {
		c.Test = 0.2
	}
	if c.Steps == 0 {
		c.Steps = 600
	}
	if c.Batch == 0 {
		c.Batch = 128
	}
	if c.LR == 0 {
		c.LR = 1e-4
	}
	c.CD = c.CD.withDefaults()
	return c
}

// Validate implements run.Config.
func (c ClassifyConfig) Validate() error {
	switch {
	case len(c.Data) < 2:
		return run.Invalid("data", c.Data, "needs at least two class files")
	case c.Model != "clf" && c.Model != "ebm-clf":
		return run.Invalid("model", c.Model, "want clf or ebm-clf")
	case c.Unseen >= len(c.Data) || c.Unseen < -1:
		return run.Invalid("unseen", c.Unseen, "not a class index")
	case c.Unseen >= 0 && len(c.Data) < 3:
		return run.Invalid("unseen", c.Unseen, "needs at least two classes left to train on")
	case !(c.Test > 0 && c.Test < 1):
		return run.Invalid("test", c.Test, "must be in (0, 1)")
	case c.Steps < 1:
		return run.Invalid("steps", c.Steps, "must be positive")
	}
	return c.CD.validate()
}

// ClassifyResult holds the figures of erg hep classify.
type ClassifyResult struct {
	Model       string             `json:"model"`
	Acc         float64            `json:"acc"`
	PerClass    map[string]float64 `json:"per_class_acc"`
	TestJets    int                `json:"test_jets"`
	AUCUnseen   *float64           `json:"auc_unseen,omitempty"`   // unseen class vs the trained classes' test jets
	ScoreUnseen string             `json:"score_unseen,omitempty"` // E(x) for ebm-clf, −max softmax for clf
	Seconds     float64            `json:"seconds"`
	StepMS      float64            `json:"step_ms"`
	Run         string             `json:"run"`
}

// Classify trains and tests a classifier in a run directory.
func Classify(ctx context.Context, b compute.Backend, cfg ClassifyConfig, opt run.Options) (*ClassifyResult, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sets := make([]*jetset.Set, len(cfg.Data))
	for k, p := range cfg.Data {
		s, err := jetset.Read(p)
		if err != nil {
			return nil, err
		}
		sets[k] = s
	}
	var trainX []float32
	var trainY []int32
	type split struct {
		x []float32
		n int
	}
	tests := make([]split, len(sets))
	classes := 0
	label := map[int]int32{}
	for k := range sets {
		if k == cfg.Unseen {
			continue
		}
		label[k] = int32(classes)
		classes++
	}
	// Equal test sets per class: the held-out fraction of the smallest file.
	nmin := sets[0].Len()
	for _, s := range sets {
		nmin = min(nmin, s.Len())
	}
	nt := int(math.Round(cfg.Test * float64(nmin)))
	for k, s := range sets {
		flat := s.Flat()
		n := s.Len()
		ntr := min(n-nt, cfg.PerClass)
		tests[k] = split{flat[(n-nt)*D:], nt}
		if k == cfg.Unseen {
			continue
		}
		trainX = append(trainX, flat[:ntr*D]...)
		for range ntr {
			trainY = append(trainY, label[k])
		}
	}
	net := cfg.Net
	net.Outputs = classes
	net = net.withDefaults()
	name := opt.Name
	if name == "" {
		opt.Name = "hep-classify-" + cfg.Model
	}
	exp, err := run.Start(opt, "hep-classify", &cfg, func() {})
	if err != nil {
		return nil, err
	}
	store := model.NewStore()
	logits := func(s *model.Scope, x *Node) *Node { return net.Logits(s.At("energy").ResetVisited(), x) }
	energy := func(s *model.Scope, x *Node) *Node { return net.Energy(s.At("energy").ResetVisited(), x) }
	loss := func(s *model.Scope, in []*Node) *Node {
		x, y := in[0], in[1]
		lg := logits(s, x)
		oh := OneHot(y, classes, lg.DType())
		ce := Neg(ReduceAllMean(ReduceSum(Mul(oh, Sub(lg, ExpandAxes(ReduceLogSumExp(lg, -1), -1))), -1)))
		if cfg.Model == "clf" {
			return ce
		}
		cd, _, _ := CDLoss(s, energy, x, cfg.CD)
		return Add(ce, cd)
	}
	tc := train.Config{Steps: cfg.Steps, Optimizer: train.Optimizer{Name: "adam", LR: cfg.LR, Beta1: beta1Zero, Beta2: 0.999},
		ClipNorm: 0.1, Seed: cfg.Seed, LogEvery: max(1, cfg.Steps/50), CheckpointEvery: 200}
	tr, err := train.New(b, store, loss, tc)
	if err != nil {
		return nil, exp.Fail(err)
	}
	n := len(trainY)
	sh, err := train.NewShuffled(cfg.Batch, cfg.Seed, train.Array{Data: trainX, Dims: []int{n, D}}, train.Array{Data: trainY, Dims: []int{n}})
	if err != nil {
		return nil, exp.Fail(err)
	}
	res, err := tr.Run(ctx, sh, exp)
	if err != nil {
		return nil, exp.Fail(err)
	}
	ex, err := model.NewExec(b, store, func(s *model.Scope, in []*Node) []*Node {
		lg := logits(s, in[0])
		return []*Node{lg, Neg(ReduceLogSumExp(lg, -1))}
	})
	if err != nil {
		return nil, exp.Fail(err)
	}
	eval := func(flat []float32) (pred []int, maxp, e []float64, err error) {
		buf := make([]float32, chunk*D)
		for i := 0; i < len(flat)/D; i += chunk {
			k := min(chunk, len(flat)/D-i)
			clear(buf)
			copy(buf, flat[i*D:(i+k)*D])
			out, err := ex.Exec(tensors.FromFlatDataAndDimensions(buf, chunk, D))
			if err != nil {
				return nil, nil, nil, err
			}
			lg := tensors.MustCopyFlatData[float32](out[0])
			en := tensors.MustCopyFlatData[float32](out[1])
			for _, o := range out {
				o.FinalizeAll()
			}
			for r := range k {
				row := lg[r*classes : (r+1)*classes]
				best, m := 0, math.Inf(-1)
				for j, v := range row {
					if float64(v) > m {
						best, m = j, float64(v)
					}
				}
				pred = append(pred, best)
				maxp = append(maxp, math.Exp(m+float64(en[r]))) // softmax max = exp(max − logsumexp)
				e = append(e, float64(en[r]))
			}
		}
		return pred, maxp, e, nil
	}
	out := &ClassifyResult{Model: cfg.Model, PerClass: map[string]float64{}, Seconds: res.Seconds, StepMS: res.StepMillis, Run: exp.Dir.Path}
	var right, total int
	var known, unseen []float64
	for k := range sets {
		pred, maxp, e, err := eval(tests[k].x)
		if err != nil {
			return nil, exp.Fail(err)
		}
		score := e
		if cfg.Model == "clf" {
			score = make([]float64, len(maxp))
			for i, p := range maxp {
				score[i] = -p
			}
		}
		if k == cfg.Unseen {
			unseen = score
			continue
		}
		known = append(known, score...)
		r := 0
		for _, p := range pred {
			if int32(p) == label[k] {
				r++
			}
		}
		nm := fmt.Sprint(k)
		if k < len(cfg.Names) {
			nm = cfg.Names[k]
		}
		out.PerClass[nm] = float64(r) / float64(len(pred))
		right += r
		total += len(pred)
	}
	out.Acc = float64(right) / float64(total)
	out.TestJets = total
	if unseen != nil {
		a := AUC(known, unseen)
		out.AUCUnseen = &a
		out.ScoreUnseen = "E(x) = −logsumexp f(x)"
		if cfg.Model == "clf" {
			out.ScoreUnseen = "−max softmax"
		}
	}
	sum := run.Summary{"acc": out.Acc, "per_class_acc": out.PerClass, "steps": res.Steps, "seconds": res.Seconds, "step_ms": res.StepMillis,
		"headline": fmt.Sprintf("hep classify %s: accuracy %.4f on %d test jets", cfg.Model, out.Acc, total)}
	if out.AUCUnseen != nil {
		sum["auc_unseen"] = *out.AUCUnseen
	}
	if _, err := exp.Finish(sum); err != nil {
		return nil, err
	}
	return out, nil
}

var _ = dtypes.Int32
