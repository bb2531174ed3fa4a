package forest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// Config are a forest's hyperparameters; the zero value of each field is documented.
type Config struct {
	Trees       int // 0 = 100
	MaxFeatures int // candidate features per split; 0 = round(√dim)
	MinLeaf     int // minimum samples per leaf; 0 = 1
	MaxDepth    int // 0 = unlimited
	Seed        uint64
}

// Forest is a trained random forest.
type Forest struct {
	Classes []int // labels, ascending
	dim     int
	trees   []tree
}

type node struct {
	feature   int // −1: leaf
	threshold float64
	left      int
	right     int
	prob      []float64 // leaf class fractions
}

type tree []node

// Train grows a forest on the rows of x (n × dim) with labels y.
func Train(x []float64, dim int, y []int, cfg Config) (*Forest, error) {
	n := len(y)
	if n == 0 || len(x) != n*dim {
		return nil, fmt.Errorf("forest: %d labels for %d values of dim %d", n, len(x), dim)
	}
	if cfg.Trees == 0 {
		cfg.Trees = 100
	}
	if cfg.MaxFeatures == 0 {
		cfg.MaxFeatures = max(1, int(math.Round(math.Sqrt(float64(dim)))))
	}
	if cfg.MinLeaf == 0 {
		cfg.MinLeaf = 1
	}
	f := &Forest{dim: dim, trees: make([]tree, cfg.Trees)}
	idx := map[int]int{}
	for _, l := range y {
		idx[l] = 0
	}
	for l := range idx {
		f.Classes = append(f.Classes, l)
	}
	sort.Ints(f.Classes)
	for i, l := range f.Classes {
		idx[l] = i
	}
	yi := make([]int, n)
	for i, l := range y {
		yi[i] = idx[l]
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for t := 0; t < cfg.Trees; t++ {
		wg.Add(1)
		go func(t int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(t)+1))
			sample := make([]int, n)
			for i := range sample {
				sample[i] = rng.IntN(n)
			}
			g := grower{x: x, dim: dim, y: yi, k: len(f.Classes), cfg: cfg, rng: rng}
			g.grow(sample, 0)
			f.trees[t] = g.t
		}(t)
	}
	wg.Wait()
	return f, nil
}

type grower struct {
	x   []float64
	dim int
	y   []int
	k   int
	cfg Config
	rng *rand.Rand
	t   tree
}

func (g *grower) leaf(s []int) int {
	p := make([]float64, g.k)
	for _, i := range s {
		p[g.y[i]]++
	}
	for c := range p {
		p[c] /= float64(len(s))
	}
	g.t = append(g.t, node{feature: -1, prob: p})
	return len(g.t) - 1
}

// grow builds the subtree of samples s and returns its node index.
func (g *grower) grow(s []int, depth int) int {
	counts := make([]float64, g.k)
	for _, i := range s {
		counts[g.y[i]]++
	}
	pure := false
	for _, c := range counts {
		if c == float64(len(s)) {
			pure = true
		}
	}
	if pure || len(s) < 2*g.cfg.MinLeaf || (g.cfg.MaxDepth > 0 && depth >= g.cfg.MaxDepth) {
		return g.leaf(s)
	}
	bestF, bestT, bestScore := -1, 0.0, math.Inf(1)
	feats := g.rng.Perm(g.dim)
	order := make([]int, len(s))
	left := make([]float64, g.k)
	tried := 0
	for _, f := range feats {
		// like scikit-learn, keep drawing features past MaxFeatures while no valid split was found
		if tried >= g.cfg.MaxFeatures && bestF >= 0 {
			break
		}
		tried++
		copy(order, s)
		sort.Slice(order, func(a, b int) bool { return g.x[order[a]*g.dim+f] < g.x[order[b]*g.dim+f] })
		for c := range left {
			left[c] = 0
		}
		n := float64(len(s))
		for i := 0; i < len(order)-1; i++ {
			left[g.y[order[i]]]++
			v, w := g.x[order[i]*g.dim+f], g.x[order[i+1]*g.dim+f]
			nl := float64(i + 1)
			if v == w || i+1 < g.cfg.MinLeaf || len(order)-i-1 < g.cfg.MinLeaf {
				continue
			}
			var gl, gr float64
			for c := range left {
				r := counts[c] - left[c]
				gl += left[c] * left[c]
				gr += r * r
			}
			// weighted Gini: nl(1 − Σpl²) + nr(1 − Σpr²) = n − Σl²/nl − Σr²/nr
			score := n - gl/nl - gr/(n-nl)
			if score < bestScore-1e-12 {
				bestF, bestT, bestScore = f, v+(w-v)/2, score
			}
		}
	}
	if bestF < 0 {
		return g.leaf(s)
	}
	var ls, rs []int
	for _, i := range s {
		if g.x[i*g.dim+bestF] <= bestT {
			ls = append(ls, i)
		} else {
			rs = append(rs, i)
		}
	}
	id := len(g.t)
	g.t = append(g.t, node{feature: bestF, threshold: bestT})
	l := g.grow(ls, depth+1)
	r := g.grow(rs, depth+1)
	g.t[id].left, g.t[id].right = l, r
	return id
}

// Prob writes the class probabilities of x into p (len(Classes)).
func (f *Forest) Prob(x []float64, p []float64) {
	for c := range p {
		p[c] = 0
	}
	for _, t := range f.trees {
		i := 0
		for t[i].feature >= 0 {
			if x[t[i].feature] <= t[i].threshold {
				i = t[i].left
			} else {
				i = t[i].right
			}
		}
		for c, v := range t[i].prob {
			p[c] += v
		}
	}
	for c := range p {
		p[c] /= float64(len(f.trees))
	}
}

// PredictAll predicts the rows of x in parallel; prob (n·len(Classes)) is filled if
// non-nil.
func (f *Forest) PredictAll(x []float64, prob []float64) []int {
	n := len(x) / f.dim
	K := len(f.Classes)
	out := make([]int, n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			p := make([]float64, K)
			for i := w; i < n; i += workers {
				f.Prob(x[i*f.dim:(i+1)*f.dim], p)
				best := 0
				for c := range p {
					if p[c] > p[best] {
						best = c
					}
				}
				out[i] = f.Classes[best]
				if prob != nil {
					copy(prob[i*K:(i+1)*K], p)
				}
			}
		}(w)
	}
	wg.Wait()
	return out
}
