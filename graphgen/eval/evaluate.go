package eval

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/ergml/erg/graphgen"
)

// SweepScales are the σ multipliers of a --sigma-sweep (O'Bray et al. 2022).
var SweepScales = []float64{0.1, 0.3, 1, 3, 10}

// Options configures Evaluate. The zero value evaluates both kernel families
// at the published σ and no V.U.N.
type Options struct {
	Kernels    []string          // subset of KernelNames; nil means both
	SigmaSweep bool              // also evaluate at σ × SweepScales
	Validity   string            // data set name whose validity rule applies ("" for none); see Valid
	Train      []*graphgen.Graph // training graphs for novelty (nil: novelty not computed)
	Workers    int               // goroutines describing graphs; 0 means GOMAXPROCS
}

// Result is the outcome of Evaluate, shaped as `erg graph eval --json` prints it.
type Result struct {
	NRef     int                           `json:"n_ref"`
	NGen     int                           `json:"n_gen"`
	EmptyGen int                           `json:"empty_gen"` // empty generated graphs dropped
	MMD      map[string]map[string]float64 `json:"mmd"`       // descriptor → family → MMD²
	Kernels  map[string]map[string]Setting `json:"kernels"`   // descriptor → family → kernel and σ
	// Sweep is descriptor → family → MMD² at σ × SweepScales[i].
	Sweep   map[string]map[string][]float64 `json:"sigma_sweep,omitempty"`
	VUN     *VUN                            `json:"vun,omitempty"`
	Seconds float64                         `json:"seconds"`
}

// DescribeAll computes descriptors of graphs in parallel.
func DescribeAll(graphs []*graphgen.Graph, workers int) []Descriptors {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Descriptors, len(graphs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = Describe(graphs[i])
			}
		}()
	}
	for i := range graphs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// Evaluate compares generated graphs with reference graphs: MMD² of the four
// descriptors under the requested kernel families, and optionally V.U.N.
func Evaluate(ref, gen []*graphgen.Graph, opt Options) (*Result, error) {
	t0 := time.Now()
	if len(ref) == 0 {
		return nil, errors.New("eval: empty reference set")
	}
	if len(gen) == 0 {
		return nil, errors.New("eval: empty generated set")
	}
	kernels := opt.Kernels
	if len(kernels) == 0 {
		kernels = KernelNames
	}
	for _, k := range kernels {
		if k != "graphrnn" && k != "gran" {
			return nil, fmt.Errorf("eval: unknown kernel %q (graphrnn, gran or both)", k)
		}
	}
	var nonEmpty []*graphgen.Graph
	for _, g := range gen {
		if g.N() > 0 {
			nonEmpty = append(nonEmpty, g)
		}
	}
	res := &Result{NRef: len(ref), NGen: len(gen), EmptyGen: len(gen) - len(nonEmpty),
		MMD: map[string]map[string]float64{}, Kernels: map[string]map[string]Setting{}}
	if len(nonEmpty) == 0 {
		return nil, fmt.Errorf("eval: all %d generated graphs are empty", len(gen))
	}
	dr := DescribeAll(ref, opt.Workers)
	dg := DescribeAll(nonEmpty, opt.Workers)
	if opt.SigmaSweep {
		res.Sweep = map[string]map[string][]float64{}
	}
	for _, d := range DescriptorNames {
		res.MMD[d] = map[string]float64{}
		res.Kernels[d] = map[string]Setting{}
		for _, k := range kernels {
			v, err := MMDOf(dr, dg, d, k, 1)
			if err != nil {
				return nil, err
			}
			res.MMD[d][k] = v
			res.Kernels[d][k], _ = Settings(k, d)
			if opt.SigmaSweep {
				if res.Sweep[d] == nil {
					res.Sweep[d] = map[string][]float64{}
				}
				for _, s := range SweepScales {
					v, _ := MMDOf(dr, dg, d, k, s)
					res.Sweep[d][k] = append(res.Sweep[d][k], v)
				}
			}
		}
	}
	if opt.Validity != "" || opt.Train != nil {
		v, err := ComputeVUN(gen, opt.Train, opt.Validity)
		if err != nil {
			return nil, err
		}
		res.VUN = v
	}
	res.Seconds = time.Since(t0).Seconds()
	return res, nil
}
