// Package tscbench is `erg bench tsc`: training epochs of dl-4-tsc's FCN and ResNet
// (Ismail Fawaz et al. 2019) on one UCR dataset, timed in erg (tsc/deep.EpochTime on
// GoMLX) and in PyTorch side by side.
//
// The PyTorch peer (bench/peers/tsc.py, Debian's python3-torch with
// torch.set_num_threads(2)) builds the same architectures (Keras-equivalent 'same'
// padding, batch norm eps 1e-3, Adam lr 1e-3 eps 1e-7), applies the same batch-size
// rule min(n/10, 16 | 64) and z-normalises each series. Each side runs Warmup
// untimed epochs, then Epochs timed ones, and reports milliseconds per epoch (their
// mean). The goal ratio erg/PyTorch is 1.5.
//
// References:
//   - H. Ismail Fawaz et al., "Deep learning for time series classification: a
//     review", Data Mining and Knowledge Discovery 33, 2019 (dl-4-tsc).
//   - Z. Wang, W. Yan and T. Oates, "Time series classification from scratch with
//     deep neural networks: a strong baseline", IJCNN 2017.
package tscbench

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/tsc/deep"
	"github.com/ergml/erg/ucr"
)

// PeerScript is the name of the suite's peer script in package bench/peers.
const PeerScript = "tsc.py"

// Models are the models the suite can time.
var Models = []string{"fcn", "resnet"}

// Options configures Run.
type Options struct {
	Backend     string        // GoMLX backend configuration ("" = erg's default)
	Data        string        // dataset directory (…/GunPoint)
	Only        []string      // models to time (default fcn, resnet)
	Warmup      int           // untimed epochs per side (default 1)
	Epochs      int           // timed epochs per side (default 3)
	NoPeer      bool          // time erg only
	PeerScript  string        // run this file instead of the embedded tsc.py (development)
	PeerTimeout time.Duration // default 15 minutes
}

// Run times training epochs of the models on one dataset in erg, then in PyTorch, and
// returns the report (milliseconds per epoch, ratios erg/PyTorch). A peer that cannot
// run is recorded in the report's PeerError, not returned as an error.
func Run(ctx context.Context, opts Options) (*bench.Report, error) {
	if opts.Warmup <= 0 {
		opts.Warmup = 1
	}
	if opts.Epochs <= 0 {
		opts.Epochs = 3
	}
	if len(opts.Only) == 0 {
		opts.Only = Models
	}
	if opts.PeerTimeout <= 0 {
		opts.PeerTimeout = 15 * time.Minute
	}
	for _, m := range opts.Only {
		if m != "fcn" && m != "resnet" {
			return nil, fmt.Errorf("bench tsc: unknown model %q (have fcn, resnet)", m)
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
	rep := bench.Start("tsc", fmt.Sprintf("GoMLX %s backend, float32, dataset %s (%d train series)", backend.Name(opts.Backend), tr.Name, tr.Len()))
	for _, m := range opts.Only {
		spec, err := deep.Lookup(m)
		if err != nil {
			return nil, err
		}
		ms, err := deep.EpochTime(b, spec, tr, opts.Warmup, opts.Epochs)
		if err != nil {
			return nil, err
		}
		rep.Add(bench.Figure{Name: m,
			Title: fmt.Sprintf("%s epoch (batch %d)", strings.ToUpper(m), spec.BatchSize(tr.Len())), ErgMS: ms, Goal: 1.5})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if opts.NoPeer {
		rep.SetPeer(nil, errors.New(bench.NoPeer))
	} else {
		rep.SetPeer(bench.RunPeer(ctx, bench.Peer{Script: PeerScript, Path: opts.PeerScript, Timeout: opts.PeerTimeout,
			Args: []string{"--data", opts.Data, "--only", strings.Join(opts.Only, ","),
				"--warmup", strconv.Itoa(opts.Warmup), "--epochs", strconv.Itoa(opts.Epochs)}}))
	}
	rep.Finish()
	return rep, nil
}
