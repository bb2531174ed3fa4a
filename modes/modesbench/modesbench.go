package modesbench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/modes/dip"
	"github.com/ergml/erg/modes/kde"
	"github.com/ergml/erg/modes/modetest"
)

// PeerScript is the name of the suite's R peer script in package bench/peers.
const PeerScript = "modes.R"

// Names are the suite's workloads, in order.
var Names = []string{"silverman", "dip", "kde"}

type workload struct {
	name, title string
	target      float64
	data        func() []float64
	erg         func(x []float64)
}

func workloads() []workload {
	bimodal := func(n int, seed uint64) func() []float64 {
		return func() []float64 {
			rng := rand.New(rand.NewPCG(seed, 1))
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
				if i%3 == 0 {
					x[i] += 3
				}
			}
			return x
		}
	}
	return []workload{
		{
			name: "silverman", title: "Silverman test k=1, B=500, n=1000", target: 1000,
			data: bimodal(1000, 1),
			erg: func(x []float64) {
				modetest.Silverman(x, 1, modetest.Config{B: 500, Seed: 1, NoRescale: true, NoHallYork: true})
			},
		},
		{
			name: "dip", title: "dip statistic, n=1e6 (sort included)", target: 1000,
			data: bimodal(1_000_000, 2),
			erg:  func(x []float64) { dip.Statistic(x) },
		},
		{
			name: "kde", title: "binned Gaussian KDE, n=1e6, 512 points",
			data: bimodal(1_000_000, 3),
			erg:  func(x []float64) { kde.Density(x, 0.1, kde.Grid{Method: kde.Binned}) },
		},
	}
}

// Config configures Run.
type Config struct {
	NoPeer      bool          // time erg only
	Rscript     string        // path of Rscript; "" looks it up on PATH
	Reps        int           // timed erg runs per workload (median reported); 0 means 3
	Only        string        // run only this workload ("" all)
	PeerScript  string        // run this file instead of the embedded modes.R (development)
	PeerTimeout time.Duration // default 15 minutes
}

// Run times the workloads in erg (one warm-up, then the median of cfg.Reps runs),
// then in R (one run each, timed by system.time), and returns the report. The
// absolute targets (erg ms) are in the report's extra "target_ms", and whether erg
// met them in "pass". A peer that cannot run is recorded in the report's PeerError.
func Run(ctx context.Context, cfg Config) (*bench.Report, error) {
	reps := cfg.Reps
	if reps <= 0 {
		reps = 3
	}
	if cfg.PeerTimeout <= 0 {
		cfg.PeerTimeout = 15 * time.Minute
	}
	if cfg.Only != "" && !contains(Names, cfg.Only) {
		return nil, fmt.Errorf("bench modes: unknown workload %q (have %s)", cfg.Only, strings.Join(Names, ", "))
	}
	rep := bench.Start("modes", fmt.Sprintf("Go, float64, GOMAXPROCS %d, median of timed runs (%d) after a warm-up", runtime.GOMAXPROCS(0), reps))
	targets, pass := map[string]float64{}, map[string]bool{}
	var notes []string
	data := map[string][]float64{}
	for _, w := range workloads() {
		if cfg.Only != "" && w.name != cfg.Only {
			continue
		}
		x := w.data()
		w.erg(x) // warm up
		ts := make([]float64, reps)
		for i := range ts {
			t0 := time.Now()
			w.erg(x)
			ts[i] = float64(time.Since(t0).Microseconds()) / 1000
		}
		sort.Float64s(ts)
		ms := ts[reps/2]
		rep.Add(bench.Figure{Name: w.name, Title: w.title, ErgMS: ms})
		pass[w.name] = w.target == 0 || ms <= w.target
		if w.target > 0 {
			targets[w.name] = w.target
			verdict := "met"
			if !pass[w.name] {
				verdict = "MISSED"
			}
			notes = append(notes, fmt.Sprintf("%s ≤ %.0f ms %s", w.name, w.target, verdict))
		}
		data[w.name] = x
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	rep.SetExtra("target_ms", targets)
	rep.SetExtra("pass", pass)
	if len(notes) > 0 {
		rep.Notes = append(rep.Notes, "targets (erg): "+strings.Join(notes, ", "))
	}
	if cfg.NoPeer {
		rep.SetPeer(nil, errors.New(bench.NoPeer))
	} else {
		rep.SetPeer(runPeer(ctx, cfg, rep.Figures, data))
	}
	rep.Finish()
	return rep, nil
}

func contains(s []string, v string) bool {
	for _, e := range s {
		if e == v {
			return true
		}
	}
	return false
}

// runPeer writes each workload's sample to a file and runs the R peer on them.
func runPeer(ctx context.Context, cfg Config, figs []bench.Figure, data map[string][]float64) (*bench.PeerResult, error) {
	dir, err := os.MkdirTemp("", "erg-modesbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var args []string
	for _, f := range figs {
		path := filepath.Join(dir, f.Name+".txt")
		if err := writeSample(path, data[f.Name]); err != nil {
			return nil, err
		}
		args = append(args, f.Name+"="+path)
	}
	return bench.RunPeer(ctx, bench.Peer{Script: PeerScript, Path: cfg.PeerScript, Interpreter: cfg.Rscript,
		Args: args, Timeout: cfg.PeerTimeout})
}

func writeSample(path string, x []float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	for _, v := range x {
		bw.WriteString(strconv.FormatFloat(v, 'g', 17, 64))
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
