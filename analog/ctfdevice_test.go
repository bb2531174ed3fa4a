package analog

import (
	"math"
	"testing"

	"github.com/ergml/erg/analog/ctf"
)

// TestCTFDeviceStep checks the calibration of the CTF device: with κ = 0 one pulse at
// w = 0 moves the weight by exactly dw_min (β_w = 0), whatever the trap state; with
// κ > 0 a pulse on a saturated trap state moves it by dw_min and its effective-q
// table reproduces the time-resolved cell (ctf.Cell.Pulse) within 1e-3 of a step.
func TestCTFDeviceStep(t *testing.T) {
	d := DefaultCTFDevice()
	d.BetaW = 0
	d.Cell.Kappa = 0
	a := NewCTFArray(d, 1)
	if got := a.pulse(0, 0, -1, 0, 0, 0); math.Abs(got-d.DwMin) > 1e-15 {
		t.Errorf("κ 0: step %v, want %v", got, d.DwMin)
	}
	d = DefaultCTFDevice()
	d.BetaW = 0
	a = NewCTFArray(d, 1)
	for _, q0 := range []float64{0, 0.3, 0.77, 1} {
		a.Q[0], a.TLast[0] = float32(q0), 0
		got := a.pulse(0, 0, -1, 0, 0, 0)
		p := a.p
		p.Beta = 0
		c := ctf.Cell{Q: float64(float32(q0))}
		c.Pulse(p, 0, d.PW, 1)
		if math.Abs(got-c.VT) > 1e-3*d.DwMin {
			t.Errorf("q0 %v: step %.6g, time-resolved cell %.6g", q0, got, c.VT)
		}
		if q0 == 1 && math.Abs(got-d.DwMin) > 1e-3*d.DwMin {
			t.Errorf("saturated trap state: step %v, want dw_min %v", got, d.DwMin)
		}
	}
	// a down pulse (positive x·d) lowers the weight
	if got := a.pulse(0, 0, 1, 1000, 0, 0); got >= 0 {
		t.Errorf("down pulse gave %v", got)
	}
}
