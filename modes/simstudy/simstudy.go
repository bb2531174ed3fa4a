package simstudy

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/ergml/erg/modes"
	"github.com/ergml/erg/modes/bts"
	"github.com/ergml/erg/modes/marronwand"
	"github.com/ergml/erg/modes/mixture"
	"github.com/ergml/erg/modes/modetest"
)

// Methods lists the method names Run accepts.
var Methods = []string{"silverman", "hy", "dip", "acr", "bayes", "mixture"}

// Config configures Run. Zero values: all 15 densities, n = 200, 20 replicates, all
// methods, B = 200 bootstrap resamples, α = 0.05, light MCMC settings (2 chains of
// 250 + 250 draws for bayes, 1000 iterations for mixture).
type Config struct {
	Densities []int
	Ns        []int
	Reps      int
	Methods   []string
	B         int
	Alpha     float64
	KMax      int
	Seed      uint64
	Workers   int
	Bayes     bts.Config
	Mixture   mixture.Config
	// Progress, if not nil, is called after each replicate (from several goroutines).
	Progress func(done, total int)
}

// Cell is the accuracy of one method on one density at one sample size.
type Cell struct {
	Density   int         `json:"density"`
	Name      string      `json:"name"`
	N         int         `json:"n"`
	TrueModes int         `json:"true_modes"`
	Method    string      `json:"method"`
	Correct   int         `json:"correct"`
	Reps      int         `json:"reps"`
	Accuracy  float64     `json:"accuracy"`
	Estimates map[int]int `json:"estimates"` // estimated k -> count
	Failures  int         `json:"failures"`
}

// Table is the result of a run.
type Table struct {
	Cells   []Cell                     `json:"cells"`
	Mean    map[int]map[string]float64 `json:"mean_accuracy"` // n -> method -> mean over densities
	Methods []string                   `json:"methods"`
	Ns      []int                      `json:"ns"`
	Reps    int                        `json:"reps"`
	Config  map[string]any             `json:"config"`
}

