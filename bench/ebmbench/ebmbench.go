// Package ebmbench is `erg bench ebm`: one energy-discrepancy (ED) training step and
// one contrastive-divergence (CD) step of an MLP energy, timed in erg (ebm.BenchStep)
// and in PyTorch side by side.
//
// Workloads (ebm.BenchConfig's defaults): batch 256 of N(0, I) points, MLP
// 2-128-128-1 (softplus, or --activation), Adam lr 1e-3; ED with M = 4, t = 1, w = 1;
// CD with K = 20 Langevin steps of size 0.01 inside the step and the 0.3 regulariser.
// Each side runs 20 warm-up steps, then 3 rounds of Steps ED steps (Steps/4 CD
// steps), and reports the fastest round's mean. The PyTorch peer
// (bench/peers/ebm.py, Debian's python3-torch, 2 threads) runs the paper's code
// (J-zin/energy-discrepancy). The goal ratio erg/PyTorch is 1.
//
// Reference: Schröder et al., "Energy discrepancies: a score-independent loss for
// energy-based models", NeurIPS 2023 (see package ebm).
package ebmbench

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gomlx/compute"

	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/ebm"
)

// PeerScript is the name of the suite's peer script in package bench/peers.
const PeerScript = "ebm.py"

// Workloads are the suite's workloads, in order, with their titles.
var Workloads = []struct{ Name, Title string }{
	{"ed", "ED step (M=4)"},
	{"cd", "CD step (K=20 Langevin)"},
}

// Options configures Run.
type Options struct {
	Backend     compute.Backend // erg's backend
	Activation  string          // MLP activation: softplus (default), relu or tanh
	Steps       int             // timed ED steps per round (CD: a quarter); default 200
	NoPeer      bool            // time erg only
	PeerScript  string          // run this file instead of the embedded ebm.py (development)
	PeerTimeout time.Duration   // default 10 minutes
}

// Run times the ED and CD steps in erg, then in PyTorch, and returns the report. A
// peer that cannot run is recorded in the report's PeerError, not returned.
func Run(ctx context.Context, opts Options) (*bench.Report, error) {
	if opts.Backend == nil {
		return nil, errors.New("bench ebm: no backend")
	}
	if opts.Activation == "" {
		opts.Activation = "softplus"
	}
	switch opts.Activation {
	case "softplus", "relu", "tanh":
	default:
		return nil, fmt.Errorf("bench ebm: activation %q: want softplus, relu or tanh", opts.Activation)
	}
	if opts.Steps <= 0 {
		opts.Steps = 200
	}
	if opts.PeerTimeout <= 0 {
		opts.PeerTimeout = 10 * time.Minute
	}
	const batch, hidden, k = 256, "128,128", 20
	rep := bench.Start("ebm", fmt.Sprintf("GoMLX %s backend, float32, MLP 2-128-128-1 %s, batch %d, Adam", opts.Backend.String(), opts.Activation, batch))
	rep.SetExtra("activation", opts.Activation)
	rep.SetExtra("batch", batch)
	rep.SetExtra("network", "2-128-128-1")
	rep.SetExtra("k", k)
	bc := ebm.BenchConfig{Activation: opts.Activation, Steps: opts.Steps}
	for _, w := range Workloads {
		ms, _, err := ebm.BenchStep(opts.Backend, w.Name, bc)
		if err != nil {
			return nil, err
		}
		rep.Add(bench.Figure{Name: w.Name, Title: w.Title, ErgMS: ms, Goal: 1})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if opts.NoPeer {
		rep.SetPeer(nil, errors.New(bench.NoPeer))
	} else {
		rep.SetPeer(bench.RunPeer(ctx, bench.Peer{Script: PeerScript, Path: opts.PeerScript, Timeout: opts.PeerTimeout,
			Args: []string{"--activation", opts.Activation, "--steps", strconv.Itoa(opts.Steps), "--k", strconv.Itoa(k),
				"--batch", strconv.Itoa(batch), "--hidden", hidden, "--threads", "2"}}))
	}
	rep.Finish()
	return rep, nil
}
