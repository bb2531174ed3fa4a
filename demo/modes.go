package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ergml/erg/modes"
	"github.com/ergml/erg/modes/bts"
	"github.com/ergml/erg/modes/marronwand"
	"github.com/ergml/erg/modes/mixture"
	"github.com/ergml/erg/modes/modeplot"
	"github.com/ergml/erg/modes/modetest"
	"github.com/ergml/erg/modes/rdata"
)

func init() {
	Register(Step{Name: "modes", Title: "Number of modes (paper 06): Bayesian taut spline, sparse mixture and dip test on the galaxy velocities", Run: modesStep})
}

// modesMCMC sets the chain lengths of the modes step: bts chains × (burn + draws) and
// mixture chains × iterations, those of erg modes case (on the 82 galaxies both
// samplers together take under 2 s here); tests may shorten them.
var modesMCMC = struct{ Chains, Burn, Draws, MixChains, MixIter int }{Chains: 4, Burn: 500, Draws: 1000, MixChains: 2, MixIter: 2000}

// modesData returns the galaxy velocities (MASS::galaxies, exported with Rscript), or,
// when R is missing, a sample of n=200 from Marron–Wand density #6 (bimodal), with a note.
func modesData(seed uint64) (x []float64, name, label, note string, err error) {
	x, err = rdata.Load("galaxies", "velocity")
	if err == nil {
		st, _ := rdata.Lookup("galaxies")
		return x, "galaxies", "velocity (km/s)", st.Desc, nil
	}
	if !errors.Is(err, rdata.ErrNoR) {
		return nil, "", "", "", err
	}
	d, derr := marronwand.Get(6)
	if derr != nil {
		return nil, "", "", "", derr
	}
	x = d.Sample(200, rand.New(rand.NewPCG(seed, 6)))
	note = fmt.Sprintf("R not available (%v): galaxies replaced by n=200 from Marron–Wand #6 %s (%d modes)", err, d.Name, d.Modes())
	return x, "marronwand6", "x", note, nil
}

// topK returns "P(k)=p" for the n most probable k, most probable first.
func topK(ks []int, post []float64, n int) string {
	idx := make([]int, len(post))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return post[idx[a]] > post[idx[b]] })
	var s []string
	for _, i := range idx[:min(n, len(idx))] {
		s = append(s, fmt.Sprintf("P(%d)=%.2f", ks[i], post[i]))
	}
	return strings.Join(s, ", ")
}

func modesStep(ctx context.Context, dir string, opt Options) (Result, error) {
	x, name, label, note, err := modesData(opt.Seed)
	if err != nil {
		return Result{}, err
	}
	res := Result{Numbers: map[string]any{"data": name, "n": len(x), "source": note}}
	mc := modesMCMC
	br, err := bts.Fit(x, bts.Config{Chains: mc.Chains, Burn: mc.Burn, Draws: mc.Draws, Seed: opt.Seed})
	if err != nil {
		return res, fmt.Errorf("%s: bts: %w", name, err)
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	mr, err := mixture.Fit(x, mixture.Config{Chains: mc.MixChains, Iter: mc.MixIter, Seed: opt.Seed})
	if err != nil {
		return res, fmt.Errorf("%s: mixture: %w", name, err)
	}
	dip := modetest.Dip(x, modetest.Config{DipTable: true})

	var locs []float64
	for _, e := range modes.PruneModes(br.X, br.Median, 1/float64(len(x))) {
		if e.Mode {
			locs = append(locs, e.X)
		}
	}
	kmax := min(8, len(br.K))
	res.Numbers["bayes"] = map[string]any{"k": br.K[:kmax], "posterior": br.Posterior[:kmax], "prior": br.Prior[:kmax],
		"modes": br.Modes, "mode_locations": locs, "rhat": br.RHat, "ess": br.ESS, "chains": mc.Chains, "burn": mc.Burn, "draws": mc.Draws}
	res.Numbers["mixture"] = map[string]any{"k": mr.K, "posterior": mr.Posterior, "modes": mr.Modes,
		"p_multimodal": mr.PMultimodal, "rhat": mr.RHat, "ess": mr.ESS, "chains": mc.MixChains, "iter": mc.MixIter}
	res.Numbers["dip"] = map[string]float64{"statistic": dip.Statistic, "p_value": dip.PValue}

	figs := []struct {
		file, caption string
		draw          func(p string) error
	}{
		{"density.png", "Bayesian taut spline: posterior median density with 95% credible band and its modes", func(p string) error {
			return modeplot.Density(p, modeplot.DensityFig{
				Title:  fmt.Sprintf("%s: Bayesian taut spline (%d modes most probable), n=%d", name, br.Modes, len(x)),
				XLabel: label, Data: x,
				Band:   &modeplot.Band{Name: "95% credible band", X: br.X, Lo: br.Lo, Hi: br.Hi},
				Curves: []modeplot.Curve{{Name: "posterior median", X: br.X, Y: br.Median}}, Modes: locs})
		}},
		{"posterior_k.png", "Bayesian taut spline: posterior over the number of modes against its prior", func(p string) error {
			return modeplot.PosteriorK(p, name+": number of modes (taut spline)", br.K[:kmax], br.Posterior[:kmax], br.Prior[:kmax])
		}},
		{"mixture.png", "Sparse finite Gaussian mixture: posterior median density with 95% band", func(p string) error {
			return modeplot.Density(p, modeplot.DensityFig{
				Title:  fmt.Sprintf("%s: sparse finite mixture (%d modes most probable)", name, mr.Modes),
				XLabel: label, Data: x,
				Band:   &modeplot.Band{Name: "95% credible band", X: mr.X, Lo: mr.Lo, Hi: mr.Hi},
				Curves: []modeplot.Curve{{Name: "posterior median", X: mr.X, Y: mr.Median}}})
		}},
		{"mixture_k.png", "Sparse finite mixture: posterior over the number of modes", func(p string) error {
			return modeplot.PosteriorK(p, name+": number of modes (mixture)", mr.K, mr.Posterior, nil)
		}},
	}
	for _, f := range figs {
		if err := f.draw(filepath.Join(dir, f.file)); err != nil {
			return res, fmt.Errorf("%s: %w", f.file, err)
		}
		res.Figures = append(res.Figures, Figure{File: f.file, Caption: f.caption})
	}
	res.Headline = fmt.Sprintf("%s (n=%d): taut spline %s [%d chains × %d draws]; mixture %s [%d × %d iterations]; dip test of unimodality p=%.3g (D=%.4f)",
		name, len(x), topK(br.K, br.Posterior, 3), mc.Chains, mc.Draws, topK(mr.K, mr.Posterior, 3), mc.MixChains, mc.MixIter, dip.PValue, dip.Statistic)
	if name != "galaxies" {
		res.Headline = note + ". " + res.Headline
	}
	return res, nil
}
