package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/ergml/erg/meter"
	"github.com/ergml/erg/run"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// LossFunc builds the scalar training loss from a batch's input nodes. Variables it
// creates in scope (with trainable=true, the default) are optimised.
type LossFunc func(s *model.Scope, inputs []*Node) *Node

// Batches yields the inputs of each training step. Batch(step) must depend only on step
// (and the source's own fixed seed), so that a resumed run sees the same batches as an
// uninterrupted one.
type Batches interface {
	Batch(step int) ([]*tensors.Tensor, error)
}

// BatchFunc adapts a function to Batches.
type BatchFunc func(step int) ([]*tensors.Tensor, error)

// Batch implements Batches.
func (f BatchFunc) Batch(step int) ([]*tensors.Tensor, error) { return f(step) }

// Config is the training loop's configuration. Zero values are documented defaults.
type Config struct {
	Steps         int // total optimizer steps (required, > 0)
	StepsPerEpoch int // steps per epoch; schedules, early stopping and keep-best act at epoch ends; 0: 1

	Optimizer Optimizer
	Schedule  Schedule
	ClipNorm  float64 // clip gradients to this global L2 norm; 0: no clipping

	EarlyStopPatience int  // stop after this many epochs without a lower epoch loss; 0: never
	KeepBest          bool // at the end, restore the parameters of the epoch with the lowest loss

	CheckpointEvery int // steps between checkpoints; 0: 1000; negative: only at the end
	LogEvery        int // steps between metric lines; 0: every epoch when StepsPerEpoch > 1, else Steps/200

	Seed     uint64    // seeds parameter initialisation and in-graph randomness
	Progress io.Writer // where progress goes; nil: stderr (a bar on a terminal, lines otherwise)
	Quiet    bool      // no progress output
	// ProgressEpochs counts progress in epochs (shown at each epoch's end with the
	// epoch's mean loss) instead of steps.
	ProgressEpochs bool

	// Meter configures the energy meter started for the run (when the trainer has no
	// meter set with SetMeter). Energy goes to energy.json and to emissions.csv beside
	// the run directory.
	Meter   meter.Config
	NoMeter bool // do not meter this run

	// Metrics, if set, is called at each log point and its figures are added to the
	// metric line (for example a validation accuracy).
	Metrics func(step int) map[string]float64
}

// Result is what Fit returns.
type Result struct {
	Steps        int
	Epochs       int
	Loss         float64 // mean loss of the last epoch (or last step)
	BestLoss     float64
	BestEpoch    int
	Seconds      float64 // wall time over all sessions of the run
	Joules       float64
	EnergyStatus string
	Stopped      string // "" when all steps ran; else why it ended (early stopping)
	StepMillis   float64
}

// ErrNonFinite is wrapped by the error Fit returns when the loss or a gradient is NaN/Inf.
var ErrNonFinite = errors.New("non-finite loss or gradient")

// Trainer runs the optimisation of one model store.
type Trainer struct {
	backend compute.Backend
	store   *model.Store
	loss    LossFunc
	cfg     Config
	exec    *model.Exec
	vars    []*model.Variable
	meter   EnergyMeter
}

// EnergyMeter reports the energy used so far by the process; package meter's Meter
// satisfies it through meter.Meter.Joules.
type EnergyMeter interface {
	// Joules returns the energy so far and "measured" or "estimated".
	Joules() (float64, string)
}

