package casestudy

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/modes"
	"github.com/ergml/erg/modes/bts"
	"github.com/ergml/erg/modes/kde"
	"github.com/ergml/erg/modes/mixture"
	"github.com/ergml/erg/modes/modeplot"
	"github.com/ergml/erg/modes/modetest"
)

// Config configures Run. Zero values: B = 500, seed 0, bts with 4 chains of 500 + 1000
// draws, default mixture settings (2 chains of 2000 iterations).
type Config struct {
	Name, Column, Source string
	B                    int
	Seed                 uint64
	Workers              int
	Bayes                bts.Config
	Mixture              mixture.Config
	SkipMixture          bool
}

// Summary is what summary.json holds.
type Summary struct {
	Name          string             `json:"name"`
	Source        string             `json:"source"`
	N             int                `json:"n"`
	Critical      []float64          `json:"critical_bandwidths"`
	SJ            float64            `json:"bw_sj"`
	Tests         []modetest.Result  `json:"tests"`
	Bayes         *bts.Result        `json:"bayes"`
	BayesModeLocs []float64          `json:"bayes_mode_locations_map"`
	Mixture       *mixture.Result    `json:"mixture,omitempty"`
	Files         []string           `json:"files"`
	Extra         map[string]float64 `json:"extra,omitempty"`
}

