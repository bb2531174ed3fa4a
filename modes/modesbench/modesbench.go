package modesbench

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ergml/erg/modes/dip"
	"github.com/ergml/erg/modes/kde"
	"github.com/ergml/erg/modes/modetest"
)

// Result is one workload's timing.
type Result struct {
	Name     string  `json:"name"`
	Title    string  `json:"title"`
	N        int     `json:"n"`
	ErgMS    float64 `json:"erg_ms"`
	PeerMS   float64 `json:"peer_ms,omitempty"` // 0 when the peer did not run
	Ratio    float64 `json:"ratio,omitempty"`   // erg/peer
	TargetMS float64 `json:"target_ms,omitempty"`
	Pass     bool    `json:"pass"`
	Peer     string  `json:"peer,omitempty"`
	Note     string  `json:"note,omitempty"`
}

type workload struct {
	name, title string
	n           int
	target      float64
	data        func() []float64
	erg         func(x []float64)
	r           string // R code timing the workload on x; must print elapsed seconds
	rpkgs       []string
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
			name: "silverman", title: "Silverman test k=1, B=500, n=1000", n: 1000, target: 1000,
			data: bimodal(1000, 1),
			erg: func(x []float64) {
				modetest.Silverman(x, 1, modetest.Config{B: 500, Seed: 1, NoRescale: true, NoHallYork: true})
			},
			r: `nm <- function(x, h) { y <- density(x, bw = h, n = 1024)$y; d <- diff(y); sum(d[-1] < 0 & d[-length(d)] >= 0) }
t <- system.time({
  lo <- bw.nrd0(x); while (nm(x, lo) <= 1) lo <- lo / 2; hi <- 2 * lo; while (nm(x, hi) > 1) hi <- hi * 2
  while (hi - lo > 1e-6 * hi) { m <- (lo + hi) / 2; if (nm(x, m) > 1) lo <- m else hi <- m }
  h <- hi; n <- length(x)
  p <- mean(replicate(500, nm(sample(x, n, TRUE) + rnorm(n, 0, h), h) > 1))
})[["elapsed"]]`,
		},
		{
			name: "dip", title: "dip statistic, n=1e6 (sort included)", n: 1_000_000, target: 1000,
			data: bimodal(1_000_000, 2),
			erg:  func(x []float64) { dip.Statistic(x) },
			r:    `t <- system.time(d <- dip(x))[["elapsed"]]`, rpkgs: []string{"diptest"},
		},
		{
			name: "kde", title: "binned Gaussian KDE, n=1e6, 512 points", n: 1_000_000,
			data: bimodal(1_000_000, 3),
			erg:  func(x []float64) { kde.Density(x, 0.1, kde.Grid{Method: kde.Binned}) },
			r:    `t <- system.time(d <- density(x, bw = 0.1, n = 512))[["elapsed"]]`,
		},
	}
}

// Config configures Run.
type Config struct {
	NoPeer  bool   // time erg only
	Rscript string // path of Rscript; "" looks it up on PATH
	Reps    int    // timed erg runs per workload (median reported); 0 means 3
	Only    string // run only this workload ("" all)
}

// Run times the workloads.
func Run(cfg Config) ([]Result, error) {
	reps := cfg.Reps
	if reps <= 0 {
		reps = 3
	}
	rs := cfg.Rscript
	peerNote := ""
	if !cfg.NoPeer && rs == "" {
		p, err := exec.LookPath("Rscript")
		if err != nil {
			peerNote = "Rscript not found (Debian r-base-core r-cran-diptest): peer not run"
		}
		rs = p
	}
	var out []Result
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
		r := Result{Name: w.name, Title: w.title, N: w.n, ErgMS: ts[reps/2], TargetMS: w.target,
			Note: fmt.Sprintf("GOMAXPROCS %d, median of %d", runtime.GOMAXPROCS(0), reps)}
		r.Pass = w.target == 0 || r.ErgMS <= w.target
		if !cfg.NoPeer && rs != "" {
			ms, err := runR(rs, w, x)
			if err != nil {
				r.Peer = "R: " + err.Error()
			} else {
				r.Peer, r.PeerMS = "R", ms
				r.Ratio = r.ErgMS / ms
			}
		} else if peerNote != "" {
			r.Peer = peerNote
		}
		out = append(out, r)
	}
	return out, nil
}

func runR(rscript string, w workload, x []float64) (float64, error) {
	dir, err := os.MkdirTemp("", "erg-modesbench-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	data := filepath.Join(dir, "x.txt")
	f, err := os.Create(data)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(f)
	for _, v := range x {
		bw.WriteString(strconv.FormatFloat(v, 'g', 17, 64))
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	f.Close()
	var sb strings.Builder
	for _, p := range w.rpkgs {
		fmt.Fprintf(&sb, "suppressPackageStartupMessages(library(%s))\n", p)
	}
	fmt.Fprintf(&sb, "x <- scan(%q, quiet = TRUE)\nset.seed(1)\n%s\ncat(t * 1000, '\\n')\n", data, w.r)
	script := filepath.Join(dir, "bench.R")
	if err := os.WriteFile(script, []byte(sb.String()), 0o644); err != nil {
		return 0, err
	}
	o, err := exec.Command(rscript, script).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, strings.TrimSpace(string(o)))
	}
	fs := strings.Fields(string(o))
	if len(fs) == 0 {
		return 0, fmt.Errorf("no output")
	}
	return strconv.ParseFloat(fs[len(fs)-1], 64)
}