// New prepares a trainer. The store's RNG is seeded from cfg.Seed unless the store was
// loaded from a checkpoint (see Resume).
func New(b compute.Backend, store *model.Store, loss LossFunc, cfg Config) (*Trainer, error) {
	if cfg.Steps <= 0 {
		return nil, fmt.Errorf("train: steps must be positive, got %d", cfg.Steps)
	}
	if cfg.StepsPerEpoch <= 0 {
		cfg.StepsPerEpoch = 1
	}
	var err error
	if cfg.Optimizer, err = cfg.Optimizer.withDefaults(); err != nil {
		return nil, err
	}
	if cfg.Schedule, err = cfg.Schedule.withDefaults(); err != nil {
		return nil, err
	}
	if cfg.ClipNorm < 0 {
		return nil, fmt.Errorf("train: clip norm %g must be non-negative", cfg.ClipNorm)
	}
	if cfg.CheckpointEvery == 0 {
		cfg.CheckpointEvery = 1000
	}
	if cfg.LogEvery <= 0 {
		if cfg.StepsPerEpoch > 1 {
			cfg.LogEvery = cfg.StepsPerEpoch
		} else {
			cfg.LogEvery = max(1, cfg.Steps/200)
		}
	}
	t := &Trainer{backend: b, store: store, loss: loss, cfg: cfg}
	return t, nil
}

// SetMeter sets the energy meter whose readings go to progress, metrics and the result.
func (t *Trainer) SetMeter(m EnergyMeter) { t.meter = m }

// Config returns the configuration with defaults filled in.
func (t *Trainer) Config() Config { return t.cfg }

func (t *Trainer) build() error {
	if t.exec != nil {
		return nil
	}
	cfg := t.cfg
	exec, err := model.NewExec(t.backend, t.store, func(s *model.Scope, inputs []*Node) []*Node {
		g := inputs[0].Graph()
		lr := inputs[0]
		loss := t.loss(s, inputs[1:])
		if !loss.Shape().IsScalar() {
			loss = ReduceAllMean(loss)
		}
		var vars []*model.Variable
		var nodes []*Node
		for v := range t.store.IterVariables() {
			if !v.Trainable || !v.DType().IsFloat() || strings.HasPrefix(v.Path(), optScope+"/") || !v.InUseByGraph(g) {
				continue
			}
			vars = append(vars, v)
			nodes = append(nodes, v.ValueGraph(g))
		}
		if len(vars) == 0 {
			panic("train: the loss uses no trainable variables")
		}
		t.vars = vars
		grads := Gradient(loss, nodes...)
		dt := loss.DType()
		norm2 := ScalarZero(g, dt)
		for _, gr := range grads {
			norm2 = Add(norm2, ConvertDType(ReduceAllSum(Square(gr)), dt))
		}
		ok := LogicalAnd(IsFinite(loss), IsFinite(norm2))
		if cfg.ClipNorm > 0 {
			scale := Min(ScalarOne(g, dt), Div(Scalar(g, dt, cfg.ClipNorm), Sqrt(AddScalar(norm2, 1e-12))))
			for i := range grads {
				grads[i] = Mul(grads[i], ConvertDType(scale, grads[i].DType()))
			}
		}
		stepVar := t.store.VariableWithShape(optScope+"/step", ScalarZero(g, dt).Shape(), Zeros)
		stepVar.Trainable = false
		tn := AddScalar(stepVar.ValueGraph(g), 1)
		stepVar.SetValueGraph(Where(ok, tn, stepVar.ValueGraph(g)))
		cfg.Optimizer.apply(t.store, g, vars, grads, lr, tn, ok)
		return []*Node{loss, Sqrt(norm2), ConvertDType(ok, dt)}
	})
	if err != nil {
		return err
	}
	t.exec = exec
	return nil
}

// Step runs one optimizer step on batch with learning rate lr and returns the loss and
// the global gradient norm (before clipping). A non-finite loss or gradient leaves the
// parameters unchanged and returns an error wrapping ErrNonFinite.
func (t *Trainer) Step(lr float64, batch ...*tensors.Tensor) (loss, gradNorm float64, err error) {
	if err := t.build(); err != nil {
		return 0, 0, err
	}
	args := make([]any, 0, len(batch)+1)
	args = append(args, lr)
	for _, b := range batch {
		args = append(args, b)
	}
	out, err := t.exec.Exec(args...)
	if err != nil {
		return 0, 0, fmt.Errorf("train: step: %w", err)
	}
	loss = scalarOf(out[0])
	gradNorm = scalarOf(out[1])
	ok := scalarOf(out[2])
	for _, o := range out {
		o.FinalizeAll()
	}
	if ok == 0 {
		return loss, gradNorm, fmt.Errorf("train: loss %v, gradient norm %v: %w", loss, gradNorm, ErrNonFinite)
	}
	return loss, gradNorm, nil
}

