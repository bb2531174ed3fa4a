package deep

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/bench"
	benchscripts "github.com/ergml/erg/scripts/bench"

	"github.com/ergml/erg/train"
	"github.com/ergml/erg/ucr"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// EpochTime measures the training speed of a model of the zoo on a dataset: it runs
// `warmup` untimed epochs (graph compilation included) and then `epochs` timed epochs of
// the published training (batch-size rule, optimizer), returning milliseconds per epoch.
// It is the erg side of `erg bench tsc`.
func EpochTime(b compute.Backend, spec Spec, ds *ucr.Dataset, warmup, epochs int) (float64, error) {
	if epochs < 1 {
		return 0, fmt.Errorf("deep: epochs must be positive")
	}
	_, length := ds.Lengths()
	p, err := prepare(ds, length, ds.Classes)
	if err != nil {
		return 0, err
	}
	data, err := train.NewShuffled(spec.BatchSize(p.n), 1,
		train.Array{Data: p.x, Dims: []int{p.n, p.length, p.dims}},
		train.Array{Data: p.mask, Dims: []int{p.n, p.length}},
		train.Array{Data: p.y, Dims: []int{p.n}})
	if err != nil {
		return 0, err
	}
	classes := len(ds.Classes)
	loss := func(s *model.Scope, in []*Node) *Node {
		return softmaxCrossEntropy(spec.Arch(s, in[0], in[1], classes, true), in[2])
	}
	spe := data.StepsPerEpoch()
	tr, err := train.New(b, model.NewStore(), loss, train.Config{Steps: 1, Optimizer: spec.Optimizer, Quiet: true, NoMeter: true})
	if err != nil {
		return 0, err
	}
	lr := tr.Config().Optimizer.LR
	step := 0
	runEpochs := func(n int) error {
		for e := 0; e < n*spe; e++ {
			batch, err := data.Batch(step)
			if err != nil {
				return err
			}
			step++
			if _, _, err := tr.Step(lr, batch...); err != nil {
				return err
			}
		}
		return nil
	}
	if err := runEpochs(max(warmup, 1)); err != nil {
		return 0, err
	}
	t0 := time.Now()
	if err := runEpochs(epochs); err != nil {
		return 0, err
	}
	return float64(time.Since(t0).Microseconds()) / 1000 / float64(epochs), nil
}

// BenchOptions configures Bench, the comparison behind `erg bench tsc`.
type BenchOptions struct {
	Backend     string        // GoMLX backend configuration ("" = erg's default)
	Data        string        // dataset directory (…/GunPoint)
	Only        []string      // models to time (default fcn, resnet)
	Warmup      int           // untimed epochs per side (default 1)
	Epochs      int           // timed epochs per side (default 3)
	NoPeer      bool          // time erg only
	PeerTimeout time.Duration // default 15 minutes
}

// Bench times training epochs of the zoo's models on one dataset in erg (EpochTime)
// and in PyTorch (scripts/bench/tsc.py, Debian's python3-torch, 2 threads, the same
// architectures, batch-size rule and optimizer) and reports milliseconds per epoch and
// the ratios erg/PyTorch. The goal ratio is 1.5.
func Bench(ctx context.Context, opts BenchOptions) (*bench.Report, error) {
	if opts.Warmup <= 0 {
		opts.Warmup = 1
	}
	if opts.Epochs <= 0 {
		opts.Epochs = 3
	}
	if len(opts.Only) == 0 {
		opts.Only = []string{"fcn", "resnet"}
	}
	if opts.PeerTimeout <= 0 {
		opts.PeerTimeout = 15 * time.Minute
	}
	for _, m := range opts.Only {
		if m != "fcn" && m != "resnet" {
			return nil, fmt.Errorf("deep: bench: unknown model %q (have fcn, resnet)", m)
		}
	}
	tr, _, err := ucr.Load(opts.Data)
	if err != nil {
		return nil, err
	}
	b, err := backend.New(opts.Backend)
	if err != nil {
		return nil, err
	}
	rep := &bench.Report{Suite: "tsc", Erg: fmt.Sprintf("GoMLX %s backend, float32, dataset %s (%d train series)", backend.Name(opts.Backend), tr.Name, tr.Len())}
	start, busy := bench.Machine()
	for _, m := range opts.Only {
		spec, err := Lookup(m)
		if err != nil {
			return nil, err
		}
		ms, err := EpochTime(b, spec, tr, opts.Warmup, opts.Epochs)
		if err != nil {
			return nil, err
		}
		rep.Figures = append(rep.Figures, bench.Figure{Name: m,
			Title: fmt.Sprintf("%s epoch (batch %d)", strings.ToUpper(m), spec.BatchSize(tr.Len())), ErgMS: ms, Goal: 1.5})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if opts.NoPeer {
		rep.SetPeer(nil, errors.New("not run (--no-peer)"))
	} else {
		script, err := benchscripts.FS.ReadFile("tsc.py")
		if err != nil {
			return nil, err
		}
		args := []string{"--data", opts.Data, "--only", strings.Join(opts.Only, ","),
			"--warmup", strconv.Itoa(opts.Warmup), "--epochs", strconv.Itoa(opts.Epochs)}
		rep.SetPeer(bench.RunPython(ctx, "tsc.py", script, args, opts.PeerTimeout))
	}
	end, busyEnd := bench.Machine()
	rep.Machine, rep.Busy = start+" at start; "+end+" at end", busy || busyEnd
	return rep, nil
}
