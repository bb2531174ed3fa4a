package hsi

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ergml/erg/hsi/crf"
	"github.com/ergml/erg/tsc/cd"
)

// BenchConfig is erg hsi bench: models × labels per class × seeds on one scene.
type BenchConfig struct {
	Models []string // some of BenchModels
	Labels []int    // labels per class
	Seeds  int      // seeds 1..Seeds; 0 = 10
	Split  string   // "" = Disjoint
	Guard  int      // 0 = PatchRadius
	CRF    crf.Config
	// Networks (0 = their defaults): cnn1d/cnn3d epochs, ssgan steps and PCs.
	Epochs, Steps, Components int
	// Progress, if not nil, is called after each fit.
	Progress func(model string, labels int, seed uint64, oa float64)
}

// BenchModels are the model names BenchConfig accepts.
// Each network is trained once per seed and number of labels; its "+crf" variant
// refines that fit's probabilities.
var BenchModels = []string{"svm", "rf", "cnn1d", "cnn3d", "ssgan", "svm+crf", "rf+crf", "cnn1d+crf", "cnn3d+crf", "ssgan+crf"}

// BenchRow is one model at one number of labels, over the seeds.
type BenchRow struct {
	Model     string    `json:"model"`
	Labels    int       `json:"labels"`
	OA        float64   `json:"oa"`
	OASD      float64   `json:"oa_sd"`
	AA        float64   `json:"aa"`
	AASD      float64   `json:"aa_sd"`
	Kappa     float64   `json:"kappa"`
	F1        []float64 `json:"per_class_f1"`
	Seconds   float64   `json:"seconds"` // mean per seed (fit + prediction, + CRF)
	PerSeed   []float64 `json:"oa_per_seed"`
	AAPerSeed []float64 `json:"aa_per_seed"`
}

// BenchTest is a paired two-sided Wilcoxon signed-rank test of the seeds' OA of two
// models (scipy's zero_method "wilcox").
type BenchTest struct {
	A       string  `json:"a"`
	B       string  `json:"b"`
	Labels  int     `json:"labels"`
	MeanGap float64 `json:"oa_gap"` // mean OA(A) − OA(B)
	Stat    float64 `json:"w"`
	P       float64 `json:"p"`
}

// BenchReport is what Bench returns.
type BenchReport struct {
	Split string      `json:"split"`
	Seeds int         `json:"seeds"`
	Rows  []BenchRow  `json:"models"`
	Tests []BenchTest `json:"tests"`
}

// Bench fits every model of cfg on s for each number of labels and seed.
func Bench(ctx context.Context, s *Scene, cfg BenchConfig) (*BenchReport, error) {
	if cfg.Seeds == 0 {
		cfg.Seeds = 10
	}
	if cfg.Split == "" {
		cfg.Split = Disjoint
	}
	if cfg.Guard == 0 {
		cfg.Guard = PatchRadius
	}
	for _, m := range cfg.Models {
		if !slices.Contains(BenchModels, m) {
			return nil, fmt.Errorf("hsi: bench model %q: want one of %v", m, BenchModels)
		}
	}
	feat := s.Standardize()
	rep := &BenchReport{Split: cfg.Split, Seeds: cfg.Seeds}
	for _, L := range cfg.Labels {
		rows := map[string]*BenchRow{}
		for _, m := range cfg.Models {
			rows[m] = &BenchRow{Model: m, Labels: L, F1: make([]float64, len(s.Classes))}
		}
		for seed := uint64(1); seed <= uint64(cfg.Seeds); seed++ {
			sp, err := NewSplit(s, SplitConfig{Mode: cfg.Split, Labels: L, Guard: cfg.Guard, Seed: seed})
			if err != nil {
				return nil, err
			}
			for _, base := range Models {
				plain, withCRF := slices.Contains(cfg.Models, base), slices.Contains(cfg.Models, base+"+crf")
				if !plain && !withCRF {
					continue
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				res, err := FitFeatures(s, feat, sp, FitConfig{Model: base, CRF: withCRF, CRFConfig: cfg.CRF, Split: SplitConfig{Seed: seed},
					Epochs: cfg.Epochs, Steps: cfg.Steps, Components: cfg.Components, Context: ctx, Quiet: true})
				if err != nil {
					return nil, err
				}
				add := func(name string, m Metrics, secs float64) {
					r := rows[name]
					r.PerSeed = append(r.PerSeed, m.OA)
					r.AAPerSeed = append(r.AAPerSeed, m.AA)
					r.Kappa += m.Kappa / float64(cfg.Seeds)
					r.Seconds += secs / float64(cfg.Seeds)
					for k, f := range m.F1 {
						r.F1[k] += f / float64(cfg.Seeds)
					}
					if cfg.Progress != nil {
						cfg.Progress(name, L, seed, m.OA)
					}
				}
				if plain {
					add(base, res.Metrics, res.Seconds)
				}
				if withCRF {
					add(base+"+crf", *res.MetricsCRF, res.Seconds+res.CRFSeconds)
				}
			}
		}
		for _, m := range cfg.Models {
			r := rows[m]
			r.OA, r.OASD = meanSD(r.PerSeed)
			r.AA, r.AASD = meanSD(r.AAPerSeed)
			rep.Rows = append(rep.Rows, *r)
		}
		for i, a := range cfg.Models {
			for _, b := range cfg.Models[i+1:] {
				t := BenchTest{A: a, B: b, Labels: L, MeanGap: rows[a].OA - rows[b].OA, P: math.NaN()}
				if w, p, err := cd.Wilcoxon(rows[a].PerSeed, rows[b].PerSeed, cd.Wilcox); err == nil {
					t.Stat, t.P = w, p
				}
				rep.Tests = append(rep.Tests, t)
			}
		}
	}
	return rep, nil
}

func meanSD(x []float64) (float64, float64) {
	if len(x) == 0 {
		return 0, 0
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	if len(x) < 2 {
		return m, 0
	}
	var v float64
	for _, t := range x {
		v += (t - m) * (t - m)
	}
	return m, math.Sqrt(v / float64(len(x)-1))
}

// ParseModels splits a comma-separated model list.
func ParseModels(s string) []string {
	var out []string
	for _, m := range strings.Split(s, ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}
