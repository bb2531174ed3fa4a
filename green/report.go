package green

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/ergml/erg/green/rankstat"
)

// ReportConfig are the knobs of a report. Zero values are documented defaults.
type ReportConfig struct {
	// IdleShare is the second power model's idle power as a share of a busy logical
	// CPU's power (0: DefaultIdleShare).
	IdleShare float64
	// MaxLoss is the accuracy a cheaper configuration may lose in the largest
	// reduction, as a fraction (0: 0.01, one point).
	MaxLoss float64
}

// DefaultIdleShare is the second power model's idle share: an idle logical CPU
// draws 30% of a busy one (a typical server's idle-to-peak ratio is 0.2–0.5).
const DefaultIdleShare = 0.3

// Config is one (model, environment) of a study: the medians over its seeds.
type Config struct {
	ID         string   `json:"id"` // model-<env tag>
	Model      string   `json:"model"`
	Env        Env      `json:"env"`
	Runs       int      `json:"runs"`
	Accuracy   float64  `json:"median_test_accuracy"`
	MacroF1    float64  `json:"median_macro_f1"`
	Joules     float64  `json:"median_joules"`
	JPerImage  float64  `json:"median_j_per_image"`
	CPUSeconds float64  `json:"median_cpu_s"`
	Wall       float64  `json:"median_wall_s"`
	AltJoules  float64  `json:"median_joules_alt"` // under the second power model
	FLOPs      int64    `json:"flops"`
	Params     int64    `json:"params"`
	RunDirs    []string `json:"run_dirs"`
}

// ModelMedian is a model's median energy in the base environment.
type ModelMedian struct {
	Model      string  `json:"model"`
	Runs       int     `json:"runs"`
	Joules     float64 `json:"median_joules"`
	CPUSeconds float64 `json:"median_cpu_s"`
	Accuracy   float64 `json:"median_test_accuracy"`
	FLOPs      int64   `json:"flops"`
}

// RQ1 is the architecture question: does the model change the energy?
type RQ1 struct {
	BaseEnv string         `json:"base_env"`
	Models  []ModelMedian  `json:"models"` // by median energy, cheapest first
	Kruskal *rankstat.Test `json:"kruskal_wallis,omitempty"`
	Flops   *rankstat.Test `json:"spearman_energy_flops,omitempty"` // over runs
	Params  *rankstat.Test `json:"spearman_energy_params,omitempty"`
	Note    string         `json:"note,omitempty"`
	alt     []ModelMedian  // the same order under the second power model
	altKW   *rankstat.Test
}

// FactorEffect is the effect of one environment factor's level against the base
// level on one model's energy (all other factors pooled, as the design balances them).
type FactorEffect struct {
	Model  string `json:"model"`
	Factor string `json:"factor"`
	Base   string `json:"base_level"`
	Level  string `json:"level"`
	NBase  int    `json:"n_base"`
	NLevel int    `json:"n_level"`
	// Ratio is median J at Level / median J at Base (< 1: Level is cheaper).
	Ratio     float64 `json:"median_ratio"`
	AltRatio  float64 `json:"median_ratio_alt"`
	CPURatio  float64 `json:"median_cpu_ratio"`
	WallRatio float64 `json:"median_wall_ratio"`
	DeltaAcc  float64 `json:"median_accuracy_change"`
	// MannWhitney of J at Level against J at Base; A12 the probability that a run at
	// Level uses more energy than one at Base; Cliff's δ = 2·A12 − 1.
	MannWhitney rankstat.Test `json:"mann_whitney"`
	A12         float64       `json:"vargha_delaney_a12"`
	Cliff       float64       `json:"cliffs_delta"`
	Magnitude   string        `json:"magnitude"`
	AltP        float64       `json:"mann_whitney_p_alt"`
	AltA12      float64       `json:"vargha_delaney_a12_alt"`
	Flipped     bool          `json:"flipped"` // the second power model reverses the direction
}

// SkippedLevel is a factor level that could not run here.
type SkippedLevel struct {
	Factor string `json:"factor"`
	Level  string `json:"level"`
	Cells  int    `json:"cells"`
	Reason string `json:"reason"`
}

// Reduction is the largest energy reduction between two configurations at most
// MaxLoss less accurate.
type Reduction struct {
	From      string   `json:"from"` // the costlier configuration
	To        string   `json:"to"`   // the cheaper one
	FromJ     float64  `json:"from_median_joules"`
	ToJ       float64  `json:"to_median_joules"`
	FromAcc   float64  `json:"from_median_accuracy"`
	ToAcc     float64  `json:"to_median_accuracy"`
	Reduction float64  `json:"reduction"` // 1 − ToJ/FromJ
	FromRuns  []string `json:"from_runs"`
	ToRuns    []string `json:"to_runs"`
}