func scalarOf(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("train: unexpected scalar %T", t.Value()))
}

// Fit trains for cfg.Steps steps from the start, logging metrics and writing
// checkpoints to rd (nil: no run directory). Cancelling ctx stops after the current
// step, writes a checkpoint and returns ctx's error. Fit writes no summary or energy
// files: that is the experiment's work (see Run and package run's Experiment).
func (t *Trainer) Fit(ctx context.Context, data Batches, rd *run.Dir) (*Result, error) {
	return t.fit(ctx, data, rd, nil, nil, nil)
}

// Resume loads rd's checkpoint into the trainer's store and continues the run to
// cfg.Steps. The store must be fresh (its variables are created from the checkpoint).
// A run killed before its first checkpoint has none: it starts again from step 0 (its
// metric lines are dropped).
func (t *Trainer) Resume(ctx context.Context, data Batches, rd *run.Dir) (*Result, error) {
	st, extra, err := t.load(rd)
	if err != nil {
		return nil, err
	}
	return t.fit(ctx, data, rd, st, extra, nil)
}

// Run trains within an experiment, the way every capability trains: a new run starts
// at step 0; a resumed one continues from its checkpoint, or from step 0 when it was
// killed before its first checkpoint. Metrics, checkpoints and progress go to the
// experiment, whose meter supplies the energy figures (the earlier sessions' time and
// energy, kept in the checkpoint, are handed to it with SetPrior). The experiment is
// left open: the capability evaluates the model and then calls exp.Finish (or
// exp.Fail).
//
// A nil exp trains as Fit does without a run directory.
func (t *Trainer) Run(ctx context.Context, data Batches, exp *run.Experiment) (*Result, error) {
	if exp == nil {
		return t.fit(ctx, data, nil, nil, nil, nil)
	}
	var st *LoopState
	var extra map[string]*tensors.Tensor
	if exp.Resumed {
		var err error
		if st, extra, err = t.load(exp.Dir); err != nil {
			return nil, err
		}
		if st != nil {
			exp.SetPrior(st.Seconds, st.Joules, st.EnergyStatus)
		}
	}
	return t.fit(ctx, data, exp.Dir, st, extra, exp)
}

// load reads rd's checkpoint into the store and cuts metrics.jsonl back to it; with
// no checkpoint it returns a nil state and drops every metric line.
func (t *Trainer) load(rd *run.Dir) (*LoopState, map[string]*tensors.Tensor, error) {
	if _, err := os.Stat(rd.File(CheckpointFile)); errors.Is(err, os.ErrNotExist) {
		return nil, nil, rd.TruncateMetrics(0)
	}
	st, extra, err := LoadCheckpoint(rd.File(CheckpointFile), t.store)
	if err != nil {
		return nil, nil, err
	}
	if err := rd.TruncateMetrics(st.Step); err != nil {
		return nil, nil, err
	}
	return &st, extra, nil
}

