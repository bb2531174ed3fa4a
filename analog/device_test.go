package analog

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestClosedForms compares the noise-free response of each device model (Array.Pulse,
// the update rules of aihwkit's rpu_*_device.cpp) with the closed forms of
// devices.py's docstrings (ClosedForm), 1000 up then 1000 down pulses from 0.
func TestClosedForms(t *testing.T) {
	const tol = 1e-6 // issue 17
	for _, name := range Presets {
		d, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "piecewise-step" {
			d.PiecewiseUp, d.PiecewiseDown = []float64{1.5, 1, 0.5, 0.2}, []float64{0.2, 0.6, 1, 1.4}
		}
		if name == "linear-step" {
			d.GammaUp, d.GammaDown = 0.3, 0.5
		}
		if name == "pow-step" {
			d.PowGamma = 1.7
		}
		d = d.Noiseless()
		a := NewArray(d, 1, 1, rand.New(rand.NewPCG(1, 2)))
		got := a.Response(0, 0, 1000, 1000, nil)
		want := ClosedForm(d, 0, 1000, 1000)
		worst := 0.0
		for n := range got {
			worst = max(worst, math.Abs(got[n]-want[n]))
		}
		if worst > tol {
			t.Errorf("%s: max |response − closed form| = %.3g, want ≤ %g", name, worst, tol)
		}
	}
}

// TestSoftBoundsShape checks soft bounds against its defining property (devices.py:
// "the update step response size ... goes to zero at the bound"): the up step at w is
// dw_min·(1 − w/w_max).
func TestSoftBoundsShape(t *testing.T) {
	d, _ := NewDevice(SoftBounds)
	d = d.Noiseless()
	a := NewArray(d, 1, 1, nil)
	for _, w := range []float64{-0.5, 0, 0.3, 0.59} {
		got := a.Pulse(0, w, -1, nil) - w
		want := d.DwMin * (1 - w/d.WMax)
		if math.Abs(got-want) > 1e-15 {
			t.Errorf("step at w=%v: %v, want %v", w, got, want)
		}
	}
}

// TestNoiseStatistics checks the device-to-device spread of the steps and bounds
// (PulsedRPUDevice::populate: up = (1 + dtod·ξ + up_down_dtod·ξ')·dw_min) and the
// cycle-to-cycle spread of one device's steps ((1 + dw_min_std·ξ)·Δw) within 3
// standard errors.
func TestNoiseStatistics(t *testing.T) {
	d, _ := NewDevice(ConstantStep)
	const n = 40000
	a := NewArray(d, 200, n/200, rand.New(rand.NewPCG(7, 8)))
	check := func(name string, xs []float64, mean, sd float64) {
		t.Helper()
		var m, v float64
		for _, x := range xs {
			m += x
		}
		m /= float64(len(xs))
		for _, x := range xs {
			v += (x - m) * (x - m)
		}
		v /= float64(len(xs) - 1)
		nn := float64(len(xs))
		if se := sd / math.Sqrt(nn); math.Abs(m-mean) > 3*se {
			t.Errorf("%s: mean %.6g, want %.6g ± %.2g (3 SE)", name, m, mean, 3*se)
		}
		// SE of the variance of a normal sample: σ²·sqrt(2/(n−1))
		if se := sd * sd * math.Sqrt(2/(nn-1)); math.Abs(v-sd*sd) > 3*se {
			t.Errorf("%s: variance %.6g, want %.6g ± %.2g (3 SE)", name, v, sd*sd, 3*se)
		}
	}
	check("up step (d-to-d)", a.up, d.DwMin, d.DwMin*math.Hypot(d.DwMinDtod, d.UpDownDtod))
	check("w_max (d-to-d)", a.wMax, d.WMax, d.WMax*d.WMaxDtod) // |·| is immaterial at 0.3 spread (P(<0) ≈ 4e-4)
	one := NewArray(d, 1, 1, rand.New(rand.NewPCG(9, 10)))
	steps := make([]float64, 20000)
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range steps {
		steps[i] = one.Pulse(0, 0, -1, rng)
	}
	check("up step (c-to-c)", steps, one.up[0], one.up[0]*d.DwMinStd)
}

// TestPresets spot-checks the presets against aihwkit's
// src/aihwkit/simulator/presets/devices.py.
func TestPresets(t *testing.T) {
	for _, c := range []struct {
		name           string
		dw, wmax, wmin float64
	}{{"constant-step", 0.001, 0.6, -0.6}, {"idealized", 0.0002, 1, -1}, {"gokmen-vlasov", 0.0016, 1, -1},
		{"ecram", 0.002, 1.1724, -0.8276}, {"capacitor", 0.005, 1, -1}, {"reram-es", 0.00135, 1, -1}, {"reram-sb", 0.002, 1.25, -0.75}} {
		d, err := Preset(c.name)
		if err != nil {
			t.Fatal(err)
		}
		if d.DwMin != c.dw || d.WMax != c.wmax || d.WMin != c.wmin {
			t.Errorf("%s: dw_min %v w ∈ [%v, %v], want %v [%v, %v]", c.name, d.DwMin, d.WMin, d.WMax, c.dw, c.wmin, c.wmax)
		}
	}
	if _, err := Preset("nope"); err == nil {
		t.Error("unknown preset accepted")
	}
	bad, _ := NewDevice(ConstantStep)
	bad.DwMin = 0
	if err := bad.Validate(); err == nil {
		t.Error("dw_min 0 accepted")
	}
	bad, _ = NewDevice(ConstantStep)
	bad.WMin = 1
	if err := bad.Validate(); err == nil {
		t.Error("w_min ≥ w_max accepted")
	}
}
