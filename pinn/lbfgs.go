package pinn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"gonum.org/v1/gonum/optimize"
)

type lbfgsResult struct {
	iters, evals int
	secs, loss   float64
	added        int // points added by adaptive refinement (all terms)
}

// lbfgs refines the parameters with gonum's L-BFGS (More–Thuente line search) on
// the collocation points of draw 0, as Raissi et al. and DeepXDE do after Adam. With
// Config.RAR > 0 the iterations are split in RAR+1 rounds, and after each round but
// the last the points of Adaptive terms grow by residual-based adaptive refinement.
// Metric lines continue the step count of Adam. The final parameters are saved in
// the run's checkpoint with Extra["lbfgs_iterations"] set.
func (m *Model) lbfgs(ctx context.Context, be compute.Backend, store *model.Store, data *Collocation, rd *run.Dir, step0 int, opt TrainOptions) (*lbfgsResult, error) {
	vars := modelVars(store)
	if len(vars) == 0 {
		return nil, fmt.Errorf("pinn: no parameters to refine")
	}
	var st train.LoopState
	done, doneSecs := 0, 0.0
	if rd != nil {
		var err error
		if st, _, err = train.LoadCheckpoint(rd.File(train.CheckpointFile), model.NewStore()); err != nil {
			return nil, err
		}
		if n, ok := st.Extra["lbfgs_iterations"].(float64); ok && n > 0 {
			if int(n) >= m.Config.LBFGS {
				return &lbfgsResult{iters: int(n), loss: st.LastLoss}, nil // already refined
			}
			done = int(n) // a resumed run asking for more iterations continues from the saved parameters
			doneSecs, _ = st.Extra["lbfgs_seconds"].(float64)
		}
	}
	exec, err := model.NewExec(be, store, func(s *model.Scope, inputs []*Node) []*Node {
		l := m.Loss(s, inputs)
		var nodes []*Node
		for _, v := range vars {
			nodes = append(nodes, v.ValueGraph(l.Graph()))
		}
		return append([]*Node{l}, Gradient(l, nodes...)...)
	})
	if err != nil {
		return nil, err
	}
	points := data.Points(0)
	d := m.Problem.Domain.Dim()
	args := func() []any {
		a := make([]any, len(points))
		for i, p := range points {
			a[i] = m.tensor(p, len(p)/d, d)
		}
		return a
	}()
	sizes := make([]int, len(vars))
	x0 := []float64{}
	for i, v := range vars {
		f := flat(v.MustValue())
		sizes[i] = len(f)
		x0 = append(x0, f...)
	}
	set := func(x []float64) {
		off := 0
		for i, v := range vars {
			v.MustSetValue(m.tensor(x[off:off+sizes[i]], v.Shape().Dimensions...))
			off += sizes[i]
		}
	}
	var lastX, lastG []float64
	var lastF float64
	evals := 0
	var evalErr error
	eval := func(x []float64) (float64, []float64) {
		if lastX != nil && equal(x, lastX) {
			return lastF, lastG
		}
		set(x)
		out, err := exec.Exec(args...)
		if err != nil {
			evalErr = err
			return math.NaN(), make([]float64, len(x))
		}
		evals++
		f := flat(out[0])[0]
		g := make([]float64, 0, len(x))
		for _, o := range out[1:] {
			g = append(g, flat(o)...)
		}
		for _, o := range out {
			o.FinalizeAll()
		}
		lastX, lastF, lastG = append(lastX[:0], x...), f, g
		return f, g
	}
	start := time.Now()
	iters := done
	added := 0
	c := m.Config
	rounds := c.RAR + 1
	if done > 0 {
		// continue: refine the points once with the current parameters, then the rest
		add, err := m.refine(be, store, 1000)
		if err != nil {
			return nil, err
		}
		for k, t := range m.Problem.Terms {
			if t.Adaptive {
				points[k] = append(points[k], add[k]...)
				added += len(add[k]) / d
			}
		}
		args = args[:0]
		for _, p := range points {
			args = append(args, m.tensor(p, len(p)/d, d))
		}
		rounds = 1
	}
	bestX := append([]float64(nil), x0...)
	best := math.Inf(1)
	for round := 0; round < rounds; round++ {
		best = math.Inf(1) // the loss changes with the points
		prob := optimize.Problem{
			Func: func(x []float64) float64 { f, _ := eval(x); return f },
			Grad: func(grad, x []float64) { _, g := eval(x); copy(grad, g) },
			Status: func() (optimize.Status, error) {
				if evalErr != nil {
					return optimize.Failure, evalErr
				}
				if ctx.Err() != nil {
					return optimize.Failure, ctx.Err()
				}
				return optimize.NotTerminated, nil
			},
		}
		n := (c.LBFGS - done) / rounds
		if round == rounds-1 {
			n = c.LBFGS - done - n*(rounds-1)
		}
		settings := &optimize.Settings{
			MajorIterations:   n,
			GradientThreshold: 1e-12,
			Converger:         &optimize.FunctionConverge{Absolute: 0, Relative: 1e-12, Iterations: 200},
			Recorder: recorderFunc(func(loc *optimize.Location, op optimize.Operation) {
				if op != optimize.MajorIteration {
					return
				}
				iters++
				if loc.F < best && !math.IsNaN(loc.F) {
					best = loc.F
					copy(bestX, loc.X)
				}
				if rd != nil && (iters%50 == 0 || iters == c.LBFGS) {
					_ = rd.Log(run.Metric{"step": step0 + iters, "loss": loc.F, "phase": "lbfgs", "points": len(points[0]) / d,
						"seconds": st.Seconds + time.Since(start).Seconds()})
				}
			}),
		}
		x := append([]float64(nil), bestX...)
		if round == 0 {
			x = x0
		}
		_ = doneSecs
		lastX = nil
		_, err = optimize.Minimize(prob, x, settings, &optimize.LBFGS{Store: 50})
		if evalErr != nil {
			return nil, evalErr
		}
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if math.IsInf(best, 1) {
			best, _ = eval(x)
			copy(bestX, x)
		}
		if round < rounds-1 {
			set(bestX)
			add, err := m.refine(be, store, round)
			if err != nil {
				return nil, err
			}
			for k, t := range m.Problem.Terms {
				if t.Adaptive {
					points[k] = append(points[k], add[k]...)
					added += len(add[k]) / d
				}
			}
			args = args[:0]
			for _, p := range points {
				args = append(args, m.tensor(p, len(p)/d, d))
			}
		}
	}
	// keep the best iterate (a failed line search may end elsewhere)
	set(bestX)
	res := &lbfgsResult{iters: iters, evals: evals, secs: doneSecs + time.Since(start).Seconds(), loss: best, added: added}
	if rd != nil {
		st.Extra = map[string]any{"lbfgs_iterations": float64(max(iters, 1)), "lbfgs_seconds": res.secs}
		st.LastLoss = best
		if err := train.SaveCheckpoint(rd.File(train.CheckpointFile), store, nil, st); err != nil {
			return nil, err
		}
		rd.Close()
	}
	return res, nil
}