// Run runs the study.
func Run(cfg Config) (*Table, error) {
	if len(cfg.Densities) == 0 {
		for i := 1; i <= 15; i++ {
			cfg.Densities = append(cfg.Densities, i)
		}
	}
	if len(cfg.Ns) == 0 {
		cfg.Ns = []int{200}
	}
	if cfg.Reps <= 0 {
		cfg.Reps = 20
	}
	if len(cfg.Methods) == 0 {
		cfg.Methods = Methods
	}
	for _, m := range cfg.Methods {
		ok := false
		for _, k := range Methods {
			ok = ok || k == m
		}
		if !ok {
			return nil, fmt.Errorf("simstudy: unknown method %q (have %s)", m, strings.Join(Methods, ", "))
		}
	}
	if cfg.B <= 0 {
		cfg.B = 200
	}
	if cfg.Alpha <= 0 {
		cfg.Alpha = 0.05
	}
	if cfg.KMax <= 0 {
		cfg.KMax = 10
	}
	if cfg.Bayes.Chains == 0 {
		cfg.Bayes.Chains, cfg.Bayes.Burn, cfg.Bayes.Draws = 2, 250, 250
	}
	if cfg.Mixture.Iter == 0 {
		cfg.Mixture.Iter = 1000
	}
	var ds []marronwand.Density
	for _, i := range cfg.Densities {
		d, err := marronwand.Get(i)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	type job struct{ di, ni, r int }
	var jobs []job
	for di := range ds {
		for ni := range cfg.Ns {
			for r := 0; r < cfg.Reps; r++ {
				jobs = append(jobs, job{di, ni, r})
			}
		}
	}
	est := make([][]int, len(jobs)) // per job, per method: estimate (0 on failure)
	var done atomic.Int64
	modes.Replicates(len(jobs), cfg.Seed, cfg.Workers, func(i int, rng *rand.Rand) {
		j := jobs[i]
		x := ds[j.di].Sample(cfg.Ns[j.ni], rng)
		est[i] = make([]int, len(cfg.Methods))
		for mi, m := range cfg.Methods {
			est[i][mi] = estimate(m, x, rng.Uint64(), cfg)
		}
		if cfg.Progress != nil {
			cfg.Progress(int(done.Add(1)), len(jobs))
		}
	})
	t := &Table{Mean: map[int]map[string]float64{}, Methods: cfg.Methods, Ns: cfg.Ns, Reps: cfg.Reps,
		Config: map[string]any{"B": cfg.B, "alpha": cfg.Alpha, "kmax": cfg.KMax, "seed": cfg.Seed,
			"bayes_chains": cfg.Bayes.Chains, "bayes_burn": cfg.Bayes.Burn, "bayes_draws": cfg.Bayes.Draws,
			"mixture_iter": cfg.Mixture.Iter}}
	for di, d := range ds {
		for ni, n := range cfg.Ns {
			for mi, m := range cfg.Methods {
				c := Cell{Density: d.Number, Name: d.Name, N: n, TrueModes: d.Modes(), Method: m, Estimates: map[int]int{}}
				for i, j := range jobs {
					if j.di != di || j.ni != ni {
						continue
					}
					k := est[i][mi]
					c.Reps++
					if k <= 0 {
						c.Failures++
						continue
					}
					c.Estimates[k]++
					if k == c.TrueModes {
						c.Correct++
					}
				}
				c.Accuracy = float64(c.Correct) / float64(c.Reps)
				t.Cells = append(t.Cells, c)
			}
		}
	}
	for _, n := range cfg.Ns {
		t.Mean[n] = map[string]float64{}
		for _, m := range cfg.Methods {
			s, k := 0.0, 0
			for _, c := range t.Cells {
				if c.N == n && c.Method == m {
					s += c.Accuracy
					k++
				}
			}
			t.Mean[n][m] = s / float64(k)
		}
	}
	return t, nil
}

func estimate(m string, x []float64, seed uint64, cfg Config) int {
	tc := modetest.Config{B: cfg.B, Seed: seed, Workers: 1, Alpha: cfg.Alpha, NoHallYork: m != "hy"}
	switch m {
	case "silverman", "hy", "dip", "acr":
		e, err := modetest.EstimateModes(modetest.Method(m), x, cfg.KMax, tc)
		if err != nil {
			return 0
		}
		return e.Modes
	case "bayes":
		bc := cfg.Bayes
		bc.Seed, bc.Workers, bc.CountOnly = seed, 1, true
		r, err := bts.Fit(x, bc)
		if err != nil {
			return 0
		}
		return r.Modes
	case "mixture":
		mc := cfg.Mixture
		mc.Seed, mc.Workers, mc.CountOnly = seed, 1, true
		r, err := mixture.Fit(x, mc)
		if err != nil {
			return 0
		}
		return r.Modes
	}
	return 0
}

// Markdown renders the accuracy table for sample size n: one row per density, one
// column per method, and a final row with the mean over densities.
func (t *Table) Markdown(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| # | density | modes |")
	for _, m := range t.Methods {
		fmt.Fprintf(&b, " %s |", m)
	}
	b.WriteString("\n|---|---|---|")
	for range t.Methods {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	var rows []int
	seen := map[int]bool{}
	for _, c := range t.Cells {
		if c.N == n && !seen[c.Density] {
			seen[c.Density] = true
			rows = append(rows, c.Density)
		}
	}
	sort.Ints(rows)
	for _, d := range rows {
		first := true
		for _, m := range t.Methods {
			for _, c := range t.Cells {
				if c.N == n && c.Density == d && c.Method == m {
					if first {
						fmt.Fprintf(&b, "| %d | %s | %d |", d, c.Name, c.TrueModes)
						first = false
					}
					fmt.Fprintf(&b, " %.2f |", c.Accuracy)
				}
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "| | **mean** | |")
	for _, m := range t.Methods {
		fmt.Fprintf(&b, " **%.3f** |", t.Mean[n][m])
	}
	b.WriteString("\n")
	return b.String()
}