// PowerModel names an energy model and how it is computed.
type PowerModel struct {
	Name   string `json:"name"`
	Method string `json:"method"`
}

// Report is the analysis of a study CSV.
type Report struct {
	CSV       string     `json:"csv"`
	Rows      int        `json:"rows"`
	OK        int        `json:"ok"`
	Skipped   int        `json:"skipped"`
	Failed    int        `json:"failed"`
	Label     string     `json:"energy_label"`  // "estimated", "measured" or "mixed"
	Method    string     `json:"energy_method"` // the meter's method (distinct methods joined)
	Primary   PowerModel `json:"power_model"`
	Alt       PowerModel `json:"alt_power_model"`
	CPUHours  float64    `json:"cpu_hours"` // core-hours of the finished runs
	WallHours float64    `json:"wall_hours"`

	Configs       []Config       `json:"configs"`
	Pareto        []string       `json:"pareto_front"` // configuration ids, cheapest first
	AltPareto     []string       `json:"pareto_front_alt"`
	RQ1           RQ1            `json:"rq1"`
	RQ2           []FactorEffect `json:"rq2"`
	SkippedLevels []SkippedLevel `json:"skipped_levels"`
	Largest       *Reduction     `json:"largest_reduction,omitempty"`
	AltLargest    *Reduction     `json:"largest_reduction_alt,omitempty"`
	Flips         []string       `json:"flips"` // conclusions the second power model changes
	Notes         []string       `json:"notes"`
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := slices.Clone(x)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// AltJoules is a row's energy under the second power model: the machine's idle
// power (idle × W per logical CPU × the machine's logical CPUs) for the run's wall
// time, plus the dynamic power ((1 − idle) × W) for each CPU-second, plus the row's
// memory term (its J minus W × CPU s). Only estimated rows are re-modelled; a
// measured row keeps its J.
func AltJoules(r Row, idle float64) float64 {
	if r.EnergyStatus != "estimated" || !(r.WattsPerCore > 0) {
		return r.Joules
	}
	cpus := float64(max(r.MachineCPUs, 1))
	mem := math.Max(0, r.Joules-r.WattsPerCore*r.CPUSeconds)
	return r.WattsPerCore*(idle*cpus*r.WallSeconds+(1-idle)*r.CPUSeconds) + mem
}

func envOf(r Row) Env {
	return Env{Threads: r.Threads, DType: r.DType, Batch: r.Batch, Backend: r.Backend}
}

// Analyze computes the report of a study's rows.
func Analyze(rows []Row, cfg ReportConfig) (*Report, error) {
	if cfg.IdleShare == 0 {
		cfg.IdleShare = DefaultIdleShare
	}
	if cfg.MaxLoss == 0 {
		cfg.MaxLoss = 0.01
	}
	if cfg.IdleShare < 0 || cfg.IdleShare >= 1 {
		return nil, fmt.Errorf("green: idle share %v: want [0, 1)", cfg.IdleShare)
	}
	rep := &Report{Rows: len(rows), Flips: []string{}, Notes: []string{}, SkippedLevels: []SkippedLevel{}, RQ2: []FactorEffect{}}
	var ok []Row
	methods, labels := []string{}, []string{}
	for _, r := range rows {
		switch r.Status {
		case StatusOK:
			ok = append(ok, r)
			if !slices.Contains(methods, r.EnergyMethod) {
				methods = append(methods, r.EnergyMethod)
			}
			if !slices.Contains(labels, r.EnergyStatus) {
				labels = append(labels, r.EnergyStatus)
			}
			rep.CPUHours += r.CPUSeconds / 3600
			rep.WallHours += r.WallSeconds / 3600
		case StatusSkipped:
			rep.Skipped++
		case StatusFailed:
			rep.Failed++
		}
	}
	rep.OK = len(ok)
	if len(ok) == 0 {
		return rep, errNoRows
	}
	rep.Label = strings.Join(labels, "+")
	if len(labels) > 1 {
		rep.Label = "mixed"
	}
	rep.Method = strings.Join(methods, " | ")
	rep.Primary = PowerModel{Name: "meter", Method: "erg's meter as recorded: " + rep.Method}
	rep.Alt = PowerModel{Name: "idle+dynamic", Method: fmt.Sprintf(
		"W × (%.2g × machine CPUs × wall s + %.2g × CPU s) + the RAM term, W the meter's power per busy logical CPU (estimated rows only)", cfg.IdleShare, 1-cfg.IdleShare)}
	alt := func(r Row) float64 { return AltJoules(r, cfg.IdleShare) }

	// configurations
	byID := map[string]*Config{}
	var order []string
	vals := map[string][][]float64{}
	for _, r := range ok {
		e := envOf(r)
		id := r.Model + "-" + e.Tag()
		c, seen := byID[id]
		if !seen {
			c = &Config{ID: id, Model: r.Model, Env: e, FLOPs: r.FLOPs, Params: r.Params}
			byID[id] = c
			order = append(order, id)
			vals[id] = make([][]float64, 7)
		}
		c.Runs++
		c.RunDirs = append(c.RunDirs, r.RunDir)
		v := vals[id]
		for i, x := range []float64{r.TestAccuracy, r.MacroF1, r.Joules, r.JPerImage, r.CPUSeconds, r.WallSeconds, alt(r)} {
			v[i] = append(v[i], x)
		}
	}
	for _, id := range order {
		c, v := byID[id], vals[id]
		c.Accuracy, c.MacroF1, c.Joules, c.JPerImage = median(v[0]), median(v[1]), median(v[2]), median(v[3])
		c.CPUSeconds, c.Wall, c.AltJoules = median(v[4]), median(v[5]), median(v[6])
		rep.Configs = append(rep.Configs, *c)
	}
	sort.SliceStable(rep.Configs, func(i, j int) bool { return rep.Configs[i].Joules < rep.Configs[j].Joules })
	rep.Pareto = pareto(rep.Configs, func(c Config) float64 { return c.Joules })
	rep.AltPareto = pareto(rep.Configs, func(c Config) float64 { return c.AltJoules })
	if !slices.Equal(rep.Pareto, rep.AltPareto) {
		rep.Flips = append(rep.Flips, fmt.Sprintf("Pareto front: %s under the meter, %s under idle+dynamic",
			strings.Join(rep.Pareto, ", "), strings.Join(rep.AltPareto, ", ")))
	}
	rep.Largest = largest(rep.Configs, cfg.MaxLoss, func(c Config) float64 { return c.Joules })
	rep.AltLargest = largest(rep.Configs, cfg.MaxLoss, func(c Config) float64 { return c.AltJoules })
	if rep.Largest != nil && rep.AltLargest != nil && (rep.Largest.From != rep.AltLargest.From || rep.Largest.To != rep.AltLargest.To) {
		rep.Flips = append(rep.Flips, fmt.Sprintf("largest reduction at ≤ %.3g points: %s → %s (%.1f%%) under the meter, %s → %s (%.1f%%) under idle+dynamic",
			100*cfg.MaxLoss, rep.Largest.From, rep.Largest.To, 100*rep.Largest.Reduction, rep.AltLargest.From, rep.AltLargest.To, 100*rep.AltLargest.Reduction))
	}

	rep.RQ1 = rq1(ok, alt)
	if a, b := modelOrder(rep.RQ1.Models), modelOrder(rep.RQ1.alt); !slices.Equal(a, b) {
		rep.Flips = append(rep.Flips, fmt.Sprintf("RQ1 ranking of architectures by median energy: %s under the meter, %s under idle+dynamic",
			strings.Join(a, " < "), strings.Join(b, " < ")))
	}
	if k, ak := rep.RQ1.Kruskal, rep.RQ1.altKW; k != nil && ak != nil && (k.P < 0.05) != (ak.P < 0.05) {
		rep.Flips = append(rep.Flips, fmt.Sprintf("RQ1 Kruskal–Wallis at α = 0.05: p = %.3g under the meter, %.3g under idle+dynamic", k.P, ak.P))
	}
	rep.RQ2, rep.SkippedLevels = rq2(ok, rows, alt)
	for _, e := range rep.RQ2 {
		if e.Flipped {
			rep.Flips = append(rep.Flips, fmt.Sprintf("RQ2 %s %s=%s vs %s: median energy ratio %.3g under the meter, %.3g under idle+dynamic",
				e.Model, e.Factor, e.Level, e.Base, e.Ratio, e.AltRatio))
		}
	}
	if rep.Label != "measured" {
		rep.Notes = append(rep.Notes,
			"Energy is estimated, not measured: with no RAPL the meter charges CPU seconds × W per busy logical CPU (plus a RAM term), so an energy ranking here is a CPU-time ranking; CPU s is listed next to every J.",
			"The meter charges busy cores only: 2 threads can never look cheaper per CPU-second, and race-to-idle savings are invisible to it; the idle+dynamic model charges the machine's idle power over the wall time to show where that would change a conclusion.",
			"No GPU was used or metered; nothing here is a GPU claim. The same commands give measured rows where RAPL or NVML exist.")
	}
	var ramJ, allJ float64
	for _, r := range ok {
		if r.EnergyStatus == "estimated" && r.WattsPerCore > 0 {
			ramJ += math.Max(0, r.Joules-r.WattsPerCore*r.CPUSeconds)
			allJ += r.Joules
		}
	}
	if allJ > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("The RAM term (peak RSS × 0.375 W/GB × wall time) is %.1f%% of the estimated joules; it grows with wall time, so on a loaded machine it inflates slow cells: compare CPU s for the compute alone.", 100*ramJ/allJ))
	}
	rep.Notes = append(rep.Notes, "The paper's 98.83% (and its corrected 81.39%/80.68%) compares GPU power traces of ImageNet-scale models across GPUs; the reduction here is between CPU-time estimates of small models on one CPU and is not comparable.")
	return rep, nil
}

