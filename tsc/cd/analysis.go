package cd

import (
	"fmt"
	"io"
	"math"
	"sort"
)

// Options configures Analyze. The zero value means alpha 0.05 and the Wilcoxon–Holm
// cliques.
type Options struct {
	Alpha float64 // significance level; 0 means 0.05
	// Method chooses what joins models in the diagram: "holm" (or ""), pairs not
	// significantly different by the Wilcoxon signed-rank test with Holm's correction
	// (Ismail Fawaz et al. 2019, hfawaz/cd-diagram); or "nemenyi", average ranks
	// closer than the critical difference (Demšar 2006).
	Method string
}

// Pair is one pairwise Wilcoxon–Holm comparison.
type Pair struct {
	A, B        string
	P           float64
	Significant bool
}

// Analysis is the comparison of several models over several datasets.
type Analysis struct {
	Models   []string  `json:"models"`    // sorted by average rank, best first
	AvgRanks []float64 `json:"avg_ranks"` // in the order of Models
	Datasets []string  `json:"datasets"`
	Dropped  []string  `json:"dropped_datasets,omitempty"` // missing a model's result
	Alpha    float64   `json:"alpha"`
	Method   string    `json:"method"`
	// Friedman is nil with fewer than 3 models.
	Friedman *FriedmanResult `json:"friedman,omitempty"`
	Pairs    []Pair          `json:"pairs"` // in increasing p order
	// CD is the Nemenyi critical difference (computed for both methods).
	CD float64 `json:"critical_difference"`
	// Cliques are the groups of models joined by a bar, as indices into Models.
	Cliques [][]int `json:"cliques"`
}

// Analyze ranks the models (columns of acc, named by models) over the datasets (rows),
// runs the Friedman test, the pairwise Wilcoxon signed-rank tests (zero_method
// "pratt") with Holm's correction, and finds the cliques drawn in the diagram. Rows
// with a NaN are dropped.
func Analyze(datasets, models []string, acc [][]float64, opt Options) (*Analysis, error) {
	if opt.Alpha == 0 {
		opt.Alpha = 0.05
	}
	if opt.Method == "" {
		opt.Method = "holm"
	}
	if opt.Method != "holm" && opt.Method != "nemenyi" {
		return nil, fmt.Errorf("cd: unknown method %q (want holm or nemenyi)", opt.Method)
	}
	if opt.Alpha <= 0 || opt.Alpha >= 1 {
		return nil, fmt.Errorf("cd: alpha %g not in (0, 1)", opt.Alpha)
	}
	if len(models) < 2 {
		return nil, fmt.Errorf("cd: need at least 2 models, got %d", len(models))
	}
	if len(acc) != len(datasets) {
		return nil, fmt.Errorf("cd: %d datasets but %d rows", len(datasets), len(acc))
	}
	a := &Analysis{Alpha: opt.Alpha, Method: opt.Method}
	var rows [][]float64
	for i, row := range acc {
		if len(row) != len(models) {
			return nil, fmt.Errorf("cd: dataset %s has %d values for %d models", datasets[i], len(row), len(models))
		}
		ok := true
		for _, v := range row {
			if math.IsNaN(v) {
				ok = false
			}
		}
		if ok {
			rows = append(rows, row)
			a.Datasets = append(a.Datasets, datasets[i])
		} else {
			a.Dropped = append(a.Dropped, datasets[i])
		}
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("cd: need at least 2 datasets with every model's result, have %d", len(rows))
	}
	ranks := AverageRanks(rows)
	order := make([]int, len(models))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return ranks[order[i]] < ranks[order[j]] })
	for _, j := range order {
		a.Models = append(a.Models, models[j])
		a.AvgRanks = append(a.AvgRanks, ranks[j])
	}
	if len(models) >= 3 {
		f, err := Friedman(rows)
		if err != nil {
			return nil, err
		}
		a.Friedman = &f
	}
	col := func(j int) []float64 {
		c := make([]float64, len(rows))
		for i, r := range rows {
			c[i] = r[j]
		}
		return c
	}
	var ps []float64
	for i := 0; i < len(models)-1; i++ {
		for j := i + 1; j < len(models); j++ {
			_, p, err := Wilcoxon(col(i), col(j), Pratt)
			if err != nil { // every difference zero: not different
				p = 1
			}
			a.Pairs = append(a.Pairs, Pair{A: models[i], B: models[j], P: p})
			ps = append(ps, p)
		}
	}
	for i, s := range Holm(ps, opt.Alpha) {
		a.Pairs[i].Significant = s
	}
	sort.SliceStable(a.Pairs, func(i, j int) bool { return a.Pairs[i].P < a.Pairs[j].P })
	k := len(models)
	a.CD = CriticalDifference(k, len(rows), opt.Alpha)
	if opt.Method == "holm" {
		adj := make([][]bool, k)
		for i := range adj {
			adj[i] = make([]bool, k)
		}
		idx := map[string]int{}
		for i, m := range a.Models {
			idx[m] = i
		}
		for _, p := range a.Pairs {
			if !p.Significant {
				i, j := idx[p.A], idx[p.B]
				adj[i][j], adj[j][i] = true, true
			}
		}
		a.Cliques = maximalCliques(adj)
	} else {
		// Demšar: from each model, the run of following models within CD; keep the
		// runs not contained in an earlier one.
		last := -1
		for i := 0; i < k; i++ {
			j := i
			for j+1 < k && a.AvgRanks[j+1]-a.AvgRanks[i] < a.CD {
				j++
			}
			if j > i && j > last {
				c := make([]int, 0, j-i+1)
				for m := i; m <= j; m++ {
					c = append(c, m)
				}
				a.Cliques = append(a.Cliques, c)
				last = j
			}
		}
	}
	return a, nil
}

