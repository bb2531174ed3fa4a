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
	secs, loss   float64 // secs: over all sessions
	session      float64 // seconds of this session
	added        int     // points added by adaptive refinement (all terms)
}

// lbfgsState is what the checkpoint's LoopState.Extra records of a finished L-BFGS
// phase.
type lbfgsState struct {
	Iterations int     `json:"lbfgs_iterations"`
	Requested  int     `json:"lbfgs_requested"`  // Config.LBFGS (Iterations is less when it converged)
	AfterStep  int     `json:"lbfgs_after_step"` // the Adam steps it followed
	Seconds    float64 `json:"lbfgs_seconds"`
	Evals      int     `json:"lbfgs_evals"`
	Added      int     `json:"rar_added"`
}

func (s lbfgsState) extra() map[string]any {
	return map[string]any{"lbfgs_iterations": float64(s.Iterations), "lbfgs_requested": float64(s.Requested), "lbfgs_after_step": float64(s.AfterStep),
		"lbfgs_seconds": s.Seconds, "lbfgs_evals": float64(s.Evals), "rar_added": float64(s.Added)}
}

func lbfgsStateOf(extra map[string]any) lbfgsState {
	n := func(k string) float64 { v, _ := extra[k].(float64); return v }
	return lbfgsState{Iterations: int(n("lbfgs_iterations")), Requested: int(n("lbfgs_requested")), AfterStep: int(n("lbfgs_after_step")),
		Seconds: n("lbfgs_seconds"), Evals: int(n("lbfgs_evals")), Added: int(n("rar_added"))}
}

// lbfgs refines the parameters with gonum's L-BFGS (More–Thuente line search) on
// the collocation points of draw 0, as Raissi et al. and DeepXDE do after Adam. With
// Config.RAR > 0 the iterations are split in RAR+1 rounds, and after each round but
// the last the points of Adaptive terms grow by residual-based adaptive refinement.
//
// Within an experiment, metric lines continue the step count of Adam (step0), and
// the final parameters are saved in the run's checkpoint with the phase's state in
// LoopState.Extra (lbfgsState) and the run's time and energy so far, so that a
// resumed run accounts for them. A resumed run whose checkpoint holds a finished
// phase after the same Adam steps keeps it (or, asked for more iterations, continues
// from its parameters); cancelled, the phase is dropped: the checkpoint gets back the
// parameters Adam ended with (and the time and energy spent), so a resumption
// refines them again and ends as an uninterrupted run.
func (m *Model) lbfgs(ctx context.Context, be compute.Backend, store *model.Store, data *Collocation, exp *run.Experiment, step0 int) (*lbfgsResult, error) {
	vars := modelVars(store)
	if len(vars) == 0 {
		return nil, fmt.Errorf("pinn: no parameters to refine")
	}
	c := m.Config
	var st train.LoopState
	var prev lbfgsState
	if exp != nil {
		var err error
		if st, _, err = train.LoadCheckpoint(exp.Checkpoint(), model.NewStore()); err != nil {
			return nil, err
		}
		prev = lbfgsStateOf(st.Extra)
		if _, ok := st.Extra["lbfgs_after_step"]; !ok && prev.Iterations > 0 {
			// recorded before these fields were: it followed the checkpoint's steps
			prev.AfterStep, prev.Requested = step0, prev.Iterations
		}
		if prev.AfterStep != step0 {
			prev = lbfgsState{} // Adam ran on after it (or there was none): refine afresh
		}
		if prev.Requested >= *c.LBFGS {
			return &lbfgsResult{iters: prev.Iterations, evals: prev.Evals, secs: prev.Seconds, loss: st.LastLoss, added: prev.Added}, nil
		}
	}
	done := prev.Iterations
	// save records the phase's state (nil: none) with the run's time and energy so far.
	save := func(ls *lbfgsState) error {
		if exp == nil {
			return nil
		}
		st.Extra = nil
		if ls != nil {
			st.Extra = ls.extra()
		}
		st.Seconds = exp.Seconds()
		st.Joules, st.EnergyStatus = exp.Joules()
		return train.SaveCheckpoint(exp.Checkpoint(), store, nil, st)
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
	var args []any
	setPoints := func() {
		args = args[:0]
		for _, p := range points {
			args = append(args, m.tensor(p, len(p)/d, d))
		}
	}
	setPoints()
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
	evals := prev.Evals
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
	added := 0 // (continuing, the earlier session's refined points are not kept: refine adds new ones)
	refine := func(round int) error {
		add, err := m.refine(be, store, round)
		if err != nil {
			return err
		}
		for k, t := range m.Problem.Terms {
			if t.Adaptive {
				points[k] = append(points[k], add[k]...)
				added += len(add[k]) / d
			}
		}
		setPoints()
		return nil
	}
	rounds := *c.RAR + 1
	if done > 0 {
		// continue: refine the points once with the current parameters, then the rest
		if err := refine(1000); err != nil {
			return nil, err
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
		n := (*c.LBFGS - done) / rounds
		if round == rounds-1 {
			n = *c.LBFGS - done - n*(rounds-1)
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
				if exp != nil && (iters%50 == 0 || iters == *c.LBFGS) {
					j, _ := exp.Joules()
					_ = exp.Log(run.Metric{"step": step0 + iters, "loss": loc.F, "phase": "lbfgs", "points": len(points[0]) / d,
						"seconds": exp.Seconds(), "joules": j})
				}
			}),
		}
		x := append([]float64(nil), bestX...)
		if round == 0 {
			x = x0
		}
		lastX = nil
		_, err = optimize.Minimize(prob, x, settings, &optimize.LBFGS{Store: 50})
		if evalErr != nil {
			return nil, evalErr
		}
		if err != nil && ctx.Err() != nil {
			set(x0) // back to where the phase began, for the resumption
			if serr := save(prevOrNil(prev)); serr != nil {
				return nil, serr
			}
			return nil, ctx.Err()
		}
		if math.IsInf(best, 1) {
			best, _ = eval(x)
			copy(bestX, x)
		}
		if round < rounds-1 {
			set(bestX)
			if err := refine(round); err != nil {
				return nil, err
			}
		}
	}
	if exp != nil && iters > done && iters%50 != 0 && iters != *c.LBFGS { // the phase's last line (it may converge early)
		j, _ := exp.Joules()
		_ = exp.Log(run.Metric{"step": step0 + iters, "loss": best, "phase": "lbfgs", "points": len(points[0]) / d,
			"seconds": exp.Seconds(), "joules": j})
	}
	// keep the best iterate (a failed line search may end elsewhere)
	set(bestX)
	session := time.Since(start).Seconds()
	res := &lbfgsResult{iters: iters, evals: evals, secs: prev.Seconds + session, session: session, loss: best, added: added}
	st.LastLoss = best
	if err := save(&lbfgsState{Iterations: max(iters, 1), Requested: *c.LBFGS, AfterStep: step0, Seconds: res.secs, Evals: evals, Added: added}); err != nil {
		return nil, err
	}
	return res, nil
}

// prevOrNil returns the state of an earlier finished phase, nil if there is none.
func prevOrNil(s lbfgsState) *lbfgsState {
	if s.Iterations == 0 {
		return nil
	}
	return &s
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