func (t *Trainer) fit(ctx context.Context, data Batches, rd *run.Dir, st *LoopState, best map[string]*tensors.Tensor, exp *run.Experiment) (*Result, error) {
	cfg := t.cfg
	fresh := st == nil
	if fresh {
		st = &LoopState{LR: cfg.Optimizer.LR, BestLoss: math.Inf(1)}
		if err := t.store.SetRNGStateFromSeed(int64(cfg.Seed)); err != nil {
			return nil, fmt.Errorf("train: seeding: %w", err)
		}
	}
	if err := t.build(); err != nil {
		return nil, err
	}
	name := "train"
	if rd != nil {
		name = rd.Name
	}
	unit, total, done := "step", cfg.Steps, st.Step
	if cfg.ProgressEpochs {
		unit, total, done = "epoch", (cfg.Steps+cfg.StepsPerEpoch-1)/cfg.StepsPerEpoch, st.Epoch
	}
	// joules returns the run's energy so far, earlier sessions included.
	var joules func() (float64, string)
	var prog *run.Progress
	switch {
	case exp != nil:
		joules = exp.Joules
		prog = exp.Progress(unit, total, done)
		if cfg.Quiet {
			prog = nil
		}
	default:
		m := t.meter
		if m == nil && !cfg.NoMeter {
			own, err := meter.Start(cfg.Meter)
			if err != nil {
				return nil, fmt.Errorf("train: energy meter: %w", err)
			}
			defer own.Stop()
			m = meterAdapter{own}
		}
		prior, priorStatus := st.Joules, st.EnergyStatus
		joules = func() (float64, string) {
			if m == nil {
				return prior, priorStatus
			}
			j, s := m.Joules()
			return prior + j, s
		}
		prog = run.NewProgress(cfg.Progress, name, unit, total, done, cfg.Quiet)
	}
	defer prog.Finish()
	sessionStart := time.Now()
	save := func() error {
		if rd == nil {
			return nil
		}
		s := *st
		s.Seconds += time.Since(sessionStart).Seconds()
		s.Joules, s.EnergyStatus = joules()
		return SaveCheckpoint(rd.File(CheckpointFile), t.store, best, s)
	}
	stepStart := time.Now()
	stepsThisSession := 0
	var lastLoss float64
	for st.Step < cfg.Steps && st.Stopped == "" {
		if err := ctx.Err(); err != nil {
			if serr := save(); serr != nil {
				return nil, serr
			}
			return nil, err
		}
		batch, err := data.Batch(st.Step)
		if err != nil {
			return nil, fmt.Errorf("train: batch for step %d: %w", st.Step+1, err)
		}
		loss, gnorm, err := t.Step(st.LR, batch...)
		if err != nil {
			if errors.Is(err, ErrNonFinite) {
				return nil, fmt.Errorf("train: step %d: %w (parameters and last checkpoint kept)", st.Step+1, err)
			}
			return nil, err
		}
		st.Step++
		stepsThisSession++
		lastLoss = loss
		st.LastLoss = loss
		st.EpochLossSum += loss
		st.EpochLossN++
		epochEnd := st.Step%cfg.StepsPerEpoch == 0 || st.Step == cfg.Steps
		var epochLoss float64
		if epochEnd {
			st.Epoch++
			epochLoss = st.EpochLossSum / float64(st.EpochLossN)
			st.EpochLossSum, st.EpochLossN = 0, 0
			if epochLoss < st.BestLoss {
				st.BestLoss, st.BestEpoch, st.StaleEpochs = epochLoss, st.Epoch, 0
				if cfg.KeepBest {
					best = t.snapshot()
				}
			} else {
				st.StaleEpochs++
				if cfg.EarlyStopPatience > 0 && st.StaleEpochs >= cfg.EarlyStopPatience {
					st.Stopped = fmt.Sprintf("early stopping at epoch %d: no improvement for %d epochs", st.Epoch, st.StaleEpochs)
				}
			}
			epochs := (cfg.Steps + cfg.StepsPerEpoch - 1) / cfg.StepsPerEpoch
			st.LR = cfg.Schedule.next(&st.Schedule, cfg.Optimizer.LR, st.LR, st.Epoch, epochs, epochLoss)
		}
		j, es := joules()
		if rd != nil && (st.Step%cfg.LogEvery == 0 || st.Step == cfg.Steps || st.Stopped != "") {
			m := run.Metric{"step": st.Step, "epoch": st.Epoch, "loss": loss, "grad_norm": gnorm, "lr": st.LR,
				"seconds": st.Seconds + time.Since(sessionStart).Seconds(), "joules": j}
			if epochEnd && cfg.StepsPerEpoch > 1 {
				m["epoch_loss"] = epochLoss
			}
			if cfg.Metrics != nil {
				for k, v := range cfg.Metrics(st.Step) {
					m[k] = v
				}
			}
			if err := rd.Log(m); err != nil {
				return nil, err
			}
		}
		est := ""
		if es == "estimated" {
			est = " est."
		}
		switch {
		case !cfg.ProgressEpochs:
			prog.Update(st.Step, fmt.Sprintf("loss %.5g energy %.4g J%s", loss, j, est), false)
		case epochEnd:
			prog.Update(st.Epoch, fmt.Sprintf("loss %.5g energy %.4g J%s", epochLoss, j, est), st.Stopped != "")
		}
		if cfg.CheckpointEvery > 0 && st.Step%cfg.CheckpointEvery == 0 && st.Step < cfg.Steps {
			if err := save(); err != nil {
				return nil, err
			}
		}
	}
	res := &Result{Steps: st.Step, Epochs: st.Epoch, Loss: lastLoss, BestLoss: st.BestLoss, BestEpoch: st.BestEpoch, Stopped: st.Stopped}
	if cfg.StepsPerEpoch > 1 && st.BestEpoch > 0 {
		res.Loss = st.BestLoss
	}
	if stepsThisSession > 0 {
		res.StepMillis = float64(time.Since(stepStart).Microseconds()) / 1000 / float64(stepsThisSession)
	}
	if err := save(); err != nil {
		return nil, err
	}
	res.Seconds = st.Seconds + time.Since(sessionStart).Seconds()
	res.Joules, res.EnergyStatus = joules()
	if cfg.KeepBest && best != nil {
		t.restore(best)
	}
	if rd != nil {
		rd.Close()
	}
	return res, nil
}