// maximalCliques returns the maximal cliques of size ≥ 2 of the graph adj
// (Bron–Kerbosch with pivoting), each sorted, ordered by first then last member.
func maximalCliques(adj [][]bool) [][]int {
	n := len(adj)
	var out [][]int
	var bk func(r, p, x []int)
	bk = func(r, p, x []int) {
		if len(p) == 0 && len(x) == 0 {
			if len(r) > 1 {
				c := append([]int(nil), r...)
				sort.Ints(c)
				out = append(out, c)
			}
			return
		}
		pivot := -1
		best := -1
		for _, u := range append(append([]int(nil), p...), x...) {
			d := 0
			for _, v := range p {
				if adj[u][v] {
					d++
				}
			}
			if d > best {
				best, pivot = d, u
			}
		}
		for _, v := range append([]int(nil), p...) {
			if pivot >= 0 && adj[pivot][v] {
				continue
			}
			var np, nx []int
			for _, w := range p {
				if adj[v][w] {
					np = append(np, w)
				}
			}
			for _, w := range x {
				if adj[v][w] {
					nx = append(nx, w)
				}
			}
			bk(append(r, v), np, nx)
			for i, w := range p {
				if w == v {
					p = append(p[:i:i], p[i+1:]...)
					break
				}
			}
			x = append(x, v)
		}
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	bk(nil, all, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][len(out[i])-1] < out[j][len(out[j])-1]
	})
	return out
}

// WriteText prints the analysis as a short report.
func (a *Analysis) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%d models on %d datasets", len(a.Models), len(a.Datasets))
	if len(a.Dropped) > 0 {
		fmt.Fprintf(w, " (dropped, missing results: %v)", a.Dropped)
	}
	fmt.Fprintln(w)
	if f := a.Friedman; f != nil {
		verdict := "cannot reject that all models perform alike"
		if f.P < a.Alpha {
			verdict = "the models differ"
		}
		fmt.Fprintf(w, "Friedman chi2 = %.4f, p = %.4g (Iman-Davenport F = %.4f, p = %.4g): %s at alpha %g\n", f.ChiSquare, f.P, f.F, f.PF, verdict, a.Alpha)
	}
	fmt.Fprintln(w, "average rank (1 = best):")
	for i, m := range a.Models {
		fmt.Fprintf(w, "  %-16s %.3f\n", m, a.AvgRanks[i])
	}
	fmt.Fprintln(w, "Wilcoxon signed-rank (pratt), Holm-corrected:")
	for _, p := range a.Pairs {
		s := "not significant"
		if p.Significant {
			s = "significant"
		}
		fmt.Fprintf(w, "  %-16s vs %-16s p = %.4g  %s\n", p.A, p.B, p.P, s)
	}
	fmt.Fprintf(w, "Nemenyi critical difference (alpha %g): %.4f\n", a.Alpha, a.CD)
	fmt.Fprintf(w, "cliques (%s):", a.Method)
	if len(a.Cliques) == 0 {
		fmt.Fprint(w, " none")
	}
	for _, c := range a.Cliques {
		names := make([]string, len(c))
		for i, j := range c {
			names[i] = a.Models[j]
		}
		fmt.Fprintf(w, " %v", names)
	}
	fmt.Fprintln(w)
}
