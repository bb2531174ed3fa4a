// Package hepbench is `erg bench hep`: anti-kT clustering (package hep/jet) timed
// against FastJet C++ and go-hep's port of FastJet on the same events, with a check
// that all three give the same jets.
//
// Events: Pythia 6 QCD events at 14 TeV, p̂T 550–650 GeV (package hep/pythia6) when
// gfortran and hepmc3-doc are installed, else the 10 Pythia LHC events of Debian's
// fastjet-examples. Workloads:
//
//   - antikt: ms per event, anti-kT R = 0.8, E-scheme, all inclusive jets above
//     5 GeV; the peer is FastJet 3.4 (Debian libfastjet-dev, Best strategy) through
//     the C++ program cxx/fastjet_peer.cc, compiled at bench time by the peer script
//     bench/peers/hep.py; goal ≤ 3×.
//
//   - antikt_gohep: the same against go-hep v0.40.0's fastjet (naive N³, the only
//     strategy it implements), on the first GoHepEvents events.
//
//   - cd_step: one training step of erg hep train's MLP energy (CD, K = 24 Langevin
//     steps, batch 128, Adam, clipping) against the same step in PyTorch (hep.py
//     --cd, 2 threads); goal ≤ 1.5×.
//
// Each side reports its fastest of Reps passes. The extra figures say how many events
// matched go-hep and FastJet (jet pTs to 1e-9 relative).
package hepbench

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go-hep.org/x/hep/fastjet"

	"github.com/gomlx/compute"

	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/hep/jet"
	"github.com/ergml/erg/hep/jetebm"
	"github.com/ergml/erg/hep/pythia6"
)

// PeerScript is the suite's peer script in package bench/peers.
const PeerScript = "hep.py"

// FastJetSource is the C++ FastJet peer program.
//
//go:embed cxx/fastjet_peer.cc
var FastJetSource []byte

// FastJetExamples is the fastjet-examples file used when Pythia is not available.
const FastJetExamples = "/usr/share/doc/fastjet-examples/examples/Pythia-PtMin1000-LHC-10ev.dat"

// Options configures Run.
type Options struct {
	Events      int // Pythia events (default 200)
	Seed        int // Pythia seed (default 1)
	Reps        int // timed passes per side (default 5)
	GoHepEvents int // events clustered by go-hep (default 20; N³ is slow)
	NoPeer      bool
	PeerScript  string // override of the embedded hep.py
	NoCD        bool   // skip the CD-step workload
	Backend     compute.Backend
}

// CD-step workload size: the paper's MLP energy, batch 128, K = 24.
const (
	CDBatch = 128
	CDK     = 24
)

// Tolerance is the relative pT tolerance of the jet comparisons.
const Tolerance = 1e-9

const (
	radius = 0.8
	ptMin  = 5.0
)