// snapshot copies the model's current state: the trainable parameters and the
// non-trainable model variables the graph updates (batch-norm running statistics), as
// a Keras ModelCheckpoint saves the whole model; optimizer state and the RNG state are
// not part of it.
func (t *Trainer) snapshot() map[string]*tensors.Tensor {
	m := make(map[string]*tensors.Tensor, len(t.vars))
	for _, v := range t.modelVars() {
		if tv := varTensor(v); tv != nil {
			c, err := tv.LocalClone()
			if err == nil {
				m["best:"+v.Path()] = c
			}
		}
	}
	return m
}

func (t *Trainer) restore(best map[string]*tensors.Tensor) {
	for _, v := range t.modelVars() {
		if b, ok := best["best:"+v.Path()]; ok {
			v.MustSetValue(b)
		}
	}
}

// modelVars lists the trainable parameters and the other float model variables
// (excluding optimizer state and internal '#' variables such as the RNG state).
func (t *Trainer) modelVars() []*model.Variable {
	vars := append([]*model.Variable(nil), t.vars...)
	for v := range t.store.IterVariables() {
		if v.Trainable || !v.DType().IsFloat() || strings.HasPrefix(v.Path(), optScope+"/") || strings.Contains(v.Path(), "#") {
			continue
		}
		vars = append(vars, v)
	}
	return vars
}

// Params returns copies of the trainable parameters by path (for tests and export).
func (t *Trainer) Params() map[string][]float64 {
	out := map[string][]float64{}
	for v := range t.store.IterVariables() {
		if !v.Trainable || strings.HasPrefix(v.Path(), optScope+"/") {
			continue
		}
		tv := varTensor(v)
		if tv == nil {
			continue
		}
		var fl []float64
		tv.MustConstFlatData(func(a any) {
			switch x := a.(type) {
			case []float32:
				for _, e := range x {
					fl = append(fl, float64(e))
				}
			case []float64:
				fl = append(fl, x...)
			}
		})
		out[v.Path()] = fl
	}
	return out
}

// meterAdapter gives a meter.Meter the EnergyMeter interface.
type meterAdapter struct{ m *meter.Meter }

func (a meterAdapter) Joules() (float64, string) {
	r := a.m.Read()
	return r.Joules, r.Status
}
