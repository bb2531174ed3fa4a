package analog

import (
	"fmt"
	"math"

	"github.com/ergml/erg/analog/ctf"
)

// CTFDevice configures charge-trap-flash devices in a tile: the cell of package ctf
// driven in time by the update's pulse trains. Slot s of an update with train length
// BL starts at s·(PW+Gap) after the update's start; updates follow each other after
// BL·(PW+Gap) + Interval. The weight is the V_T shift in units of the step of one
// pulse at the saturated trap state: w = V_T/V_w with V_w = A·E0'²·exp(−B/E0')·PW/DwMin,
// E0' = E0(1+κ), so that with κ = 0 (and q = 1) one pulse at w = 0 moves w by DwMin.
type CTFDevice struct {
	Cell     ctf.Params `json:"cell"`
	DwMin    float64    `json:"dw_min"`
	WMax     float64    `json:"w_max"`
	WMin     float64    `json:"w_min"`
	BetaW    float64    `json:"beta_w"`      // field lost per unit weight of shift, MV/cm (replaces Cell.Beta)
	PW       float64    `json:"pw_us"`       // pulse width, µs
	Gap      float64    `json:"gap_us"`      // gap between slots, µs
	Interval float64    `json:"interval_us"` // time between the end of one update's train and the next, µs

	// Compensations: GapCompaction issues a device's coincidences of one update back to
	// back at the minimum gap MinGap; Calibrated raises the update's learning rate by
	// the inverse of the measured train efficiency (see CTFArray).
	GapCompaction bool    `json:"gap_compaction,omitempty"`
	MinGap        float64 `json:"min_gap_us,omitempty"`
	Calibrated    bool    `json:"calibrated_bl,omitempty"`
}

// DefaultCTFDevice returns the CTF cell of ctf.Default with dw_min 0.001, weights in
// [−1, 1], β_w 0.7 MV/cm per unit weight (the step at |w| = 1 is about half that at
// 0), pulses of 1 µs with 1 µs gaps and 100 µs between updates (the time of the
// other layers' passes), minimum gap 0.1 µs for gap compaction.
func DefaultCTFDevice() CTFDevice {
	return CTFDevice{Cell: ctf.Default(), DwMin: 0.001, WMax: 1, WMin: -1, BetaW: 0.7, PW: 1, Gap: 1, Interval: 100, MinGap: 0.1}
}

// Validate reports the first bad value, naming the flag.
func (c CTFDevice) Validate() error {
	switch {
	case !(c.DwMin > 0):
		return &ParamError{Field: "dw-min", Value: c.DwMin, Reason: "must be positive"}
	case !(c.WMin < c.WMax):
		return &ParamError{Field: "w-min", Value: c.WMin, Reason: fmt.Sprintf("must be below w-max %v", c.WMax)}
	case !(c.PW > 0):
		return &ParamError{Field: "pw", Value: c.PW, Reason: "must be positive"}
	case !(c.Gap >= 0):
		return &ParamError{Field: "gap", Value: c.Gap, Reason: "must be non-negative"}
	case !(c.Interval >= 0):
		return &ParamError{Field: "interval", Value: c.Interval, Reason: "must be non-negative"}
	case !(c.MinGap >= 0):
		return &ParamError{Field: "min-gap", Value: c.MinGap, Reason: "must be non-negative"}
	case !(c.BetaW >= 0):
		return &ParamError{Field: "beta-w", Value: c.BetaW, Reason: "must be non-negative"}
	}
	if err := c.Cell.Validate(); err != nil {
		return &ParamError{Field: "kappa", Value: c.Cell.Kappa, Reason: err.Error()}
	}
	return nil
}

// CTFArray is the state of a tile's CTF devices: per device the trap state q and the
// time it was last brought up to date, and the tile's clock (µs).
type CTFArray struct {
	CTFDevice
	Q     []float32
	TLast []float64
	Clock float64

	p    ctf.Params // in weight units: A/V_w, β = BetaW
	qeff []float64  // effective constant trap state of a pulse starting at q0 (grid)
	qEnd float64    // exp(−PW/τc)
	slot float64
	bl   int
	eff  []float64 // efficiency of n pulses in consecutive slots from q = 0, n = 1..
}