// Run runs the suite.
func Run(ctx context.Context, opt Options) (*bench.Report, error) {
	if opt.Events == 0 {
		opt.Events = 200
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Reps == 0 {
		opt.Reps = 5
	}
	if opt.GoHepEvents == 0 {
		opt.GoHepEvents = 20
	}
	rep := bench.Start("hep", "erg hep/jet anti-kT (N2Plain), float64")
	events, source, err := loadEvents(ctx, opt)
	if err != nil {
		return nil, err
	}
	npart := 0
	for _, e := range events {
		npart += len(e)
	}
	rep.SetExtra("events", len(events))
	rep.SetExtra("mean_particles", float64(npart)/float64(len(events)))
	rep.Notes = append(rep.Notes, fmt.Sprintf("events: %s, %d events, %.0f particles on average", source, len(events), float64(npart)/float64(len(events))))

	// erg.
	var c jet.Clusterer
	c.Def = jet.AntiKt(radius)
	ours := make([][]jet.Jet, len(events))
	best := math.Inf(1)
	for r := range opt.Reps {
		t0 := time.Now()
		for i, e := range events {
			js := c.Cluster(e, ptMin)
			if r == 0 {
				ours[i] = js
			}
		}
		best = min(best, float64(time.Since(t0))/1e6/float64(len(events)))
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	rep.Add(bench.Figure{Name: "antikt", Title: "anti-kT R=0.8 E-scheme, ms/event vs FastJet C++", ErgMS: best, Goal: 3})

	// go-hep.
	ng := min(opt.GoHepEvents, len(events))
	t0 := time.Now()
	match := 0
	for i := range ng {
		pts, err := goHep(events[i])
		if err != nil {
			return nil, err
		}
		if samePts(ours[i], pts) {
			match++
		}
	}
	gms := float64(time.Since(t0)) / 1e6 / float64(ng)
	ergSub := 0.0
	{
		t0 := time.Now()
		for i := range ng {
			c.Cluster(events[i], ptMin)
		}
		ergSub = float64(time.Since(t0)) / 1e6 / float64(ng)
	}
	rep.Add(bench.Figure{Name: "antikt_gohep", Title: fmt.Sprintf("anti-kT vs go-hep v0.40.0 fastjet (N3Dumb), ms/event, %d events", ng), ErgMS: ergSub, PeerMS: gms, Ratio: ergSub / gms})
	rep.SetExtra("match_gohep", match)
	rep.SetExtra("match_gohep_of", ng)

	if !opt.NoCD && opt.Backend != nil {
		ms, err := jetebm.BenchCDStep(opt.Backend, CDBatch, CDK, 3, 3, 5)
		if err != nil {
			return nil, err
		}
		rep.Add(bench.Figure{Name: "cd_step", Title: fmt.Sprintf("CD step, MLP 120-512-512-128-64-1, batch %d, K=%d, ms vs PyTorch (2 threads)", CDBatch, CDK), ErgMS: ms, Goal: 1.5})
	}

	// FastJet C++ (and PyTorch) through the peer script.
	if opt.NoPeer {
		rep.PeerError = bench.NoPeer
	} else {
		dir, err := os.MkdirTemp("", "erg-bench-hep-*")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		evf, src, jout := filepath.Join(dir, "events.txt"), filepath.Join(dir, "fastjet_peer.cc"), filepath.Join(dir, "jets.txt")
		if err := writeEvents(evf, events); err != nil {
			return nil, err
		}
		if err := os.WriteFile(src, FastJetSource, 0o644); err != nil {
			return nil, err
		}
		args := []string{"--fastjet-src", src, "--events", evf, "--jets-out", jout, "--reps", strconv.Itoa(opt.Reps),
			"--R", fmt.Sprint(radius), "--ptmin", fmt.Sprint(ptMin)}
		if !opt.NoCD && opt.Backend != nil {
			args = append(args, "--cd", "--cd-batch", strconv.Itoa(CDBatch), "--cd-steps", strconv.Itoa(CDK))
		}
		p, err := bench.RunPeer(ctx, bench.Peer{Script: PeerScript, Path: opt.PeerScript, Args: args, Timeout: 10 * time.Minute})
		// SetPeer overwrites nothing but peer figures; keep go-hep's row.
		g := rep.Figures[1]
		rep.SetPeer(p, err)
		rep.Figures[1] = g
		if err == nil {
			fj, err := readPts(jout)
			if err != nil {
				return nil, err
			}
			m := 0
			for i := range events {
				if i < len(fj) && samePts(ours[i], fj[i]) {
					m++
				}
			}
			rep.SetExtra("match_fastjet", m)
			rep.SetExtra("match_fastjet_of", len(events))
		}
	}
	if f := rep.Figures[0]; f.Ratio > 0 {
		rep.SetExtra("ratio_fastjet", f.Ratio)
	}
	rep.Finish()
	return rep, nil
}

func loadEvents(ctx context.Context, opt Options) ([][][4]float64, string, error) {
	if err := pythia6.Available(); err == nil {
		exe, err := pythia6.Build(ctx, os.Stderr)
		if err != nil {
			return nil, "", err
		}
		var evs [][][4]float64
		cfg := pythia6.Config{Process: pythia6.QCD, Events: opt.Events, Seed: opt.Seed, PtMin: 550, PtMax: 650, ECM: 14000}
		if _, err := pythia6.Run(ctx, exe, cfg, func(ev *pythia6.Event) error {
			evs = append(evs, append([][4]float64(nil), ev.Particles...))
			return nil
		}); err != nil {
			return nil, "", err
		}
		return evs, fmt.Sprintf("Pythia 6.4.28 QCD, 14 TeV, p̂T 550-650 GeV, seed %d", opt.Seed), nil
	}
	evs, err := ReadEvents(FastJetExamples)
	if err != nil {
		return nil, "", fmt.Errorf("hepbench: no events: Pythia unavailable (%v) and %v (Debian fastjet-examples)", pythia6.Available(), err)
	}
	return evs, FastJetExamples, nil
}

// ReadEvents reads FastJet's example event format: "px py pz E" lines, events
// separated by "#END", other "#" lines ignored.
func ReadEvents(path string) ([][][4]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var evs [][][4]float64
	var cur [][4]float64
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(l, "#END"):
			evs = append(evs, cur)
			cur = nil
			continue
		case l == "" || strings.HasPrefix(l, "#"):
			continue
		}
		fs := strings.Fields(l)
		if len(fs) < 4 {
			return nil, fmt.Errorf("%s:%d: %d numbers, want px py pz E", path, line, len(fs))
		}
		var p [4]float64
		for i := range p {
			if p[i], err = strconv.ParseFloat(fs[i], 64); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
		}
		cur = append(cur, p)
	}
	if len(cur) > 0 {
		evs = append(evs, cur)
	}
	return evs, sc.Err()
}

func writeEvents(path string, events [][][4]float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, e := range events {
		for _, p := range e {
			fmt.Fprintf(w, "%.17g %.17g %.17g %.17g\n", p[0], p[1], p[2], p[3])
		}
		fmt.Fprintln(w, "#END")
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readPts(path string) ([][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][]float64
	var cur []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "#END" {
			out = append(out, cur)
			cur = nil
			continue
		}
		v, err := strconv.ParseFloat(l, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		cur = append(cur, v)
	}
	return out, sc.Err()
}

func goHep(parts [][4]float64) ([]float64, error) {
	in := make([]fastjet.Jet, len(parts))
	for i, p := range parts {
		in[i] = fastjet.NewJet(p[0], p[1], p[2], p[3])
	}
	def := fastjet.NewJetDefinition(fastjet.AntiKtAlgorithm, radius, fastjet.EScheme, fastjet.N3DumbStrategy)
	cs, err := fastjet.NewClusterSequence(in, def)
	if err != nil {
		return nil, err
	}
	js, err := cs.InclusiveJets(ptMin)
	if err != nil {
		return nil, err
	}
	pts := make([]float64, len(js))
	for i := range js {
		pts[i] = js[i].Pt()
	}
	sortDesc(pts)
	return pts, nil
}

func sortDesc(x []float64) {
	for i := 1; i < len(x); i++ {
		for j := i; j > 0 && x[j] > x[j-1]; j-- {
			x[j], x[j-1] = x[j-1], x[j]
		}
	}
}

func samePts(js []jet.Jet, pts []float64) bool {
	if len(js) != len(pts) {
		return false
	}
	for i, j := range js {
		if !(math.Abs(j.Pt()-pts[i]) <= Tolerance*pts[i]) {
			return false
		}
	}
	return true
}