func modelOrder(ms []ModelMedian) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Model)
	}
	return out
}

// pareto returns the ids of the configurations no other is both cheaper (by cost)
// and at least as accurate as, cheapest first.
func pareto(cs []Config, cost func(Config) float64) []string {
	s := slices.Clone(cs)
	sort.SliceStable(s, func(i, j int) bool {
		if cost(s[i]) != cost(s[j]) {
			return cost(s[i]) < cost(s[j])
		}
		return s[i].Accuracy > s[j].Accuracy
	})
	front := []string{}
	best := math.Inf(-1)
	for _, c := range s {
		if c.Accuracy > best {
			front = append(front, c.ID)
			best = c.Accuracy
		}
	}
	return front
}

// largest finds the pair of configurations (from, to) with to at most maxLoss less
// accurate and the largest 1 − cost(to)/cost(from).
func largest(cs []Config, maxLoss float64, cost func(Config) float64) *Reduction {
	var best *Reduction
	for _, a := range cs {
		for _, b := range cs {
			if a.ID == b.ID || !(b.Accuracy >= a.Accuracy-maxLoss-1e-12) || !(cost(a) > 0) {
				continue
			}
			red := 1 - cost(b)/cost(a)
			if red > 0 && (best == nil || red > best.Reduction) {
				best = &Reduction{From: a.ID, To: b.ID, FromJ: cost(a), ToJ: cost(b), FromAcc: a.Accuracy, ToAcc: b.Accuracy,
					Reduction: red, FromRuns: a.RunDirs, ToRuns: b.RunDirs}
			}
		}
	}
	return best
}