// Run analyses x and writes the report into dir.
func Run(x []float64, dir string, cfg Config) (*Summary, error) {
	if err := modes.Check(x); err != nil {
		return nil, err
	}
	if cfg.B <= 0 {
		cfg.B = 500
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Summary{Name: cfg.Name, Source: cfg.Source, N: len(x)}
	g := kde.Grid{N: 1024}
	for k := 1; k <= 5; k++ {
		s.Critical = append(s.Critical, kde.CriticalBandwidth(x, k, kde.CritConfig{Grid: g}))
	}
	if h, err := kde.SheatherJones(x, kde.SJConfig{}); err == nil {
		s.SJ = h
	}
	tc := modetest.Config{B: cfg.B, Seed: cfg.Seed, Workers: cfg.Workers}
	for k := 1; k <= 3; k++ {
		for _, m := range []modetest.Method{modetest.MethodSilverman, modetest.MethodACR} {
			r, err := modetest.Test(m, x, k, tc)
			if err != nil {
				return nil, err
			}
			s.Tests = append(s.Tests, r)
		}
	}
	s.Tests = append(s.Tests, modetest.Dip(x, modetest.Config{DipTable: true}))
	bc := cfg.Bayes
	if bc.Seed == 0 {
		bc.Seed = cfg.Seed
	}
	if bc.Burn == 0 && bc.Draws == 0 { // a report can afford longer chains than bts's default
		bc.Burn, bc.Draws = 500, 1000
	}
	bc.Workers = cfg.Workers
	br, err := bts.Fit(x, bc)
	if err != nil {
		return nil, err
	}
	s.Bayes = br
	// mode locations of the posterior median density (bumps lighter than one observation
	// pruned, as for the draws)
	for _, e := range modes.PruneModes(br.X, br.Median, 1/float64(len(x))) {
		if e.Mode {
			s.BayesModeLocs = append(s.BayesModeLocs, e.X)
		}
	}
	label := cfg.Column
	if label == "" {
		label = "x"
	}
	file := func(n string) string {
		p := filepath.Join(dir, n)
		s.Files = append(s.Files, p)
		return p
	}
	h := s.Critical[br.Modes-1]
	est := kde.Density(x, h, g)
	if err := modeplot.Density(file("density.png"), modeplot.DensityFig{
		Title:  fmt.Sprintf("%s: Bayesian taut spline, posterior median and 95%% band (n=%d)", cfg.Name, len(x)),
		XLabel: label, Data: x,
		Band:   &modeplot.Band{Name: "95% credible band", X: br.X, Lo: br.Lo, Hi: br.Hi},
		Curves: []modeplot.Curve{{Name: "posterior median", X: br.X, Y: br.Median}, {Name: fmt.Sprintf("KDE at h_%d", br.Modes), X: est.X, Y: est.Y}},
		Modes:  s.BayesModeLocs,
	}); err != nil {
		return nil, err
	}
	kmax := min(8, len(br.K))
	if err := modeplot.PosteriorK(file("posterior_k.png"), fmt.Sprintf("%s: number of modes", cfg.Name),
		br.K[:kmax], br.Posterior[:kmax], br.Prior[:kmax]); err != nil {
		return nil, err
	}
	locs := weightedResample(br.ModeLocations, br.ModeWeights, 20000)
	if err := modeplot.Histogram(file("mode_locations.png"), fmt.Sprintf("%s: posterior of mode locations", cfg.Name),
		label, locs, 80, x); err != nil {
		return nil, err
	}
	tree := kde.NewModeTree(x, 0, 0, 120, 5, g)
	if err := modeplot.ModeTree(file("modetree.png"), fmt.Sprintf("%s: mode tree", cfg.Name), tree); err != nil {
		return nil, err
	}
	if !cfg.SkipMixture {
		mc := cfg.Mixture
		if mc.Seed == 0 {
			mc.Seed = cfg.Seed
		}
		mc.Workers = cfg.Workers
		mr, err := mixture.Fit(x, mc)
		if err != nil {
			return nil, err
		}
		s.Mixture = mr
		if err := modeplot.Density(file("mixture.png"), modeplot.DensityFig{
			Title:  fmt.Sprintf("%s: sparse finite mixture, posterior median and 95%% band", cfg.Name),
			XLabel: label, Data: x,
			Band:   &modeplot.Band{Name: "95% credible band", X: mr.X, Lo: mr.Lo, Hi: mr.Hi},
			Curves: []modeplot.Curve{{Name: "posterior median", X: mr.X, Y: mr.Median}},
		}); err != nil {
			return nil, err
		}
	}
	js, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(file("summary.json"), js); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(file("report.md"), []byte(markdown(s, label))); err != nil {
		return nil, err
	}
	return s, nil
}

func weightedResample(v, w []float64, n int) []float64 {
	if len(v) == 0 {
		return nil
	}
	tot := 0.0
	for _, x := range w {
		tot += x
	}
	if tot == 0 {
		return nil
	}
	// systematic resampling (deterministic)
	out := make([]float64, 0, n)
	step := tot / float64(n)
	u := step / 2
	c := 0.0
	for i, x := range v {
		c += w[i]
		for u < c && len(out) < n {
			out = append(out, x)
			u += step
		}
	}
	return out
}

func markdown(s *Summary, label string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Modes of %s (%s)\n\n", s.Name, label)
	if s.Source != "" {
		fmt.Fprintf(&b, "Data: %s, n = %d.\n\n", s.Source, s.N)
	}
	br := s.Bayes
	fmt.Fprintf(&b, "## Bayesian taut spline\n\nMost probable number of modes: **%d**; knots %d (taut string: %d modes).\n\n", br.Modes, len(br.Knots), br.TautModes)
	b.WriteString("| k | prior | posterior | Bayes factor k vs k+1 |\n|---|---|---|---|\n")
	for i := 0; i < min(8, len(br.K)); i++ {
		bf := "-"
		if i < len(br.BayesFactors) && !math.IsNaN(br.BayesFactors[i]) {
			bf = fmt.Sprintf("%.3g", br.BayesFactors[i])
		}
		fmt.Fprintf(&b, "| %d | %.3f | %.3f | %s |\n", br.K[i], br.Prior[i], br.Posterior[i], bf)
	}
	fmt.Fprintf(&b, "\nModes of the posterior median density: %s.\n\n", list(s.BayesModeLocs))
	fmt.Fprintf(&b, "Convergence (%d draws, HMC acceptance %.2f): ", br.Draws, br.Accept)
	for _, k := range []string{"log_posterior", "log_tau", "n_modes"} {
		fmt.Fprintf(&b, "%s R̂ = %.3f, ESS = %.0f; ", k, br.RHat[k], br.ESS[k])
	}
	b.WriteString("\n\n![density](density.png)\n![posterior](posterior_k.png)\n![locations](mode_locations.png)\n\n")
	if m := s.Mixture; m != nil {
		fmt.Fprintf(&b, "## Sparse finite mixture (BayesMultiMode-type)\n\nMost probable number of modes: **%d**; P(multimodal) = %.3f.\n\n| k | posterior |\n|---|---|\n", m.Modes, m.PMultimodal)
		for i := 0; i < min(8, len(m.K)); i++ {
			fmt.Fprintf(&b, "| %d | %.3f |\n", m.K[i], m.Posterior[i])
		}
		fmt.Fprintf(&b, "\nConvergence: loglik R̂ = %.3f, ESS = %.0f; n_modes R̂ = %.3f, ESS = %.0f.\n\n![mixture](mixture.png)\n\n",
			m.RHat["loglik"], m.ESS["loglik"], m.RHat["n_modes"], m.ESS["n_modes"])
	}
	b.WriteString("## Kernel estimate and tests\n\n")
	fmt.Fprintf(&b, "Critical bandwidths h_1..h_5: %s; Sheather–Jones %.4g.\n\n", list(s.Critical), s.SJ)
	b.WriteString("| test | H0: k modes | statistic | p-value |\n|---|---|---|---|\n")
	for _, t := range s.Tests {
		fmt.Fprintf(&b, "| %s | %d | %s = %.4g | %.3f |\n", t.Method, t.K, t.Name, t.Statistic, t.PValue)
	}
	b.WriteString("\n![mode tree](modetree.png)\n")
	return b.String()
}

func list(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.4g", x)
	}
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}
