package ff

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/ff/data"
	"github.com/ergml/erg/ff/mm"
	"github.com/ergml/erg/ff/mol"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TrainConfig is the configuration of `erg ff train` (field names are the flags).
// Zero values are the documented defaults (preset "default"), except Bond: ""
// is BondHarmonic, the form of runs made before the field existed (so that their
// configurations resume unchanged), while the CLI's --bond default is quartic.
type TrainConfig struct {
	Data            string      `json:"data"`             // directory made by erg ff data (required)
	Preset          string      `json:"preset"`           // "default" or "quick"
	Steps           int         `json:"steps"`            // optimizer steps (default: preset's)
	Batch           int         `json:"batch"`            // molecules per step (default 8)
	Confs           int         `json:"confs"`            // conformers per molecule used (default 32)
	LR              float64     `json:"lr"`               // Adam learning rate (default 1e-3; espaloma 1e-4 over far more steps)
	Seed            uint64      `json:"seed"`             // default 2666
	Backend         string      `json:"backend"`          // GoMLX backend ("" default)
	Arch            Arch        `json:"arch"`             // default DefaultArch
	Weights         LossWeights `json:"weights"`          // default DefaultWeights
	CheckpointEvery int         `json:"checkpoint_every"` // steps between checkpoints (default 100)
	Bond            BondForm    `json:"bond,omitempty"`   // bond term: "" or harmonic, quartic
	Command         string      `json:"command,omitempty"`
}

// Presets: steps of each.
var presetSteps = map[string]int{"default": 3000, "quick": 600}

