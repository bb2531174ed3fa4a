// Package fembench is `erg bench fem`: a warm assemble-and-solve of the 2-D P1
// Poisson problem fem.BenchProblem, −∇·(κ∇u) = f on the unit square (n×n, right
// diagonals, κ, f, g interpolated into P1), timed in erg in-process and in
// FEniCS/DOLFINx side by side.
//
// The peer (bench/peers/fem.py, Debian's python3-dolfinx-real with /usr/bin/python3)
// builds the same problem with create_unit_square and LinearProblem and solves with
// PETSc CG + ICC(0). erg is timed with CG + MIC(0) (its default for P1, workload
// poisson2d-p1-<n>) and with CG + IC(0) (PETSc's algorithm, poisson2d-p1-<n>-ic0),
// both compared with the one FEniCS figure for n. Both stop at a relative residual
// of 1e-10; each side runs one untimed solve, then reports the median of Reps warm
// solves. The two solutions' maxima must agree to 1e-6 (same problem solved). The
// goal ratio erg/FEniCS is 1.
package fembench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/fem"
)

// PeerScript is the name of the suite's peer script in package bench/peers.
const PeerScript = "fem.py"

// Options configures Run.
type Options struct {
	Sizes       []int         // mesh sizes n (n×n squares); default 64, 256
	Reps        int           // timed warm solves per workload and side (median reported); default 10
	NoPeer      bool          // time erg only
	PeerScript  string        // run this file instead of the embedded fem.py (development)
	PeerTimeout time.Duration // default 15 minutes
}

// Name is the workload name of mesh size n (the key of the peer's figure).
func Name(n int) string { return fmt.Sprintf("poisson2d-p1-%d", n) }

// Run times the FEniCS peer, then erg, and returns the report. A peer that cannot run
// is recorded in the report's PeerError; a peer that solves a different problem
// (another maximum of u) is an error.
func Run(ctx context.Context, opts Options) (*bench.Report, error) {
	if len(opts.Sizes) == 0 {
		opts.Sizes = []int{64, 256}
	}
	if opts.Reps <= 0 {
		opts.Reps = 10
	}
	if opts.PeerTimeout <= 0 {
		opts.PeerTimeout = 15 * time.Minute
	}
	rep := bench.Start("fem", fmt.Sprintf("fem in-process, float64, CG + MIC(0) and CG + IC(0), rtol 1e-10, median of warm solves (%d)", opts.Reps))
	var peer *bench.PeerResult
	var peerErr error
	if opts.NoPeer {
		peerErr = errors.New(bench.NoPeer)
	} else {
		ns := make([]string, len(opts.Sizes))
		for i, n := range opts.Sizes {
			ns[i] = strconv.Itoa(n)
		}
		peer, peerErr = bench.RunPeer(ctx, bench.Peer{Script: PeerScript, Path: opts.PeerScript, Timeout: opts.PeerTimeout,
			Args: []string{"--n", strings.Join(ns, ","), "--reps", strconv.Itoa(opts.Reps)}})
	}
	peerIts, peerUMax := peer.Figures("iterations"), peer.Figures("umax")
	dofs, ergIts, solver := map[string]int{}, map[string]int{}, map[string]string{}
	var its []string
	for _, n := range opts.Sizes {
		key := Name(n)
		for _, m := range []fem.Method{fem.CGMIC, fem.CGIC} {
			tm, err := fem.TimeSolve(n, opts.Reps, fem.SolverOptions{Method: m})
			if err != nil {
				return nil, err
			}
			name := key
			if m == fem.CGIC {
				name += "-ic0"
			}
			rep.Add(bench.Figure{Name: name, PeerKey: key, ErgMS: tm.MedianMS, Goal: 1,
				Title: fmt.Sprintf("P1 Poisson n=%d (%d dofs), erg %s", n, tm.Dofs, m)})
			dofs[name], ergIts[name], solver[name] = tm.Dofs, tm.Iterations, m.String()
			it := fmt.Sprintf("%s %d", name, tm.Iterations)
			if pi, ok := peerIts[key]; ok {
				it += fmt.Sprintf("/%.0f", pi)
			}
			its = append(its, it)
			if pu, ok := peerUMax[key]; ok {
				if d := math.Abs(pu - tm.UMax); d > 1e-6*math.Abs(pu) {
					return nil, fmt.Errorf("bench fem n=%d: erg and FEniCS solutions differ (max u %.9g vs %.9g)", n, tm.UMax, pu)
				}
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	rep.SetPeer(peer, peerErr)
	rep.SetExtra("dofs", dofs)
	rep.SetExtra("erg_iterations", ergIts)
	rep.SetExtra("erg_solver", solver)
	rep.Notes = append(rep.Notes, "CG iterations erg/FEniCS: "+strings.Join(its, ", "),
		"FEniCS: PETSc CG + ICC(0); each side: median of warm assemble+solve calls")
	rep.Finish()
	return rep, nil
}