const qGrid = 256

// NewCTFArray returns n fresh devices (q = 0) at clock 0.
func NewCTFArray(c CTFDevice, n int) *CTFArray {
	if err := c.Validate(); err != nil {
		panic(err)
	}
	a := &CTFArray{CTFDevice: c, Q: make([]float32, n), TLast: make([]float64, n)}
	p := c.Cell
	e1 := p.E0 * (1 + p.Kappa)
	vw := p.Rate(e1) * c.PW / c.DwMin
	a.p = p
	a.p.A = p.A / vw
	a.p.Beta = c.BetaW
	a.qEnd = math.Exp(-c.PW / p.TauC)
	a.slot = c.PW + c.Gap
	// effective q: the constant trap state that gives, at β = 0, the shift of the
	// exact time-resolved pulse (ctf.Cell.Pulse) from q0
	a.qeff = make([]float64, qGrid+1)
	pz := a.p
	pz.Beta = 0
	for g := range qGrid + 1 {
		q0 := float64(g) / qGrid
		if p.Kappa == 0 {
			a.qeff[g] = 0
			continue
		}
		cell := ctf.Cell{Q: q0}
		cell.Pulse(pz, 0, c.PW, 1)
		target := cell.VT / c.PW
		lo, hi := 0.0, 1.0
		for range 50 {
			m := 0.5 * (lo + hi)
			if pz.Rate(p.E0*(1+p.Kappa*m)) < target {
				lo = m
			} else {
				hi = m
			}
		}
		a.qeff[g] = 0.5 * (lo + hi)
	}
	return a
}

// begin starts an update with train length bl and returns its start time.
func (a *CTFArray) begin(bl int) float64 {
	t0 := a.Clock
	a.bl = bl
	gap := a.Gap
	a.Clock += float64(bl)*(a.PW+gap) + a.Interval
	return t0
}

// pulse applies device k's m-th pulse of the update (in slot s) to weight w.
func (a *CTFArray) pulse(k int, w float64, sign int, t0 float64, s, m int) float64 {
	t := t0 + float64(s)*a.slot
	if a.GapCompaction {
		t = t0 + float64(m)*(a.PW+a.MinGap)
	}
	q := float64(a.Q[k])
	if dt := t - a.TLast[k]; dt > 0 {
		q *= math.Exp(-dt / a.p.TauE)
	}
	sg := 1.0
	if sign > 0 { // a positive x·d coincidence lowers w (erase)
		sg = -1
	}
	y := sg * w
	x := q * qGrid
	g := min(int(x), qGrid-1)
	f := x - float64(g)
	qe := (1-f)*a.qeff[g] + f*a.qeff[g+1]
	y = a.p.Advance(y, a.p.E0*(1+a.p.Kappa*qe), a.PW)
	a.Q[k] = float32(1 - (1-q)*a.qEnd)
	a.TLast[k] = t + a.PW
	return min(max(sg*y, a.WMin), a.WMax)
}

// efficiency returns the shift of n pulses in consecutive slots of a fresh device
// (the measured ΔV(n, pw, gap) table, at w = 0) over n ideal steps, for n the expected
// number of coincidences of the update's largest x and d, ceil(lr·x_max·d_max/dw_min)
// capped at the train length: the factor calibrated-bl divides the learning rate by.
func (a *CTFArray) efficiency(lr, xMax, dMax float64) float64 {
	n := int(math.Ceil(lr * xMax * dMax / a.DwMin))
	n = min(max(n, 1), 4096)
	for len(a.eff) < n {
		m := len(a.eff) + 1
		var c ctf.Cell
		p := a.p
		p.Beta = 0
		for s := range m {
			t := float64(s) * a.slot
			if a.GapCompaction {
				t = float64(s) * (a.PW + a.MinGap)
			}
			c.Pulse(p, t, a.PW, 1)
		}
		a.eff = append(a.eff, c.VT/(float64(m)*a.DwMin))
	}
	return max(a.eff[n-1], 1e-3)
}
