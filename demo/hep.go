package demo

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/ergml/erg/hep/jetset"
	"github.com/ergml/erg/hep/pythia6"
)

func init() {
	Register(Step{Name: "hep", Title: "LHC jets: Pythia 6 QCD events at 14 TeV, anti-kT R=0.8 jets, jet-mass statistics", Run: hepStep})
}

// hepEvents sizes the demo's generation; tests may shorten it.
var hepEvents = 200

// hepStep builds erg's Pythia 6 driver (the first build compiles Pythia 6.4.28, about
// a minute), generates hepEvents QCD events (p̂T 550–650 GeV) in two driver processes,
// clusters anti-kT jets and writes the jet data set, as erg hep generate does.
func hepStep(ctx context.Context, dir string, opt Options) (Result, error) {
	if err := pythia6.Available(); err != nil {
		return Result{Skipped: fmt.Sprintf("%v: apt-get install gfortran hepmc3-doc, or run scripts/install-peers.sh", err)}, nil
	}
	cfg := jetset.Config{Process: pythia6.QCD, Events: hepEvents, Seed: int(opt.Seed % 1000)}
	set, err := jetset.Generate(ctx, cfg, opt.Log, nil)
	if err != nil {
		return Result{}, err
	}
	out := filepath.Join(dir, "qcd.npy")
	if err := set.Write(out); err != nil {
		return Result{}, err
	}
	m := make([]float64, set.Len())
	for i, j := range set.Jets {
		m[i] = j[jetset.ColMass]
	}
	slices.Sort(m)
	var mean, sd float64
	for _, v := range m {
		mean += v / float64(len(m))
	}
	for _, v := range m {
		sd += (v - mean) * (v - mean) / float64(max(1, len(m)-1))
	}
	sd = math.Sqrt(sd)
	q := func(p float64) float64 {
		if len(m) == 0 {
			return math.NaN()
		}
		return m[int(p*float64(len(m)-1))]
	}
	// A coarse histogram of the jet mass, 20 GeV bins up to 200 GeV.
	hist := make([]int, 11)
	for _, v := range m {
		hist[min(10, int(v/20))]++
	}
	res := Result{Numbers: map[string]any{"events": cfg.Events, "jets": set.Len(), "jets_per_event": set.Meta.JetsPerEvt,
		"mass_mean": mean, "mass_sd": sd, "mass_median": q(0.5), "mass_q10": q(0.1), "mass_q90": q(0.9),
		"mass_hist_20gev": hist, "file": out, "pythia_settings": set.Meta.Pythia[0]}}
	if len(m) > 0 {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("anti-kT R=0.8 QCD jets, 550 < pT < 650 GeV (%d jets)", len(m))
		p.X.Label.Text = "jet mass [GeV]"
		h, err := plotter.NewHist(plotter.Values(m), 30)
		if err != nil {
			return Result{}, err
		}
		p.Add(h)
		if err := p.Save(12*vg.Centimeter, 8*vg.Centimeter, filepath.Join(dir, "jet_mass.png")); err != nil {
			return Result{}, err
		}
		res.Figures = append(res.Figures, Figure{File: "jet_mass.png", Caption: "Jet mass of Pythia 6 QCD jets at 14 TeV (erg hep generate)"})
	}
	res.Headline = fmt.Sprintf("%d Pythia QCD events → %d anti-kT jets with 550 < pT < 650 GeV, |η| < 2 (%.2f per event); jet mass mean %.1f GeV, sd %.1f, median %.1f, 10–90%% %.1f–%.1f GeV; histogram (20 GeV bins to 200+) %v",
		cfg.Events, set.Len(), set.Meta.JetsPerEvt, mean, sd, q(0.5), q(0.1), q(0.9), hist)
	return res, nil
}
