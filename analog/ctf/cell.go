package ctf

import (
	"fmt"
	"math"
)

// Params are the constants of the time-resolved charge-trap-flash cell. Units: time
// in µs, fields in MV/cm, threshold voltage in V. The equations are erg's
// hypothesis (see the package documentation); Default gives the constants tuned to
// the magnitudes of issue 17.
type Params struct {
	A     float64 `json:"a"`     // Fowler–Nordheim prefactor: dV_T/dt = A·E²·exp(−B/E), V/µs per (MV/cm)²
	B     float64 `json:"b"`     // Fowler–Nordheim exponent constant, MV/cm
	E0    float64 `json:"e0"`    // tunnelling field of the applied pulse at V_T = 0, MV/cm
	Beta  float64 `json:"beta"`  // field lost per volt of V_T shift, MV/cm per V (≥ 0)
	Kappa float64 `json:"kappa"` // relative field enhancement by a full blocking-oxide trap state (κ ≥ 0)
	TauC  float64 `json:"tau_c"` // capture time of the trap state during ON time, µs
	TauE  float64 `json:"tau_e"` // emission (relaxation) time of the trap state in a gap, µs
	Steps int     `json:"steps"` // integration sub-steps per TauC during ON time (0: 40)
}

// Default returns erg's tuned constants: E0 = 12 MV/cm, B = 200 MV/cm, A = 30
// V/µs/(MV/cm)², β = 0.5 MV/cm/V, κ = 0.25, τc = 0.6 µs, τe = 20 µs. With them a
// continuous 100 µs pulse shifts V_T by about 1 V, the field enhancement of a
// charged trap state raises the tunnelling rate about 40-fold, the knee of the width
// sweep lies near 2 µs and 1 µs pulses 1 µs apart recover ≥ 80% of the conserved
// shift (TestDefaultMeetsIssue).
func Default() Params {
	return Params{A: 30, B: 200, E0: 12, Beta: 0.5, Kappa: 0.25, TauC: 0.6, TauE: 20}
}

// Validate reports the first bad constant.
func (p Params) Validate() error {
	switch {
	case !(p.A > 0):
		return fmt.Errorf("ctf: a %v: must be positive", p.A)
	case !(p.B > 0):
		return fmt.Errorf("ctf: b %v: must be positive", p.B)
	case !(p.E0 > 0):
		return fmt.Errorf("ctf: e0 %v: must be positive", p.E0)
	case !(p.Beta >= 0):
		return fmt.Errorf("ctf: beta %v: must be non-negative", p.Beta)
	case !(p.Kappa >= 0):
		return fmt.Errorf("ctf: kappa %v: must be non-negative", p.Kappa)
	case !(p.TauC > 0):
		return fmt.Errorf("ctf: tau-c %v: must be positive", p.TauC)
	case !(p.TauE > 0):
		return fmt.Errorf("ctf: tau-e %v: must be positive", p.TauE)
	case p.Steps < 0:
		return fmt.Errorf("ctf: steps %d: must be non-negative", p.Steps)
	}
	return nil
}

// Rate returns the Fowler–Nordheim rate A·E²·exp(−B/E) (0 for E ≤ 0).
func (p Params) Rate(e float64) float64 {
	if e <= 0 {
		return 0
	}
	return p.A * e * e * math.Exp(-p.B/e)
}

// Cell is one charge-trap-flash cell: its threshold-voltage shift VT (V), the
// blocking-oxide trap state Q ∈ [0, 1] and the time T (µs) when Q was last brought up
// to date. The zero Cell is a fresh, erased cell at time 0.
type Cell struct {
	VT, Q, T float64
}

// Advance integrates the V_T shift y = s·V_T under a constant applied field e0eff
// for dt µs, exactly: with u = 1/E, E = e0eff − β·y, du/dt = β·A·exp(−B·u), so
// exp(B·u(t)) = exp(B·u(0)) + A·B·β·t. It returns the new y.
func (p Params) Advance(y, e0eff, dt float64) float64 {
	if dt <= 0 {
		return y
	}
	e := e0eff - p.Beta*y
	if e <= 0 {
		return y
	}
	if p.Beta == 0 {
		return y + p.Rate(e)*dt
	}
	bu := p.B / e
	// ln(exp(bu) + A·B·β·dt) = bu + log1p(A·B·β·dt·exp(−bu))
	bu1 := bu + math.Log1p(p.A*p.B*p.Beta*dt*math.Exp(-bu))
	e1 := p.B / bu1
	return (e0eff - e1) / p.Beta
}

// Relax lets the trap state decay in a gap up to time t: Q ← Q·exp(−(t−T)/τe).
func (c *Cell) Relax(p Params, t float64) {
	if t > c.T {
		c.Q *= math.Exp(-(t - c.T) / p.TauE)
		c.T = t
	}
}

// Pulse applies one pulse of width w µs starting at time t (≥ c.T) in direction
// sign (+1 programs, raising V_T; −1 erases). The trap state relaxes lazily over the
// gap since c.T, then, during the ON time, charges as dQ/dt = (1−Q)/τc while V_T
// integrates the Fowler–Nordheim rate at E = E0(1 + κQ) − β·sign·V_T. With κ = 0 the
// pulse is integrated in one exact step, so program time is conserved exactly.
func (c *Cell) Pulse(p Params, t, w float64, sign int) {
	c.Relax(p, t)
	s := 1.0
	if sign < 0 {
		s = -1
	}
	y := s * c.VT
	if p.Kappa == 0 {
		y = p.Advance(y, p.E0, w)
		c.Q = 1 - (1-c.Q)*math.Exp(-w/p.TauC)
	} else {
		steps := p.Steps
		if steps == 0 {
			steps = 40
		}
		n := int(math.Ceil(w / p.TauC * float64(steps)))
		n = max(n, 1)
		h := w / float64(n)
		for range n {
			qm := 1 - (1-c.Q)*math.Exp(-0.5*h/p.TauC) // trap state at the sub-step's midpoint
			y = p.Advance(y, p.E0*(1+p.Kappa*qm), h)
			c.Q = 1 - (1-c.Q)*math.Exp(-h/p.TauC)
		}
	}
	c.VT = s * y
	c.T = t + w
}

// TrainShift returns the V_T shift of a fresh cell after n program pulses of width
// pw µs separated by gaps of gap µs.
func (p Params) TrainShift(n int, pw, gap float64) float64 {
	var c Cell
	t := 0.0
	for range n {
		c.Pulse(p, t, pw, 1)
		t += pw + gap
	}
	return c.VT
}

// Conserved returns the shift a fresh cell gets from one continuous pulse of the
// whole ON time ton: the shift every train of that total ON time would give if
// program time were conserved.
func (p Params) Conserved(ton float64) float64 { return p.TrainShift(1, ton, 0) }

// Ratio returns TrainShift(n, pw, gap) / Conserved(n·pw).
func (p Params) Ratio(n int, pw, gap float64) float64 {
	return p.TrainShift(n, pw, gap) / p.Conserved(float64(n)*pw)
}