// baseEnv is the environment to compare architectures in: the one most models ran
// in (ties: the fewest threads, the smallest batch).
func baseEnv(ok []Row) Env {
	models := map[Env]map[string]bool{}
	for _, r := range ok {
		e := envOf(r)
		if models[e] == nil {
			models[e] = map[string]bool{}
		}
		models[e][r.Model] = true
	}
	var envs []Env
	for e := range models {
		envs = append(envs, e)
	}
	sort.Slice(envs, func(i, j int) bool {
		a, b := envs[i], envs[j]
		if len(models[a]) != len(models[b]) {
			return len(models[a]) > len(models[b])
		}
		if a.Threads != b.Threads {
			return a.Threads < b.Threads
		}
		if a.Batch != b.Batch {
			return a.Batch < b.Batch
		}
		return a.String() < b.String()
	})
	return envs[0]
}

func rq1(ok []Row, alt func(Row) float64) RQ1 {
	base := baseEnv(ok)
	out := RQ1{BaseEnv: base.String()}
	groups := map[string][]Row{}
	var models []string
	var j, aj, fl, pa []float64
	for _, r := range ok {
		if envOf(r) != base {
			continue
		}
		if groups[r.Model] == nil {
			models = append(models, r.Model)
		}
		groups[r.Model] = append(groups[r.Model], r)
		j, aj = append(j, r.Joules), append(aj, alt(r))
		fl, pa = append(fl, float64(r.FLOPs)), append(pa, float64(r.Params))
	}
	med := func(f func(Row) float64) []ModelMedian {
		var ms []ModelMedian
		for _, m := range models {
			var e, c, a []float64
			for _, r := range groups[m] {
				e, c, a = append(e, f(r)), append(c, r.CPUSeconds), append(a, r.TestAccuracy)
			}
			ms = append(ms, ModelMedian{Model: m, Runs: len(e), Joules: median(e), CPUSeconds: median(c), Accuracy: median(a), FLOPs: groups[m][0].FLOPs})
		}
		sort.SliceStable(ms, func(i, k int) bool { return ms[i].Joules < ms[k].Joules })
		return ms
	}
	out.Models = med(func(r Row) float64 { return r.Joules })
	out.alt = med(alt)
	if len(models) >= 2 {
		var g, ag [][]float64
		for _, m := range models {
			var e, a []float64
			for _, r := range groups[m] {
				e, a = append(e, r.Joules), append(a, alt(r))
			}
			g, ag = append(g, e), append(ag, a)
		}
		if len(j) > len(models) {
			kw, akw := rankstat.KruskalWallis(g...), rankstat.KruskalWallis(ag...)
			out.Kruskal, out.altKW = &kw, &akw
		}
	} else {
		out.Note = "fewer than two architectures in the base environment"
	}
	if len(j) >= 3 {
		s := rankstat.Spearman(j, fl)
		p := rankstat.Spearman(j, pa)
		if !math.IsNaN(s.Statistic) {
			out.Flops = &s
		}
		if !math.IsNaN(p.Statistic) {
			out.Params = &p
		}
	}
	return out
}

