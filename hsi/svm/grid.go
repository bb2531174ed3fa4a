package svm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// Grid is a hyperparameter grid searched by cross-validation on the training labels.
type Grid struct {
	C, Gamma []float64 // nil = DefaultC, DefaultGamma
	Folds    int       // stratified folds; 0 = min(5, smallest class count), at least 2
	Seed     uint64
}

// The default grid, for standardised features (zero mean, unit variance per band).
var (
	DefaultC     = []float64{1, 10, 100, 1000, 10000, 100000}
	DefaultGamma = []float64{math.Exp2(-17), math.Exp2(-15), math.Exp2(-13), math.Exp2(-11), math.Exp2(-9), math.Exp2(-7), math.Exp2(-5), math.Exp2(-3)}
)

// Search returns the grid point of highest cross-validated accuracy (ties: the
// smaller C, then the smaller γ) and that accuracy.
func Search(x []float64, dim int, y []int, g Grid) (best Config, acc float64, err error) {
	if g.C == nil {
		g.C = DefaultC
	}
	if g.Gamma == nil {
		g.Gamma = DefaultGamma
	}
	cls := map[int][]int{}
	for i, l := range y {
		cls[l] = append(cls[l], i)
	}
	folds := g.Folds
	if folds == 0 {
		folds = 5
		for _, v := range cls {
			folds = min(folds, len(v))
		}
	}
	if folds < 2 {
		return Config{}, 0, fmt.Errorf("svm: grid search needs ≥ 2 folds (a class has %d label(s))", folds)
	}
	// stratified folds: each class's shuffled indices dealt round-robin.
	rng := rand.New(rand.NewPCG(g.Seed, 0xf01d))
	fold := make([]int, len(y))
	keys := make([]int, 0, len(cls))
	for k := range cls {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	start := 0
	for _, k := range keys {
		idx := cls[k]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for i, p := range idx {
			fold[p] = (start + i) % folds
		}
		start += len(idx)
	}
	type cell struct{ c, g float64 }
	var cells []cell
	for _, gm := range g.Gamma {
		for _, c := range g.C {
			cells = append(cells, cell{c, gm})
		}
	}
	scores := make([]float64, len(cells))
	errs := make([]error, len(cells))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for ci, c := range cells {
		wg.Add(1)
		go func(ci int, c cell) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			correct := 0
			for f := 0; f < folds; f++ {
				var xt, xv []float64
				var yt, yv []int
				for i := range y {
					if fold[i] == f {
						xv = append(xv, x[i*dim:(i+1)*dim]...)
						yv = append(yv, y[i])
					} else {
						xt = append(xt, x[i*dim:(i+1)*dim]...)
						yt = append(yt, y[i])
					}
				}
				m, err := Train(xt, dim, yt, Config{C: c.c, Gamma: c.g})
				if err != nil {
					errs[ci] = err
					return
				}
				for i, l := range yv {
					if m.Predict(xv[i*dim:(i+1)*dim]) == l {
						correct++
					}
				}
			}
			scores[ci] = float64(correct) / float64(len(y))
		}(ci, c)
	}
	wg.Wait()
	bi := -1
	for ci := range cells {
		if errs[ci] != nil {
			return Config{}, 0, errs[ci]
		}
		if bi < 0 || scores[ci] > scores[bi] || (scores[ci] == scores[bi] && (cells[ci].c < cells[bi].c || (cells[ci].c == cells[bi].c && cells[ci].g < cells[bi].g))) {
			bi = ci
		}
	}
	return Config{C: cells[bi].c, Gamma: cells[bi].g}, scores[bi], nil
}