type recorderFunc func(*optimize.Location, optimize.Operation)

func (r recorderFunc) Init() error { return nil }
func (r recorderFunc) Record(loc *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	r(loc, op)
	return nil
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// refine returns, for each Adaptive term, the Config.RARPoints candidate points with
// the largest |residual| among Config.RARCandidates uniform points (residual-based
// adaptive refinement, Lu et al. 2021).
func (m *Model) refine(be compute.Backend, store *model.Store, round int) (map[int][]float64, error) {
	c := m.Config
	d := m.Problem.Domain.Dim()
	out := map[int][]float64{}
	for k, t := range m.Problem.Terms {
		if !t.Adaptive {
			continue
		}
		rng := rand.New(rand.NewPCG(c.Seed, 0xad0+uint64(round)))
		cand := m.Problem.Domain.Sample(Uniform{}, c.RARCandidates, rng)
		exec, err := model.NewExec(be, store, func(s *model.Scope, x *Node) *Node {
			return Abs(t.Residual(s, m.Field(s, x, t.Order)))
		})
		if err != nil {
			return nil, err
		}
		res, err := exec.Exec(m.tensor(cand, len(cand)/d, d))
		if err != nil {
			return nil, err
		}
		r := flat(res[0])
		res[0].FinalizeAll()
		idx := make([]int, len(r))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return r[idx[a]] > r[idx[b]] })
		for _, i := range idx[:min(c.RARPoints, len(idx))] {
			out[k] = append(out[k], cand[i*d:(i+1)*d]...)
		}
	}
	return out, nil
}
