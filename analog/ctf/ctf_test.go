package ctf

import (
	"math"
	"testing"
)

// rk4 integrates dV/dt = A·E²·exp(−B/E), E = E0(1+κq) − βV, dq/dt = (1−q)/τc with
// classical Runge–Kutta: an independent reference for Cell.Pulse.
func rk4(p Params, v, q, w float64, n int) (float64, float64) {
	h := w / float64(n)
	f := func(v, q float64) (float64, float64) {
		return p.Rate(p.E0*(1+p.Kappa*q) - p.Beta*v), (1 - q) / p.TauC
	}
	for range n {
		k1v, k1q := f(v, q)
		k2v, k2q := f(v+h/2*k1v, q+h/2*k1q)
		k3v, k3q := f(v+h/2*k2v, q+h/2*k2q)
		k4v, k4q := f(v+h*k3v, q+h*k3q)
		v += h / 6 * (k1v + 2*k2v + 2*k3v + k4v)
		q += h / 6 * (k1q + 2*k2q + 2*k3q + k4q)
	}
	return v, q
}

func TestPulseMatchesRK4(t *testing.T) {
	const tol = 1e-4 // relative; midpoint-q sub-steps are second order in the step
	for _, kappa := range []float64{0, 0.25} {
		p := Default()
		p.Kappa = kappa
		p.Steps = 200
		for _, w := range []float64{0.5, 2, 20} {
			var c Cell
			c.Pulse(p, 0, w, 1)
			v, q := rk4(p, 0, 0, w, 20000)
			if math.Abs(c.VT-v) > tol*math.Abs(v) || math.Abs(c.Q-q) > 1e-9 {
				t.Errorf("kappa %v w %v: V_T %.9g q %.9g, RK4 %.9g %.9g", kappa, w, c.VT, c.Q, v, q)
			}
		}
	}
}

func TestKappaZeroConserves(t *testing.T) {
	const tol = 1e-9 // issue 17: --kappa 0 gives ratios 1 within 1e-9
	p := Default()
	p.Kappa = 0
	c, err := p.RunCheck()
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]float64{"fragment 100x1": c.Fragment100x1, "fragment 10x10": c.Fragment10x10,
		"width 0.5": c.Width05, "width 5": c.Width5, "gap 1": c.Gap1, "gap 100": c.Gap100} {
		if math.Abs(r-1) > tol {
			t.Errorf("%s: ratio %.15g, want 1 within %g", name, r, tol)
		}
	}
	if !math.IsNaN(c.Knee) {
		t.Errorf("knee %v with kappa 0, want NaN (no crossing)", c.Knee)
	}
}

// TestDefaultMeetsIssue checks the magnitudes issue 17 sets for the tuned constants:
// the three signs, knee in [1, 3] µs, ≥ 80% of the conserved shift at pw 1 µs, gap 1 µs.
func TestDefaultMeetsIssue(t *testing.T) {
	c, err := Default().RunCheck()
	if err != nil {
		t.Fatal(err)
	}
	if !c.SignFragment || !c.SignWidth || !c.SignGap {
		t.Errorf("signs fragment %v width %v gap %v, want all true (%+v)", c.SignFragment, c.SignWidth, c.SignGap, c)
	}
	if c.Knee < 1 || c.Knee > 3 {
		t.Errorf("knee %.3f µs, want in [1, 3]", c.Knee)
	}
	if c.Recovered < 0.8 || c.RecoveredLoss < 0.8 {
		t.Errorf("gap 1 µs keeps %.3f of the conserved shift and recovers %.3f of the loss, want ≥ 0.8", c.Recovered, c.RecoveredLoss)
	}
}

func TestRelaxAndSweeps(t *testing.T) {
	p := Default()
	c := Cell{Q: 0.8, T: 5}
	c.Relax(p, 5+p.TauE)
	if want := 0.8 / math.E; math.Abs(c.Q-want) > 1e-15 {
		t.Errorf("relaxed q %v, want %v", c.Q, want)
	}
	for _, e := range Experiments {
		pts, err := p.Sweep(e, DefaultGap)
		if err != nil || len(pts) == 0 {
			t.Fatalf("%s: %v", e, err)
		}
		for _, pt := range pts {
			if math.Abs(float64(pt.N)*pt.PW-TotalOn) > 1e-9 {
				t.Errorf("%s: N·pw = %v, want %v", e, float64(pt.N)*pt.PW, TotalOn)
			}
		}
	}
	if _, err := p.Sweep("bogus", 1); err == nil {
		t.Error("unknown experiment accepted")
	}
	if _, err := p.Sweep("gap", -1); err == nil {
		t.Error("negative gap accepted")
	}
}
