package analog

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/blas"

	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/run"
)

// TrainConfig configures erg analog train: an MLP 784-256-128-10 (sigmoid,
// log-softmax, analog biases as an extra tile column) trained on Fashion-MNIST with
// SGD as aihwkit's examples/03_mnist_training.py (lr 0.05 halved every 10 epochs, 30
// epochs, batch 64, pixels in [0, 1]). Field names in config.json are the flags of
// erg analog train. Start from DefaultTrainConfig.
type TrainConfig struct {
	Command    string  `json:"command,omitempty"`
	Device     string  `json:"device"` // fp, ctf or a Preset name
	Data       string  `json:"data"`   // Fashion-MNIST directory ("" = Debian's)
	Epochs     int     `json:"epochs"`
	Batch      int     `json:"batch"`
	LR         float64 `json:"lr"`
	LRStep     int     `json:"lr-step"` // halve the learning rate every this many epochs
	Seed       uint64  `json:"seed"`
	Subset     int     `json:"subset"`             // training images (0: all)
	TestSubset int     `json:"test-subset"`        // test images (0: all)
	BL         int     `json:"bl"`                 // desired (maximal) pulse-train length
	FixedBL    bool    `json:"fixed-bl,omitempty"` // every update uses BL slots (update_bl_management off)
	PulseType  string  `json:"pulse-type"`
	IO         string  `json:"io"` // "" (the device's aihwkit config), default, preset or perfect
	Workers    int     `json:"workers"`

	// CTF device
	Kappa      float64 `json:"kappa"`
	PW         float64 `json:"pw"`
	Gap        float64 `json:"gap"`
	Interval   float64 `json:"interval"`
	DwMin      float64 `json:"dw-min"`               // CTF step (0: 0.001)
	Compensate string  `json:"compensate,omitempty"` // comma list: gap-compaction, calibrated-bl
	// Ablate keeps one CTF non-ideality alone (see Ablations); "" keeps the full model.
	Ablate string `json:"ablate,omitempty"`
}

// DefaultTrainConfig returns the defaults of erg analog train for device.
func DefaultTrainConfig(device string) TrainConfig {
	c := DefaultCTFDevice()
	return TrainConfig{Device: device, Epochs: 30, Batch: 64, LR: 0.05, LRStep: 10, BL: 31, PulseType: PulseStochasticCompressed,
		Workers: 2, Kappa: c.Cell.Kappa, PW: c.PW, Gap: c.Gap, Interval: c.Interval, DwMin: c.DwMin}
}

