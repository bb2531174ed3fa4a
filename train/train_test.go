package train

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/run"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
)

// TestOptimizersMatchPyTorch compares 6 steps of each optimizer on a quadratic with
// torch.optim (golden file made by scripts/train/optim_golden.py, PyTorch 1.13.1).
func TestOptimizersMatchPyTorch(t *testing.T) {
	const tol = 1e-9
	var gold struct {
		P0, C, W []float64
		Steps    int
		Cases    map[string][][]float64
	}
	b, err := os.ReadFile("testdata/optim_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	opts := map[string]Optimizer{
		"adam":         {Name: "adam", LR: 0.1},
		"adam_l2":      {Name: "adam", LR: 0.1, WeightDecay: 0.1},
		"adamw":        {Name: "adamw", LR: 0.1, WeightDecay: 0.01},
		"sgd":          {Name: "sgd", LR: 0.05},
		"sgd_momentum": {Name: "sgd", LR: 0.05, Momentum: 0.9},
		"adadelta":     {Name: "adadelta", LR: 1.0},
	}
	be := backend.Must("go")
	for name, want := range gold.Cases {
		store := model.NewStore()
		p0 := tensors.FromValue(gold.P0)
		if _, err := store.CreateVariable("/p", p0); err != nil {
			t.Fatal(err)
		}
		c, w := gold.C, gold.W
		lossFn := func(s *model.Scope, in []*Node) *Node {
			p := s.Store().GetVariable("/p").ValueGraph(in[0].Graph())
			d := Sub(p, Const(p.Graph(), c))
			return ReduceAllSum(Mul(Const(p.Graph(), w), Square(d)))
		}
		tr, err := New(be, store, lossFn, Config{Steps: gold.Steps, Optimizer: opts[name], Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		dummy := tensors.FromValue([]float64{0})
		for step := 0; step < gold.Steps; step++ {
			if _, _, err := tr.Step(tr.Config().Optimizer.LR, dummy); err != nil {
				t.Fatal(err)
			}
			got := tr.Params()["/p"]
			for i := range got {
				if math.Abs(got[i]-want[step][i]) > tol*(1+math.Abs(want[step][i])) {
					t.Errorf("%s step %d p[%d] = %.12g, PyTorch %.12g", name, step+1, i, got[i], want[step][i])
				}
			}
		}
	}
}

// regression data: y = 2x0 - x1 + 0.5 sin(3x0) with a fixed seed.
func regressionData(n int) (x, y []float32) {
	x = make([]float32, 2*n)
	y = make([]float32, n)
	for i := 0; i < n; i++ {
		a := float32(math.Sin(float64(i)*0.37)) * 2
		b := float32(math.Cos(float64(i)*0.11)) * 2
		x[2*i], x[2*i+1] = a, b
		y[i] = 2*a - b + 0.5*float32(math.Sin(3*float64(a)))
	}
	return
}

func mlpLoss(s *model.Scope, in []*Node) *Node {
	h := layers.DenseWithBias(s.In("l0"), in[0], 16)
	h = Tanh(h)
	h = layers.DenseWithBias(s.In("l1"), h, 16)
	h = Tanh(h)
	h = layers.DenseWithBias(s.In("out"), h, 1)
	h = Reshape(h, h.Shape().Dimensions[0])
	return ReduceAllMean(Square(Sub(h, in[1])))
}

func newData(t *testing.T) *Shuffled {
	x, y := regressionData(200)
	d, err := NewShuffled(32, 7, Array{Data: x, Dims: []int{200, 2}}, Array{Data: y, Dims: []int{200}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func trainCfg(steps int) Config {
	return Config{Steps: steps, StepsPerEpoch: 6, Seed: 42, CheckpointEvery: 25, Quiet: true,
		Optimizer: Optimizer{Name: "adam", LR: 0.01},
		Schedule:  Schedule{Kind: "plateau", Patience: 2, Factor: 0.5},
		KeepBest:  true, ClipNorm: 5}
}

// TestResumeReachesSameParams interrupts a run at step 60 (as a kill would: the last
// checkpoint is at step 50 and metric lines after it exist) and resumes it; the final
// parameters must equal those of an uninterrupted run bit for bit.
func TestResumeReachesSameParams(t *testing.T) {
	be := backend.Must("go")
	const steps = 120
	root := t.TempDir()

	cfgA := testConfig{Steps: steps}
	exp, err := run.Start(run.Options{Root: root, Quiet: true}, "full", &cfgA, nil)
	if err != nil {
		t.Fatal(err)
	}
	rdA := exp.Dir
	trA, err := New(be, model.NewStore(), mlpLoss, trainCfg(steps))
	if err != nil {
		t.Fatal(err)
	}
	resA, err := trA.Run(context.Background(), newData(t), exp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exp.Finish(run.Summary{"loss": resA.Loss}); err != nil {
		t.Fatal(err)
	}
	msA, _ := rdA.Metrics()
	if first := msA[0]["loss"].(float64); !(resA.Loss < 0.1*first) {
		t.Errorf("uninterrupted run: best epoch loss %g, first logged loss %g; want a 10x decrease", resA.Loss, first)
	}

	rdB, _ := run.Create(root, "killed", nil)
	ctx, cancel := context.WithCancel(context.Background())
	// Stop after step 60 without a checkpoint there, as kill -9 would: use a batch source
	// that cancels, and then remove the checkpoint written on cancellation by copying
	// the step-50 one back.
	data := newData(t)
	var ck50 []byte
	bf := BatchFunc(func(step int) ([]*tensors.Tensor, error) {
		if step == 51 {
			ck50, _ = os.ReadFile(rdB.File(CheckpointFile))
		}
		if step == 60 {
			cancel()
		}
		return data.Batch(step)
	})
	trB, _ := New(be, model.NewStore(), mlpLoss, trainCfg(steps))
	if _, err := trB.Fit(ctx, bf, rdB); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Fit error = %v; want context.Canceled", err)
	}
	if ck50 == nil {
		t.Fatal("no checkpoint at step 50")
	}
	os.WriteFile(rdB.File(CheckpointFile), ck50, 0o644) // the state a kill -9 leaves behind
	trC, _ := New(be, model.NewStore(), mlpLoss, trainCfg(steps))
	resC, err := trC.Resume(context.Background(), newData(t), rdB)
	if err != nil {
		t.Fatal(err)
	}
	pa, pc := trA.Params(), trC.Params()
	if len(pa) == 0 || len(pa) != len(pc) {
		t.Fatalf("param sets differ: %d vs %d", len(pa), len(pc))
	}
	for k, va := range pa {
		vc := pc[k]
		for i := range va {
			if va[i] != vc[i] {
				t.Fatalf("param %s[%d]: uninterrupted %v, resumed %v", k, i, va[i], vc[i])
			}
		}
	}
	var en map[string]any
	if err := rdA.ReadJSON(run.EnergyFile, &en); err != nil {
		t.Errorf("energy.json: %v", err)
	} else if st := en["status"]; st != "estimated" && st != "measured" && st != "mixed" {
		t.Errorf("energy.json status = %v", st)
	} else if j, _ := en["joules"].(float64); !(j > 0) || !(j >= resA.Joules) {
		t.Errorf("energy.json joules %v vs result %v", j, resA.Joules)
	}
	if _, err := os.Stat(root + "/emissions.csv"); err != nil {
		t.Errorf("emissions.csv: %v", err)
	}
	if resA.Loss != resC.Loss || resA.BestEpoch != resC.BestEpoch {
		t.Errorf("results differ: %+v vs %+v", resA, resC)
	}
	ms, _ := rdB.Metrics()
	steps0 := map[float64]int{}
	for _, m := range ms {
		steps0[m["step"].(float64)]++
	}
	for s, n := range steps0 {
		if n > 1 {
			t.Errorf("metrics.jsonl has step %v %d times after resume", s, n)
		}
	}
}

func TestNaNStopsWithStep(t *testing.T) {
	be := backend.Must("go")
	rd, _ := run.Create(t.TempDir(), "nan", nil)
	x := []float32{1, 2, 3, 4}
	bf := BatchFunc(func(step int) ([]*tensors.Tensor, error) {
		v := float32(1)
		if step == 7 {
			v = float32(math.NaN())
		}
		return []*tensors.Tensor{tensors.FromFlatDataAndDimensions([]float32{x[0] * v, x[1], x[2], x[3]}, 4, 1)}, nil
	})
	loss := func(s *model.Scope, in []*Node) *Node {
		w := s.VariableWithValue("w", float32(0.5)).ValueGraph(in[0].Graph())
		return ReduceAllMean(Square(Sub(Mul(in[0], w), OnesLike(in[0]))))
	}
	cfg := Config{Steps: 20, CheckpointEvery: 5, Quiet: true}
	tr, _ := New(be, model.NewStore(), loss, cfg)
	_, err := tr.Fit(context.Background(), bf, rd)
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "step 8") {
		t.Fatalf("error = %v; want ErrNonFinite naming step 8", err)
	}
	w := tr.Params()["/w"][0]
	if math.IsNaN(w) {
		t.Errorf("parameter became NaN")
	}
	st, _, err := LoadCheckpoint(rd.File(CheckpointFile), model.NewStore())
	if err != nil || st.Step != 5 {
		t.Errorf("last good checkpoint step = %d (%v); want 5", st.Step, err)
	}
}

func TestBadConfig(t *testing.T) {
	be := backend.Must("go")
	bad := []Config{
		{Steps: 0},
		{Steps: 1, Optimizer: Optimizer{Name: "rmsprop"}},
		{Steps: 1, Optimizer: Optimizer{LR: -1}},
		{Steps: 1, Schedule: Schedule{Kind: "warmup"}},
		{Steps: 1, ClipNorm: -1},
	}
	for _, c := range bad {
		if _, err := New(be, model.NewStore(), mlpLoss, c); err == nil {
			t.Errorf("New(%+v) succeeded", c)
		}
	}
}

func TestPlateauSchedule(t *testing.T) {
	s, _ := Schedule{Kind: "plateau", Patience: 2, Factor: 0.5}.withDefaults()
	var st ScheduleState
	lr := 1.0
	losses := []float64{1, 0.9, 0.95, 0.95, 0.95, 0.8, 0.9, 0.9, 0.9}
	var got []float64
	for i, l := range losses {
		lr = s.next(&st, 1, lr, i+1, 100, l)
		got = append(got, lr)
	}
	// PyTorch ReduceLROnPlateau(patience=2): reduce when bad epochs exceed 2.
	want := []float64{1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("plateau lr sequence %v; want %v", got, want)
		}
	}
	c, _ := Schedule{Kind: "cosine", MinLR: 0}.withDefaults()
	if v := c.next(&st, 1, 1, 5, 10, 0); math.Abs(v-0.5) > 1e-12 {
		t.Errorf("cosine halfway = %g; want 0.5", v)
	}
}

var _ = shapes.Make
var _ = dtypes.Float32

// testConfig is a minimal experiment configuration.
type testConfig struct{ Steps int }

func (c testConfig) Validate() error {
	if c.Steps <= 0 {
		return run.Invalid("steps", c.Steps, "must be positive")
	}
	return nil
}

// TestResumeWithoutCheckpoint: a run killed before its first checkpoint resumes from
// step 0 with its recorded configuration and ends where an uninterrupted run ends.
func TestResumeWithoutCheckpoint(t *testing.T) {
	be := backend.Must("go")
	const steps = 60
	root := t.TempDir()
	cfg := testConfig{Steps: steps}
	expA, err := run.Start(run.Options{Root: root, Quiet: true, NoMeter: true}, "full", &cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	trA, _ := New(be, model.NewStore(), mlpLoss, trainCfg(steps))
	if _, err := trA.Run(context.Background(), newData(t), expA); err != nil {
		t.Fatal(err)
	}
	// The killed run: a directory with its config and a few metric lines, no checkpoint.
	expB, err := run.Start(run.Options{Root: root, Quiet: true, NoMeter: true}, "killed", &cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	expB.Log(run.Metric{"step": 10, "loss": 1.0})
	expB.Dir.Close()
	var got testConfig
	expC, err := run.Start(run.Options{Root: root, Resume: expB.Dir.Path, Quiet: true, NoMeter: true}, "", &got, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != cfg || !expC.Resumed || expC.HasCheckpoint() {
		t.Fatalf("resumed config %+v (resumed %v, checkpoint %v); want %+v, true, false", got, expC.Resumed, expC.HasCheckpoint(), cfg)
	}
	trC, _ := New(be, model.NewStore(), mlpLoss, trainCfg(got.Steps))
	if _, err := trC.Run(context.Background(), newData(t), expC); err != nil {
		t.Fatalf("resume without a checkpoint: %v", err)
	}
	pa, pc := trA.Params(), trC.Params()
	for k, va := range pa {
		for i := range va {
			if va[i] != pc[k][i] {
				t.Fatalf("param %s[%d]: uninterrupted %v, resumed from nothing %v", k, i, va[i], pc[k][i])
			}
		}
	}
	ms, _ := expC.Dir.Metrics()
	if len(ms) == 0 || ms[0]["step"].(float64) == 10 && ms[0]["loss"].(float64) == 1.0 {
		t.Errorf("the killed session's metric lines were kept: %v", ms[:min(2, len(ms))])
	}
}

// TestInterruptBeforeFirstEpoch: cancelling before any epoch has ended (best loss still
// +Inf) writes a checkpoint that resumes to the uninterrupted result.
func TestInterruptBeforeFirstEpoch(t *testing.T) {
	be := backend.Must("go")
	const steps = 40
	cfg := trainCfg(steps)
	cfg.StepsPerEpoch = 20
	trA, _ := New(be, model.NewStore(), mlpLoss, cfg)
	if _, err := trA.Fit(context.Background(), newData(t), nil); err != nil {
		t.Fatal(err)
	}
	rd, _ := run.Create(t.TempDir(), "early", nil)
	ctx, cancel := context.WithCancel(context.Background())
	data := newData(t)
	bf := BatchFunc(func(step int) ([]*tensors.Tensor, error) {
		if step == 5 {
			cancel()
		}
		return data.Batch(step)
	})
	trB, _ := New(be, model.NewStore(), mlpLoss, cfg)
	if _, err := trB.Fit(ctx, bf, rd); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted at step 5: %v; want context.Canceled (and a checkpoint)", err)
	}
	trC, _ := New(be, model.NewStore(), mlpLoss, cfg)
	if _, err := trC.Resume(context.Background(), newData(t), rd); err != nil {
		t.Fatal(err)
	}
	pa, pc := trA.Params(), trC.Params()
	for k, va := range pa {
		for i := range va {
			if va[i] != pc[k][i] {
				t.Fatalf("param %s[%d]: uninterrupted %v, resumed %v", k, i, va[i], pc[k][i])
			}
		}
	}
}

// TestMultiStepSchedule follows PyTorch's MultiStepLR(milestones=[3, 5], gamma=0.3) with
// scheduler.step() after every epoch: the rate for epochs 2..7 is 1, 1, 0.3, 0.3, 0.09, 0.09
// (torch/optim/lr_scheduler.py, MultiStepLR.get_lr: multiply by gamma when last_epoch is a milestone).
func TestMultiStepSchedule(t *testing.T) {
	s, err := Schedule{Kind: "multistep", Milestones: []int{3, 5}, Factor: 0.3}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	var st ScheduleState
	lr := 1.0
	want := []float64{1, 1, 0.3, 0.3, 0.09, 0.09}
	for e := 1; e <= len(want); e++ {
		lr = s.next(&st, 1, lr, e, 100, 0)
		if math.Abs(lr-want[e-1]) > 1e-15 {
			t.Fatalf("multistep lr after epoch %d = %g; want %g", e, lr, want[e-1])
		}
	}
	for _, bad := range []Schedule{{Kind: "multistep"}, {Kind: "multistep", Milestones: []int{5, 3}}, {Kind: "multistep", Milestones: []int{0}}} {
		if _, err := bad.withDefaults(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