func rq2(ok, all []Row, alt func(Row) float64) ([]FactorEffect, []SkippedLevel) {
	base := baseEnv(ok)
	effects := []FactorEffect{}
	var models []string
	for _, r := range ok {
		if !slices.Contains(models, r.Model) {
			models = append(models, r.Model)
		}
	}
	for _, m := range models {
		for _, key := range EnvKeys {
			bl := base.Level(key)
			var levels []string
			byLevel := map[string][]Row{}
			for _, r := range ok {
				if r.Model != m {
					continue
				}
				l := envOf(r).Level(key)
				if byLevel[l] == nil && l != bl {
					levels = append(levels, l)
				}
				byLevel[l] = append(byLevel[l], r)
			}
			if len(byLevel[bl]) == 0 {
				continue
			}
			sort.Strings(levels)
			for _, l := range levels {
				a, b := byLevel[bl], byLevel[l]
				get := func(rs []Row, f func(Row) float64) []float64 {
					var v []float64
					for _, r := range rs {
						v = append(v, f(r))
					}
					return v
				}
				ja, jb := get(a, func(r Row) float64 { return r.Joules }), get(b, func(r Row) float64 { return r.Joules })
				aa, ab := get(a, alt), get(b, alt)
				e := FactorEffect{Model: m, Factor: key, Base: bl, Level: l, NBase: len(a), NLevel: len(b),
					Ratio: median(jb) / median(ja), AltRatio: median(ab) / median(aa),
					CPURatio:    median(get(b, func(r Row) float64 { return r.CPUSeconds })) / median(get(a, func(r Row) float64 { return r.CPUSeconds })),
					WallRatio:   median(get(b, func(r Row) float64 { return r.WallSeconds })) / median(get(a, func(r Row) float64 { return r.WallSeconds })),
					DeltaAcc:    median(get(b, func(r Row) float64 { return r.TestAccuracy })) - median(get(a, func(r Row) float64 { return r.TestAccuracy })),
					MannWhitney: rankstat.MannWhitney(jb, ja), A12: rankstat.VarghaDelaney(jb, ja)}
				e.Cliff = 2*e.A12 - 1
				e.Magnitude = rankstat.Magnitude(e.A12)
				e.AltP = rankstat.MannWhitney(ab, aa).P
				e.AltA12 = rankstat.VarghaDelaney(ab, aa)
				e.Flipped = (e.Ratio-1)*(e.AltRatio-1) < 0
				effects = append(effects, e)
			}
		}
	}
	// levels that never ran
	type key struct{ f, l, reason string }
	counts := map[key]int{}
	var keys []key
	for _, r := range all {
		if r.Status != StatusSkipped {
			continue
		}
		e := envOf(r)
		for _, f := range EnvKeys {
			if e.Level(f) == base.Level(f) {
				continue
			}
			if (f == "dtype" && r.Reason == SkipDType) || (f == "backend" && strings.HasPrefix(r.Reason, "backend unavailable")) {
				k := key{f, e.Level(f), r.Reason}
				if counts[k] == 0 {
					keys = append(keys, k)
				}
				counts[k]++
			}
		}
	}
	var skipped []SkippedLevel
	for _, k := range keys {
		skipped = append(skipped, SkippedLevel{Factor: k.f, Level: k.l, Cells: counts[k], Reason: k.reason})
	}
	if skipped == nil {
		skipped = []SkippedLevel{}
	}
	return effects, skipped
}