// Validate reports the first bad value as a *run.FieldError naming the flag.
func (c *TrainConfig) Validate() error {
	switch {
	case c.Device != "fp" && c.Device != "ctf" && !slices.Contains(Presets, c.Device):
		return run.Invalid("device", c.Device, "want fp, ctf or one of %s", strings.Join(Presets, ", "))
	case c.Epochs <= 0:
		return run.Invalid("epochs", c.Epochs, "must be positive")
	case c.Batch <= 0:
		return run.Invalid("batch", c.Batch, "must be positive")
	case !(c.LR > 0):
		return run.Invalid("lr", c.LR, "must be positive")
	case c.LRStep <= 0:
		return run.Invalid("lr-step", c.LRStep, "must be positive")
	case c.Subset < 0:
		return run.Invalid("subset", c.Subset, "must be non-negative")
	case c.TestSubset < 0:
		return run.Invalid("test-subset", c.TestSubset, "must be non-negative")
	case c.BL <= 0:
		return run.Invalid("bl", c.BL, "must be positive")
	case c.Workers <= 0:
		return run.Invalid("workers", c.Workers, "must be positive")
	case c.IO != "" && c.IO != "default" && c.IO != "preset" && c.IO != "perfect":
		return run.Invalid("io", c.IO, "want default, preset or perfect")
	}
	if err := (Update{PulseType: c.PulseType, DesiredBL: c.BL}).Validate(); err != nil {
		return run.Invalid("pulse-type", c.PulseType, "want stochastic-compressed, none or mean-count")
	}
	for _, s := range splitList(c.Compensate) {
		if s != "gap-compaction" && s != "calibrated-bl" {
			return run.Invalid("compensate", c.Compensate, "want gap-compaction and/or calibrated-bl")
		}
	}
	if c.Ablate != "" && !slices.Contains(Ablations, c.Ablate) {
		return run.Invalid("ablate", c.Ablate, "want one of %s", strings.Join(Ablations, ", "))
	}
	if c.Device == "ctf" {
		if _, err := c.ctfDevice(); err != nil {
			if pe, ok := err.(*ParamError); ok {
				return run.Invalid(pe.Field, pe.Value, "%s", pe.Reason)
			}
			return err
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Ablations are the CTF non-idealities a run can keep alone (TrainConfig.Ablate):
// "width" — every pulse starts with an empty trap state (τe → 0), so a pulse's shift
// depends only on its width; "fragment" — the trap state never relaxes (τe → ∞), so
// only the first pulses of each device, before its trap state charges, fall short;
// "gap" — the full model, where the trap state relaxes in every gap and short gaps
// recover the shift.
var Ablations = []string{"fragment", "width", "gap"}

func (c *TrainConfig) ctfDevice() (CTFDevice, error) {
	d := DefaultCTFDevice()
	d.Cell.Kappa, d.PW, d.Gap, d.Interval = c.Kappa, c.PW, c.Gap, c.Interval
	d.DwMin = c.DwMin
	for _, s := range splitList(c.Compensate) {
		switch s {
		case "gap-compaction":
			d.GapCompaction = true
		case "calibrated-bl":
			d.Calibrated = true
		}
	}
	switch c.Ablate {
	case "width":
		d.Cell.TauE = 1e-9 // every pulse starts from an empty trap state
	case "fragment":
		d.Cell.TauE = 1e12 // the trap state never relaxes
	case "gap":
		// the full model: recovery depends on the gaps
	}
	return d, d.Validate()
}

// Net is the analog MLP: three tiles with analog biases (In = fan-in + 1).
type Net struct {
	Tiles []*Tile
	Sizes []int // 784, 256, 128, 10
}

// NewNet builds the network for cfg with PyTorch nn.Linear's initialisation
// (U(±1/√fan_in) for weights and biases), seeded by cfg.Seed.
func NewNet(cfg TrainConfig) (*Net, error) {
	sizes := []int{784, 256, 128, 10}
	n := &Net{Sizes: sizes}
	init := rand.New(rand.NewPCG(cfg.Seed, 0x1417))
	for l := range 3 {
		in, out := sizes[l]+1, sizes[l+1]
		fwd, bwd := PerfectIO(), PerfectIO()
		upd := DefaultUpdate()
		upd.DesiredBL, upd.PulseType = cfg.BL, cfg.PulseType
		upd.UpdateBLManagement = !cfg.FixedBL
		var dev *Device
		switch cfg.Device {
		case "fp":
			upd.PulseType = PulseNone
		case "ctf":
			fwd, bwd = DefaultIO(), DefaultIO()
		default:
			d, err := Preset(cfg.Device)
			if err != nil {
				return nil, err
			}
			dev = &d
			fwd, bwd = DefaultIO(), DefaultIO()
			if cfg.Device != ConstantStep && !slices.Contains(Kinds, cfg.Device) {
				fwd, bwd = PresetIO(), PresetIO()
			}
		}
		switch cfg.IO {
		case "default":
			fwd, bwd = DefaultIO(), DefaultIO()
		case "preset":
			fwd, bwd = PresetIO(), PresetIO()
		case "perfect":
			fwd, bwd = PerfectIO(), PerfectIO()
		}
		bwd.BoundManagement = "none"
		t := NewTile(fmt.Sprintf("%d (%d→%d)", l+1, sizes[l], out), out, in, dev, fwd, bwd, upd, cfg.Seed*7919+uint64(l)+1)
		t.workers = cfg.Workers
		if cfg.Device == "ctf" {
			cd, err := cfg.ctfDevice()
			if err != nil {
				return nil, err
			}
			t.CTF = NewCTFArray(cd, out*in)
		}
		w := make([]float32, out*in)
		bound := 1 / math.Sqrt(float64(sizes[l]))
		for k := range w {
			w[k] = float32((2*init.Float64() - 1) * bound)
		}
		t.SetWeights(w)
		n.Tiles = append(n.Tiles, t)
	}
	return n, nil
}

func sigmoid(z float32) float32 { return float32(1 / (1 + math.Exp(-float64(z)))) }

// batchBuf holds one batch's activations and errors.
type batchBuf struct {
	a [][]float32 // per layer input incl. bias: [l][b*(size+1)]
	g [][]float32 // per layer output error: [l][b*size]
	z []float32
	e []float32
}

func (n *Net) newBuf(batch int) *batchBuf {
	b := &batchBuf{}
	for l := range 3 {
		b.a = append(b.a, make([]float32, batch*(n.Sizes[l]+1)))
		b.g = append(b.g, make([]float32, batch*n.Sizes[l+1]))
	}
	b.z = make([]float32, 256+1)
	b.e = make([]float32, 785)
	return b
}

// forward runs sample s (its input already in buf.a[0]) and returns the log-softmax
// into logp.
func (n *Net) forward(buf *batchBuf, s int, logp []float32) error {
	for l, t := range n.Tiles {
		in := n.Sizes[l] + 1
		a := buf.a[l][s*in : (s+1)*in]
		z := buf.z[:t.Out]
		if err := t.Forward(a, z); err != nil {
			return err
		}
		if l < 2 {
			next := buf.a[l+1][s*(t.Out+1) : (s+1)*(t.Out+1)]
			for i, v := range z {
				next[i] = sigmoid(v)
			}
			next[t.Out] = 1
		} else {
			m := z[0]
			for _, v := range z {
				m = max(m, v)
			}
			var se float64
			for _, v := range z {
				se += math.Exp(float64(v - m))
			}
			ls := float32(math.Log(se)) + m
			for i, v := range z {
				logp[i] = v - ls
			}
		}
	}
	return nil
}

// step trains one batch of images idx and returns the summed loss.
func (n *Net) step(buf *batchBuf, set *imageset.Set, idx []int, lr float64) (float64, error) {
	bsz := len(idx)
	logp := make([]float32, 10)
	var loss float64
	for s, k := range idx {
		a0 := buf.a[0][s*785 : (s+1)*785]
		copy(a0, set.Image(k))
		a0[784] = 1
		if err := n.forward(buf, s, logp); err != nil {
			return 0, err
		}
		y := set.Labels[k]
		loss -= float64(logp[y])
		g := buf.g[2][s*10 : (s+1)*10]
		for i := range g {
			g[i] = float32(math.Exp(float64(logp[i]))) / float32(bsz)
		}
		g[y] -= 1 / float32(bsz)
		// backward through tiles 3 and 2
		for l := 2; l >= 1; l-- {
			t := n.Tiles[l]
			e := buf.e[:t.In]
			if err := t.Backward(buf.g[l][s*t.Out:(s+1)*t.Out], e); err != nil {
				return 0, err
			}
			h := n.Sizes[l]
			act := buf.a[l][s*(h+1) : (s+1)*(h+1)]
			gp := buf.g[l-1][s*h : (s+1)*h]
			for i := range h {
				gp[i] = e[i] * act[i] * (1 - act[i])
			}
		}
	}
	for l, t := range n.Tiles {
		in, out := t.In, t.Out
		if t.Dev == nil && t.CTF == nil {
			// floating point: W ← W − lr·Σ_b d_b·x_bᵀ in one matrix product
			blas32.Sgemm(blas.Trans, blas.NoTrans, out, in, bsz, float32(-lr), buf.g[l][:bsz*out], out, buf.a[l][:bsz*in], in, 1, t.W, in)
			t.Stats.Updates += int64(bsz)
			continue
		}
		for s := range bsz {
			if _, err := t.Update(buf.a[l][s*in:(s+1)*in], buf.g[l][s*out:(s+1)*out], lr); err != nil {
				return 0, err
			}
		}
	}
	return loss, nil
}

// Evaluate returns the accuracy and mean cross-entropy on set (through the analog
// forward pass, noise included, as aihwkit evaluates).
func (n *Net) Evaluate(set *imageset.Set) (acc, loss float64, err error) {
	buf := n.newBuf(1)
	logp := make([]float32, 10)
	correct := 0
	for k := range set.Len() {
		a0 := buf.a[0][:785]
		copy(a0, set.Image(k))
		a0[784] = 1
		if err := n.forward(buf, 0, logp); err != nil {
			return 0, 0, err
		}
		best := 0
		for i, v := range logp {
			if v > logp[best] {
				best = i
			}
		}
		if best == set.Labels[k] {
			correct++
		}
		loss -= float64(logp[set.Labels[k]])
	}
	return float64(correct) / float64(set.Len()), loss / float64(set.Len()), nil
}

// tileState is what a checkpoint keeps of a tile: weights, random streams, hidden
// weights and CTF state (the devices' parameters are redrawn from the seed).
type tileState struct {
	W       []float32
	PCG     []byte
	RowPCG  [][]byte
	Persist []float64
	Q       []float32
	TLast   []float64
	Clock   float64
	Stats   UpdateStats
}

type checkpoint struct {
	Epoch      int
	Tiles      []tileState
	Seconds    float64
	Joules     float64
	EnergyStat string
	History    []EpochStats
}

func (n *Net) state() ([]tileState, error) {
	var out []tileState
	for _, t := range n.Tiles {
		s := tileState{W: slices.Clone(t.W), Stats: t.Stats}
		var err error
		if s.PCG, err = t.pcg.MarshalBinary(); err != nil {
			return nil, err
		}
		for _, p := range t.rowPCG {
			b, err := p.MarshalBinary()
			if err != nil {
				return nil, err
			}
			s.RowPCG = append(s.RowPCG, b)
		}
		if t.Dev != nil && t.Dev.persist != nil {
			s.Persist = slices.Clone(t.Dev.persist)
		}
		if t.CTF != nil {
			s.Q, s.TLast, s.Clock = slices.Clone(t.CTF.Q), slices.Clone(t.CTF.TLast), t.CTF.Clock
		}
		out = append(out, s)
	}
	return out, nil
}

func (n *Net) restore(st []tileState) error {
	if len(st) != len(n.Tiles) {
		return fmt.Errorf("analog: checkpoint has %d tiles, want %d", len(st), len(n.Tiles))
	}
	for i, t := range n.Tiles {
		s := st[i]
		if len(s.W) != len(t.W) || len(s.RowPCG) != len(t.rowPCG) {
			return fmt.Errorf("analog: checkpoint tile %d: shape mismatch", i+1)
		}
		copy(t.W, s.W)
		t.Stats = s.Stats
		if err := t.pcg.UnmarshalBinary(s.PCG); err != nil {
			return err
		}
		for r, b := range s.RowPCG {
			if err := t.rowPCG[r].UnmarshalBinary(b); err != nil {
				return err
			}
		}
		if s.Persist != nil && t.Dev != nil {
			copy(t.Dev.persist, s.Persist)
		}
		if t.CTF != nil {
			copy(t.CTF.Q, s.Q)
			copy(t.CTF.TLast, s.TLast)
			t.CTF.Clock = s.Clock
		}
	}
	return nil
}

// EpochStats is one epoch's line of metrics.jsonl.
type EpochStats struct {
	Epoch     int     `json:"epoch"`
	LR        float64 `json:"lr"`
	TrainLoss float64 `json:"train_loss"`
	TestAcc   float64 `json:"test_acc"`
	TestLoss  float64 `json:"test_loss"`
	Seconds   float64 `json:"epoch_seconds"`
	Pulses    int64   `json:"pulses"`
	MeanBL    float64 `json:"mean_bl"`
}

// LayerStats are a tile's update statistics over the run.
type LayerStats struct {
	Layer   string  `json:"layer"`
	Updates int64   `json:"updates"`
	Pulses  int64   `json:"pulses"`
	MeanBL  float64 `json:"mean_bl"`
	// pulses per update and weight
	PulsesPerWeight float64 `json:"pulses_per_update_per_weight"`
	WMean, WStd     float64
}

// Outcome is what Train reports (the JSON of erg analog train).
type Outcome struct {
	Dir          string       `json:"dir"`
	Report       string       `json:"report,omitempty"`
	Resumed      bool         `json:"resumed"`
	Device       string       `json:"device"`
	TestAcc      float64      `json:"test_acc"`
	BL           float64      `json:"bl"` // mean pulse-train length per update
	Pulses       int64        `json:"pulses"`
	Seconds      float64      `json:"seconds"`
	EpochSeconds float64      `json:"epoch_seconds"` // mean wall time per epoch (training + test)
	Energy       float64      `json:"energy"`        // joules
	EnergyStatus string       `json:"energy_status,omitempty"`
	Epochs       int          `json:"epochs"`
	TrainImages  int          `json:"train_images"`
	TestImages   int          `json:"test_images"`
	Layers       []LayerStats `json:"layers"`
	History      []EpochStats `json:"history"`
	Headline     string       `json:"headline"`
}

// LoadData reads Fashion-MNIST from dir ("" = Debian's folder) and draws the
// subsets of cfg.
func (c *TrainConfig) LoadData() (tr, te *imageset.Set, err error) {
	if tr, err = imageset.LoadFashionMNIST(c.Data, "train"); err != nil {
		return nil, nil, err
	}
	if te, err = imageset.LoadFashionMNIST(c.Data, "test"); err != nil {
		return nil, nil, err
	}
	if c.Subset > 0 && c.Subset < tr.Len() {
		tr, _ = tr.Split(float64(c.Subset)/float64(tr.Len()), c.Seed, true)
	}
	if c.TestSubset > 0 && c.TestSubset < te.Len() {
		te, _ = te.Split(float64(c.TestSubset)/float64(te.Len()), c.Seed+1, true)
	}
	return tr, te, nil
}

// Train runs erg analog train in a run directory (run.Experiment): one metrics line
// and one checkpoint (weights, device state and every random stream) per epoch, so
// that a resumed run (opt.Resume) ends with bit-identical weights.
func Train(ctx context.Context, cfg TrainConfig, opt run.Options) (*Outcome, error) {
	var tr, te *imageset.Set
	if opt.Resume == "" {
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		var err error
		if tr, te, err = cfg.LoadData(); err != nil {
			return nil, &run.FieldError{Field: "data", Value: cfg.Data, Reason: err.Error()}
		}
	}
	exp, err := run.Start(opt, "analog-"+cfg.Device, &cfg, nil)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Outcome, error) {
		return &Outcome{Dir: exp.Dir.Path, Resumed: exp.Resumed, Device: cfg.Device}, exp.Fail(err)
	}
	if tr == nil {
		if tr, te, err = cfg.LoadData(); err != nil {
			return fail(err)
		}
	}
	net, err := NewNet(cfg)
	if err != nil {
		return fail(err)
	}
	start := 0
	var hist []EpochStats
	if exp.Resumed && exp.HasCheckpoint() {
		ck, err := readCheckpoint(exp.Checkpoint())
		if err != nil {
			return fail(err)
		}
		if err := net.restore(ck.Tiles); err != nil {
			return fail(fmt.Errorf("%s: %w", exp.Checkpoint(), err))
		}
		start, hist = ck.Epoch, ck.History
		exp.SetPrior(ck.Seconds, ck.Joules, ck.EnergyStat)
		if err := exp.Dir.TruncateMetrics(start); err != nil {
			return fail(err)
		}
	}
	note := exp.Progress("epoch", cfg.Epochs, start)
	buf := net.newBuf(cfg.Batch)
	steps := (tr.Len() + cfg.Batch - 1) / cfg.Batch // the last batch may be partial, as PyTorch's DataLoader
	for ep := start; ep < cfg.Epochs; ep++ {
		t0 := time.Now()
		lr := cfg.LR * math.Pow(0.5, float64(ep/cfg.LRStep))
		perm := rand.New(rand.NewPCG(cfg.Seed, uint64(ep)+0xe90c)).Perm(tr.Len())
		var loss float64
		var pulses0, bl0, upd0 int64
		for _, t := range net.Tiles {
			pulses0 += t.Stats.Pulses
			bl0 += t.Stats.BLSum
			upd0 += t.Stats.Updates
		}
		for s := range steps {
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
			l, err := net.step(buf, tr, perm[s*cfg.Batch:min((s+1)*cfg.Batch, len(perm))], lr)
			if err != nil {
				return fail(fmt.Errorf("epoch %d step %d: %w", ep+1, s, err))
			}
			loss += l
			if s%50 == 0 {
				note.Update(ep, fmt.Sprintf("epoch %d step %d/%d loss %.4f", ep+1, s, steps, loss/float64((s+1)*cfg.Batch)), false)
			}
		}
		acc, tl, err := net.Evaluate(te)
		if err != nil {
			return fail(err)
		}
		var pulses, bls, upds int64
		for _, t := range net.Tiles {
			pulses += t.Stats.Pulses
			bls += t.Stats.BLSum
			upds += t.Stats.Updates
		}
		es := EpochStats{Epoch: ep + 1, LR: lr, TrainLoss: loss / float64(tr.Len()), TestAcc: acc, TestLoss: tl,
			Seconds: time.Since(t0).Seconds(), Pulses: pulses - pulses0}
		if upds > upd0 {
			es.MeanBL = float64(bls-bl0) / float64(upds-upd0)
		}
		hist = append(hist, es)
		if err := exp.Log(run.Metric{"step": ep + 1, "epoch": ep + 1, "lr": lr, "train_loss": es.TrainLoss, "test_acc": acc,
			"test_loss": tl, "epoch_seconds": es.Seconds, "pulses": es.Pulses, "mean_bl": es.MeanBL}); err != nil {
			return fail(err)
		}
		st, err := net.state()
		if err != nil {
			return fail(err)
		}
		j, js := exp.Joules()
		if err := writeCheckpoint(exp.Checkpoint(), checkpoint{Epoch: ep + 1, Tiles: st, Seconds: exp.Seconds(), Joules: j, EnergyStat: js, History: hist}); err != nil {
			return fail(err)
		}
		if stopAfterEpoch == ep+1 {
			return fail(context.Canceled)
		}
		note.Update(ep+1, fmt.Sprintf("epoch %d: test accuracy %.4f, loss %.4f, %.1f s", ep+1, acc, es.TrainLoss, es.Seconds), true)
	}
	note.Finish()
	out := &Outcome{Dir: exp.Dir.Path, Resumed: exp.Resumed, Device: cfg.Device, Epochs: cfg.Epochs, TrainImages: tr.Len(), TestImages: te.Len(), History: hist}
	if len(hist) > 0 {
		out.TestAcc = hist[len(hist)-1].TestAcc
		var s float64
		for _, h := range hist {
			s += h.Seconds
		}
		out.EpochSeconds = s / float64(len(hist))
	}
	var bls, upds int64
	for _, t := range net.Tiles {
		out.Pulses += t.Stats.Pulses
		bls += t.Stats.BLSum
		upds += t.Stats.Updates
		ls := LayerStats{Layer: t.Name, Updates: t.Stats.Updates, Pulses: t.Stats.Pulses}
		if t.Stats.Updates > 0 {
			ls.MeanBL = float64(t.Stats.BLSum) / float64(t.Stats.Updates)
			ls.PulsesPerWeight = float64(t.Stats.Pulses) / float64(t.Stats.Updates) / float64(len(t.W))
		}
		var m, v float64
		for _, w := range t.W {
			m += float64(w)
		}
		m /= float64(len(t.W))
		for _, w := range t.W {
			v += (float64(w) - m) * (float64(w) - m)
		}
		ls.WMean, ls.WStd = m, math.Sqrt(v/float64(len(t.W)))
		out.Layers = append(out.Layers, ls)
	}
	if upds > 0 {
		out.BL = float64(bls) / float64(upds)
	}
	out.Seconds = exp.Seconds()
	out.Energy, out.EnergyStatus = exp.Joules()
	out.Headline = fmt.Sprintf("MLP 784-256-128-10 on Fashion-MNIST, device %s: test accuracy %.4f after %d epochs on %d images (mean BL %.2f, %d pulses); %.1f s per epoch",
		cfg.Device, out.TestAcc, cfg.Epochs, tr.Len(), out.BL, out.Pulses, out.EpochSeconds)
	sum := run.Summary{"headline": out.Headline, "device": cfg.Device, "test_acc": out.TestAcc, "bl": out.BL, "pulses": out.Pulses,
		"epoch_seconds": out.EpochSeconds, "layers": out.Layers}
	if err := exp.Dir.PlotMetrics(); err != nil {
		return fail(err)
	}
	if out.Report, err = exp.Finish(sum); err != nil {
		return out, err
	}
	return out, nil
}

// stopAfterEpoch interrupts Train after that epoch's checkpoint (tests of resumption).
var stopAfterEpoch int

func writeCheckpoint(path string, ck checkpoint) error {
	return atomicfile.WriteFunc(path, func(w io.Writer) error { return gob.NewEncoder(w).Encode(ck) })
}

func readCheckpoint(path string) (checkpoint, error) {
	var ck checkpoint
	b, err := os.ReadFile(path)
	if err != nil {
		return ck, err
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&ck); err != nil {
		return ck, fmt.Errorf("analog: %s: %w", path, err)
	}
	return ck, nil
}
