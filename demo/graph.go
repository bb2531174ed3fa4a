package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/baseline"
	"github.com/ergml/erg/graphgen/draw"
	"github.com/ergml/erg/graphgen/eval"
	"github.com/ergml/erg/run"
)

func init() {
	Register(Step{Name: "graph", Title: "Graph generation: fit E-R to grid graphs and compute GraphRNN's MMDs", Run: graphStep})
}

// graphStep is erg graph data/train/sample/eval on the grid set: E-R fitted per
// training graph (baseline.Train, a run directory), 80 samples, MMD² under
// GraphRNN's and GRAN's kernels against the 20 test grids.
func graphStep(ctx context.Context, dir string, opt Options) (Result, error) {
	cfg := baseline.Config{Set: "grid", Model: "er", Seed: max(opt.Seed, 1), Command: "erg demo (graph step)"}
	out, err := baseline.Train(ctx, cfg, run.Options{Root: dir, Name: "grid-er", Progress: opt.Log})
	if err != nil {
		return Result{}, err
	}
	m, err := baseline.Load(out.Dir)
	if err != nil {
		return Result{}, err
	}
	gen := m.Sample(80, rand.New(rand.NewPCG(cfg.Seed, 1)))
	if err := graphgen.SaveSet(filepath.Join(out.Dir, "sample.g6"), gen); err != nil {
		return Result{}, err
	}
	test, err := graphgen.LoadSet(filepath.Join(out.Dir, baseline.TestFile))
	if err != nil {
		return Result{}, err
	}
	res, err := eval.Evaluate(test, gen, eval.Options{})
	if err != nil {
		return Result{}, err
	}
	plotFile := filepath.Join(out.Dir, "graphs.png")
	if err := draw.SaveSets(plotFile, test, gen, 4, 1); err != nil {
		return Result{}, err
	}
	r := Result{RunDir: out.Dir, Numbers: map[string]any{"n_ref": res.NRef, "n_gen": res.NGen, "mmd": res.MMD, "seconds": res.Seconds}}
	r.Headline = fmt.Sprintf("E-R on grid, GraphRNN kernel (Gaussian-EMD σ 1 / σ 0.1; L2 σ 30): MMD² degree %.3f, clustering %.4f, orbit %.3f (GraphRNN Table 1: 1.011 / 0.018 / 0.900); %d test vs %d generated graphs, %.1f s",
		res.MMD["degree"]["graphrnn"], res.MMD["clustering"]["graphrnn"], res.MMD["orbit"]["graphrnn"], res.NRef, res.NGen, res.Seconds)
	rel, err := filepath.Rel(dir, plotFile)
	if err != nil {
		return r, err
	}
	r.Figures = append(r.Figures, Figure{File: rel, Caption: "Grid test graphs (top) and E-R samples fitted to the training grids (bottom), spring layout"})
	return r, nil
}