func (c *TrainConfig) defaults() {
	if c.Preset == "" {
		c.Preset = "default"
	}
	if c.Steps == 0 {
		c.Steps = presetSteps[c.Preset]
	}
	if c.Batch == 0 {
		c.Batch = 8
	}
	if c.Confs == 0 {
		c.Confs = 32
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.Seed == 0 {
		c.Seed = 2666
	}
	if c.Arch == (Arch{}) {
		c.Arch = DefaultArch
	}
	if c.Weights == (LossWeights{}) {
		c.Weights = DefaultWeights
	}
	if c.CheckpointEvery == 0 {
		c.CheckpointEvery = 100
	}
}

// Validate implements run.Config.
func (c *TrainConfig) Validate() error {
	c.defaults()
	if c.Data == "" {
		return run.Invalid("data", c.Data, "required: a directory made by erg ff data")
	}
	if _, ok := presetSteps[c.Preset]; !ok {
		return run.Invalid("preset", c.Preset, "want default or quick")
	}
	if c.Steps <= 0 {
		return run.Invalid("steps", c.Steps, "must be positive")
	}
	if c.Batch <= 0 || c.Batch > 64 {
		return run.Invalid("batch", c.Batch, "must be in 1..64")
	}
	if c.Confs <= 0 {
		return run.Invalid("confs", c.Confs, "must be positive")
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		return run.Invalid("lr", c.LR, "must be a positive number")
	}
	if err := c.Bond.Validate(); err != nil {
		return run.Invalid("bond", string(c.Bond), "want %s or %s", BondHarmonic, BondQuartic)
	}
	if c.Arch.Width <= 0 || c.Arch.Layers <= 0 || c.Arch.Hidden < 0 || c.Arch.Dropout < 0 || c.Arch.Dropout >= 1 {
		return run.Invalid("arch", c.Arch, "width and layers must be positive, dropout in [0, 1)")
	}
	return nil
}

// ModelFile is the model description in a run directory.
const ModelFile = "model.json"

// ModelInfo is model.json: what is needed to rebuild the network.
type ModelInfo struct {
	Arch    Arch        `json:"arch"`
	Caps    Caps        `json:"caps"`
	Weights LossWeights `json:"weights"`
	Bond    BondForm    `json:"bond,omitempty"` // "" (runs before the field existed): harmonic
	Data    string      `json:"data"`
	Params  int         `json:"params"`
}

// TrainOutcome is what Train returns.
type TrainOutcome struct {
	Dir          string
	Resumed      bool
	Steps        int
	TrainLoss    float64
	Seconds      float64
	StepMillis   float64
	Joules       float64
	EnergyStatus string
	Val          *Evaluation
	Report       string
	Params       int
	Molecules    int
}

// PrepareSplit loads and prepares the molecules of DIR/split (train, val, test
// or all), failing on the first bad file.
func PrepareSplit(dir, split string) ([]*Prepared, error) {
	ss, err := data.Load(dir, split)
	if err != nil {
		return nil, err
	}
	out := make([]*Prepared, 0, len(ss))
	for _, s := range ss {
		if len(s.X) == 0 {
			continue
		}
		p, err := PrepareSample(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Train trains the parameter network on DIR/train (espaloma 0.3's loss; see
// lossGraph) with train.Trainer in a run directory (resumable), then evaluates on
// DIR/val.
func Train(ctx context.Context, cfg TrainConfig, opt run.Options) (*TrainOutcome, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tr, err := PrepareSplit(cfg.Data, "train")
	if err != nil {
		return nil, &run.FieldError{Field: "data", Value: cfg.Data, Reason: err.Error()}
	}
	exp, err := run.Start(opt, "ff", &cfg, nil)
	if err != nil {
		return nil, err
	}
	out, err := trainIn(ctx, exp, cfg, tr)
	if err != nil {
		return out, exp.Fail(err)
	}
	return out, nil
}

func trainIn(ctx context.Context, exp *run.Experiment, cfg TrainConfig, tr []*Prepared) (*TrainOutcome, error) {
	b, err := backend.New(cfg.Backend)
	if err != nil {
		return nil, err
	}
	caps := capsFor(tr, cfg.Batch, cfg.Confs)
	spe := (len(tr) + cfg.Batch - 1) / cfg.Batch
	note := exp.Progress("step", cfg.Steps, 0)
	note.Printf("%s: training the espaloma-style parameter network on %d molecules of %s (%d steps, %d molecules × %d conformers per step) in %s",
		exp.Dir.Name, len(tr), cfg.Data, cfg.Steps, cfg.Batch, cfg.Confs, exp.Dir.Path)
	store := model.NewStore()
	lossFn := func(s *model.Scope, in []*Node) *Node {
		l, _, _, _ := lossGraph(s.In("ff"), in, cfg.Arch, cfg.Bond, cfg.Weights, true)
		return l
	}
	batches := train.BatchFunc(func(step int) ([]*tensors.Tensor, error) {
		ep := step / spe
		r := rand.New(rand.NewPCG(cfg.Seed, uint64(ep)))
		perm := r.Perm(len(tr))
		i := (step % spe) * cfg.Batch
		var ps []*Prepared
		for k := 0; k < cfg.Batch; k++ {
			ps = append(ps, tr[perm[(i+k)%len(tr)]])
		}
		return buildBatch(ps, caps, cfg.Bond, true)
	})
	tcfg := train.Config{Steps: cfg.Steps, StepsPerEpoch: spe, Optimizer: train.Optimizer{Name: "adam", LR: cfg.LR},
		Schedule: train.Schedule{Kind: "cosine", MinLR: cfg.LR / 20}, CheckpointEvery: cfg.CheckpointEvery, Seed: cfg.Seed,
		ClipNorm: 100}
	t0, err := train.New(b, store, lossFn, tcfg)
	if err != nil {
		return nil, err
	}
	// model.json first, so that erg ff eval/param work on an unfinished run's last checkpoint
	info := ModelInfo{Arch: cfg.Arch, Caps: caps, Weights: cfg.Weights, Bond: cfg.Bond, Data: cfg.Data}
	if err := exp.Dir.WriteJSON(ModelFile, info); err != nil {
		return nil, err
	}
	res, err := t0.Run(ctx, batches, exp)
	if err != nil {
		return nil, err
	}
	info.Params = countParams(store)
	if err := exp.Dir.WriteJSON(ModelFile, info); err != nil {
		return nil, err
	}
	out := &TrainOutcome{Dir: exp.Dir.Path, Resumed: exp.Resumed, Steps: res.Steps, TrainLoss: res.Loss, StepMillis: res.StepMillis,
		Params: info.Params, Molecules: len(tr)}
	m := &Model{Info: info, backend: b, store: store}
	if val, err := PrepareSplit(cfg.Data, "val"); err == nil {
		ev, err := m.Evaluate(val, cfg.Seed)
		if err != nil {
			return nil, err
		}
		out.Val = ev
		note.Printf("%s: validation (%d molecules): energy RMSE %.3f kcal/mol (MMFF94 %.3f), force RMSE %.3f kcal/mol/Å (MMFF94 %.3f)",
			exp.Dir.Name, ev.Molecules, ev.Erg.EnergyRMSE, ev.MMFF94.EnergyRMSE, ev.Erg.ForceRMSE, ev.MMFF94.ForceRMSE)
	}
	out.Seconds = exp.Seconds()
	out.Joules, out.EnergyStatus = exp.Joules()
	sum := run.Summary{"data": cfg.Data, "preset": cfg.Preset, "steps": res.Steps, "train_loss": res.Loss, "params": info.Params,
		"train_molecules": len(tr), "seconds": out.Seconds, "step_ms": res.StepMillis, "seed": cfg.Seed}
	if out.Val != nil {
		sum["val"] = out.Val
		sum["headline"] = fmt.Sprintf("val (%d molecules): erg %.2f kcal/mol, %.2f kcal/mol/Å; MMFF94 %.2f, %.2f",
			out.Val.Molecules, out.Val.Erg.EnergyRMSE, out.Val.Erg.ForceRMSE, out.Val.MMFF94.EnergyRMSE, out.Val.MMFF94.ForceRMSE)
	}
	if out.Report, err = exp.Finish(sum); err != nil {
		return out, err
	}
	return out, nil
}

func countParams(store *model.Store) int {
	n := 0
	for v := range store.IterVariables() {
		if v.Trainable && v.DType().IsFloat() && !isOptimizerVar(v.Path()) {
			n += v.Shape().Size()
		}
	}
	return n
}

func isOptimizerVar(p string) bool { return strings.HasPrefix(p, "/optimizer") }

// Model is a trained parameter network.
type Model struct {
	Info    ModelInfo
	backend compute.Backend
	store   *model.Store
	exec    *model.Exec
}

// Load reads the network of a run directory made by Train.
func Load(rd *run.Dir) (*Model, error) {
	var info ModelInfo
	if err := rd.ReadJSON(ModelFile, &info); err != nil {
		return nil, fmt.Errorf("ff: %s: not a finished ff run (%w)", rd.Path, err)
	}
	if err := info.Bond.Validate(); err != nil {
		return nil, fmt.Errorf("ff: %s: %s: %w", rd.Path, ModelFile, err)
	}
	store := model.NewStore()
	if _, _, err := train.LoadCheckpoint(rd.File(run.CheckpointFile), store); err != nil {
		return nil, fmt.Errorf("ff: %s: %w", rd.Path, err)
	}
	b, err := backend.New("")
	if err != nil {
		return nil, err
	}
	return &Model{Info: info, backend: b, store: store}, nil
}

// NewUntrained returns a network with freshly initialised (seeded) weights and
// harmonic bonds, for demos and tests (set Info.Bond before first use for
// another form).
func NewUntrained(arch Arch, seed uint64) (*Model, error) {
	b, err := backend.New("")
	if err != nil {
		return nil, err
	}
	store := model.NewStore()
	store.SetRNGStateFromSeed(int64(seed))
	return &Model{Info: ModelInfo{Arch: arch}, backend: b, store: store}, nil
}

func (m *Model) ensureExec() error {
	if m.exec != nil {
		return nil
	}
	arch, bond := m.Info.Arch, m.Info.Bond
	exec, err := model.NewExec(m.backend, m.store, func(s *model.Scope, in []*Node) []*Node {
		coef, q := forward(s.In("ff"), in, arch, bond, false)
		return append(coef[:], q)
	})
	if err != nil {
		return err
	}
	m.exec = exec
	return nil
}

// Predict returns the coefficients of molecules ps (batched with caps).
func (m *Model) predict(ps []*Prepared, caps Caps) ([]*Coefficients, error) {
	if err := m.ensureExec(); err != nil {
		return nil, err
	}
	in, err := buildBatch(ps, caps, m.Info.Bond, false)
	if err != nil {
		return nil, err
	}
	args := make([]any, len(in))
	for i, t := range in {
		args[i] = t
	}
	res, err := m.exec.Exec(args...)
	if err != nil {
		return nil, err
	}
	out := make([]*Coefficients, len(ps))
	var vals [numKinds][]float32
	for k := 0; k < numKinds; k++ {
		vals[k] = tensors.MustCopyFlatData[float32](res[k])
	}
	qv := tensors.MustCopyFlatData[float32](res[numKinds])
	var tOff [numKinds]int
	aOff := 0
	for i, p := range ps {
		c := &Coefficients{Bond: m.Info.Bond}
		for k := 0; k < numKinds; k++ {
			K := kindSize(k, m.Info.Bond)
			for range p.Terms[k] {
				row := make([]float64, K)
				for j := range row {
					row[j] = float64(vals[k][tOff[k]*K+j])
				}
				c.Terms[k] = append(c.Terms[k], row)
				tOff[k]++
			}
		}
		for a := 0; a < p.Mol.NumAtoms(); a++ {
			c.Charges = append(c.Charges, float64(qv[aOff+a]))
		}
		aOff += p.Mol.NumAtoms()
		out[i] = c
	}
	return out, nil
}

// Parametrize assigns parameters to one molecule and returns its OpenMM system.
func (m *Model) Parametrize(mo *mol.Molecule) (*mm.System, *Coefficients, error) {
	p, err := Prepare(mo)
	if err != nil {
		return nil, nil, err
	}
	cs, err := m.predict([]*Prepared{p}, exactCaps(p))
	if err != nil {
		return nil, nil, err
	}
	s, err := p.System(cs[0])
	return s, cs[0], err
}
