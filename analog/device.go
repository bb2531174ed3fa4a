package analog

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Device kinds (aihwkit's pulsed device models, src/aihwkit/simulator/configs/devices.py).
const (
	ConstantStep  = "constant-step"
	LinearStep    = "linear-step"
	SoftBounds    = "soft-bounds"
	ExpStep       = "exp-step"
	PowStep       = "pow-step"
	PiecewiseStep = "piecewise-step"
)

// Kinds lists the device kinds.
var Kinds = []string{ConstantStep, LinearStep, SoftBounds, ExpStep, PowStep, PiecewiseStep}

// Device holds the parameters of a pulsed resistive device model, with aihwkit's
// names (PulsedDevice and its subclasses in src/aihwkit/simulator/configs/devices.py).
// Relative spreads (…Dtod device-to-device, fixed at construction; DwMinStd
// cycle-to-cycle, drawn for every pulse) are in units of the parameter they spread.
// Build one with NewDevice or Preset.
type Device struct {
	Kind string `json:"kind"`

	DwMin      float64 `json:"dw_min"`       // mean step size
	DwMinDtod  float64 `json:"dw_min_dtod"`  // device-to-device spread of the step
	DwMinStd   float64 `json:"dw_min_std"`   // cycle-to-cycle spread of the step
	UpDown     float64 `json:"up_down"`      // systematic up/down asymmetry
	UpDownDtod float64 `json:"up_down_dtod"` // its device-to-device spread
	WMax       float64 `json:"w_max"`
	WMaxDtod   float64 `json:"w_max_dtod"`
	WMin       float64 `json:"w_min"`
	WMinDtod   float64 `json:"w_min_dtod"`

	// WriteNoiseStd (in units of DwMin): the weight the forward pass sees is the
	// updated hidden weight plus fresh Gaussian noise after every pulse.
	WriteNoiseStd float64 `json:"write_noise_std,omitempty"`

	// LinearStep (and SoftBounds, which fixes γ = 1 referenced to each device's bounds)
	GammaUp            float64 `json:"gamma_up,omitempty"`
	GammaDown          float64 `json:"gamma_down,omitempty"`
	GammaUpDtod        float64 `json:"gamma_up_dtod,omitempty"`
	GammaDownDtod      float64 `json:"gamma_down_dtod,omitempty"`
	AllowIncreasing    bool    `json:"allow_increasing,omitempty"`
	MeanBoundReference bool    `json:"mean_bound_reference,omitempty"`
	MultNoise          bool    `json:"mult_noise,omitempty"`

	// ExpStep
	ExpA         float64 `json:"a,omitempty"`
	ExpB         float64 `json:"b,omitempty"`
	AUp          float64 `json:"A_up,omitempty"`
	ADown        float64 `json:"A_down,omitempty"`
	ExpGammaUp   float64 `json:"exp_gamma_up,omitempty"`
	ExpGammaDown float64 `json:"exp_gamma_down,omitempty"`

	// PowStep
	PowGamma      float64 `json:"pow_gamma,omitempty"`
	PowGammaDtod  float64 `json:"pow_gamma_dtod,omitempty"`
	PowUpDown     float64 `json:"pow_up_down,omitempty"`
	PowUpDownDtod float64 `json:"pow_up_down_dtod,omitempty"`

	// PiecewiseStep: relative step sizes on nodes equally spaced over [w_min, w_max]
	PiecewiseUp   []float64 `json:"piecewise_up,omitempty"`
	PiecewiseDown []float64 `json:"piecewise_down,omitempty"`
}

// NewDevice returns kind with aihwkit's class defaults: PulsedDevice's dw_min 0.001,
// dw_min_dtod 0.3, dw_min_std 0.3, up_down 0, up_down_dtod 0.01, w_max 0.6, w_min
// −0.6, w_max/min_dtod 0.3; LinearStep γ 0 (d-to-d 0.05), multiplicative noise,
// mean-bound reference; SoftBounds multiplicative noise; ExpStep A_up 0.00081,
// A_down 0.36833, γ_up 12.44625, γ_down 12.78785, a 0.244, b 0.2425; PowStep γ 1
// (d-to-d 0.1); PiecewiseStep [1], [1].
func NewDevice(kind string) (Device, error) {
	d := Device{Kind: kind, DwMin: 0.001, DwMinDtod: 0.3, DwMinStd: 0.3, UpDownDtod: 0.01,
		WMax: 0.6, WMaxDtod: 0.3, WMin: -0.6, WMinDtod: 0.3}
	switch kind {
	case ConstantStep:
	case LinearStep:
		d.GammaUpDtod, d.GammaDownDtod, d.MultNoise, d.MeanBoundReference = 0.05, 0.05, true, true
	case SoftBounds:
		d.MultNoise = true
	case ExpStep:
		d.AUp, d.ADown, d.ExpGammaUp, d.ExpGammaDown, d.ExpA, d.ExpB = 0.00081, 0.36833, 12.44625, 12.78785, 0.244, 0.2425
	case PowStep:
		d.PowGamma, d.PowGammaDtod = 1, 0.1
	case PiecewiseStep:
		d.PiecewiseUp, d.PiecewiseDown = []float64{1}, []float64{1}
	default:
		return Device{}, fmt.Errorf("analog: unknown device kind %q (want %s)", kind, strings.Join(Kinds, ", "))
	}
	return d, nil
}

func mustDevice(kind string) Device {
	d, err := NewDevice(kind)
	if err != nil {
		panic(err)
	}
	return d
}

// Presets lists the preset names of Preset.
var Presets = []string{"constant-step", "idealized", "gokmen-vlasov", "ecram", "ecram-mo", "capacitor", "reram-es", "reram-sb",
	"linear-step", "soft-bounds", "exp-step", "pow-step", "piecewise-step"}

// Preset returns a named device: the class defaults of a kind (NewDevice), or one of
// aihwkit's presets (src/aihwkit/simulator/presets/devices.py): idealized
// (IdealizedPresetDevice: constant step 0.0002, ±1, no up/down spread), gokmen-vlasov
// (0.0016, ±1), ecram (EcRamPresetDevice), ecram-mo (EcRamMOPresetDevice), capacitor
// (CapacitorPresetDevice), reram-es (ReRamESPresetDevice), reram-sb (ReRamSBPresetDevice).
func Preset(name string) (Device, error) {
	if slices.Contains(Kinds, name) {
		return NewDevice(name)
	}
	var d Device
	switch name {
	case "idealized":
		d = mustDevice(ConstantStep)
		d.DwMin, d.DwMinDtod, d.DwMinStd, d.UpDown, d.UpDownDtod = 0.0002, 0.3, 0.3, 0, 0
		d.WMax, d.WMin, d.WMaxDtod, d.WMinDtod = 1, -1, 0.3, 0.3
	case "gokmen-vlasov":
		d = mustDevice(ConstantStep)
		d.DwMin, d.DwMinDtod, d.DwMinStd, d.UpDown, d.UpDownDtod = 0.0016, 0.3, 0.3, 0, 0.01
		d.WMax, d.WMin, d.WMaxDtod, d.WMinDtod = 1, -1, 0.3, 0.3
	case "ecram":
		d = mustDevice(LinearStep)
		d.DwMin, d.UpDown, d.WMax, d.WMin, d.MultNoise = 0.002, 0, 1.1724, -0.8276, true
		d.GammaUp, d.GammaDown, d.DwMinDtod, d.UpDownDtod, d.WMaxDtod, d.WMinDtod = 0.1153, 0.5085, 0.1, 0.01, 0.05, 0.05
		d.GammaUpDtod, d.GammaDownDtod, d.DwMinStd, d.MeanBoundReference = 0.05, 0.05, 0.3, true
	case "ecram-mo":
		d = mustDevice(LinearStep)
		d.DwMin, d.UpDown, d.WMax, d.WMin, d.MultNoise = 2.8214e-4, 0, 1.1714, -0.8286, true
		d.GammaUp, d.GammaDown, d.DwMinDtod, d.UpDownDtod, d.WMaxDtod, d.WMinDtod = 0.4152, 0.7342, 0.1, 0.01, 0.05, 0.05
		d.GammaUpDtod, d.GammaDownDtod, d.DwMinStd, d.MeanBoundReference = 0.05, 0.05, 2.0, true
	case "capacitor":
		d = mustDevice(LinearStep)
		d.DwMin, d.UpDown, d.WMax, d.WMin, d.MultNoise = 0.005, 0, 1, -1, false
		d.GammaUp, d.GammaDown, d.DwMinDtod, d.UpDownDtod, d.WMaxDtod, d.WMinDtod = 0.05, 0.05, 0.1, 0.06, 0.07, 0.07
		d.GammaUpDtod, d.GammaDownDtod, d.DwMinStd, d.MeanBoundReference = 0.01, 0.01, 0.3, true
		// aihwkit's preset also sets lifetime 1e6 mini-batches (leakage), not modelled here.
	case "reram-es":
		d = mustDevice(ExpStep)
		d.DwMin, d.UpDown, d.WMax, d.WMin = 0.00135, 0.259359, 1, -1
		d.ExpA, d.ExpB, d.ExpGammaUp, d.ExpGammaDown, d.AUp, d.ADown = -0.5, -0.5, 5, 5, -1.18445, -0.081404
		d.DwMinDtod, d.UpDownDtod, d.WMaxDtod, d.WMinDtod, d.DwMinStd, d.WriteNoiseStd = 0.2, 0.05, 0.3, 0.3, 5.0, 75.0
	case "reram-sb":
		d = mustDevice(SoftBounds)
		d.DwMin, d.UpDown, d.WMax, d.WMin, d.MultNoise = 0.002, 0, 1.25, -0.75, false
		d.DwMinDtod, d.UpDownDtod, d.WMaxDtod, d.WMinDtod, d.DwMinStd, d.WriteNoiseStd = 0.3, 0.01, 0.3/1.25, 0.3/0.75, 3.75, 56
	default:
		return Device{}, fmt.Errorf("analog: unknown device preset %q (want %s)", name, strings.Join(Presets, ", "))
	}
	return d, nil
}

// Noiseless returns d without device-to-device and cycle-to-cycle variation: every
// device of an array has the mean parameters and every pulse the mean step.
func (d Device) Noiseless() Device {
	d.DwMinDtod, d.DwMinStd, d.UpDownDtod, d.WMaxDtod, d.WMinDtod, d.WriteNoiseStd = 0, 0, 0, 0, 0, 0
	d.GammaUpDtod, d.GammaDownDtod, d.PowGammaDtod, d.PowUpDownDtod = 0, 0, 0, 0
	return d
}

// Validate reports the first bad parameter; the field names are the flag names of
// erg analog device.
func (d Device) Validate() error {
	switch {
	case !slices.Contains(Kinds, d.Kind):
		return fmt.Errorf("analog: unknown device kind %q", d.Kind)
	case !(d.DwMin > 0):
		return &ParamError{Field: "dw-min", Value: d.DwMin, Reason: "must be positive"}
	case !(d.WMin < d.WMax):
		return &ParamError{Field: "w-min", Value: d.WMin, Reason: fmt.Sprintf("must be below w-max %v", d.WMax)}
	case d.WMin > 0 || d.WMax < 0:
		// rpu_pulsed_device.cpp populate: "The closed interval [w_min,w_max] needs to contain 0."
		return &ParamError{Field: "w-min", Value: d.WMin, Reason: fmt.Sprintf("[w-min, w-max] = [%v, %v] must contain 0", d.WMin, d.WMax)}
	case d.Kind == PiecewiseStep && len(d.PiecewiseUp) != len(d.PiecewiseDown):
		return &ParamError{Field: "piecewise-down", Value: len(d.PiecewiseDown), Reason: fmt.Sprintf("needs as many nodes as piecewise-up (%d)", len(d.PiecewiseUp))}
	}
	for _, v := range []float64{d.DwMinDtod, d.DwMinStd, d.UpDownDtod, d.WMaxDtod, d.WMinDtod, d.WriteNoiseStd} {
		if !(v >= 0) {
			return &ParamError{Field: "dw-min-std", Value: v, Reason: "spreads must be non-negative"}
		}
	}
	return nil
}

// ParamError is a bad parameter value; Field is the flag that sets it.
type ParamError struct {
	Field  string
	Value  any
	Reason string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("analog: %s %v: %s", e.Field, e.Value, e.Reason)
}

// Array is the state of Rows×Cols devices of one kind: the per-device hidden
// parameters drawn at construction (bounds, up and down steps, slopes or exponents),
// as aihwkit's PulsedRPUDevice::populate draws them (rpu_pulsed_device.cpp), and the
// hidden persistent weights when the device has write noise.
type Array struct {
	Dev        Device
	Rows, Cols int

	wMax, wMin, up, down []float64
	slopeUp, slopeDown   []float64 // linear-step, soft-bounds
	gUp, gDown           []float64 // pow-step
	persist              []float64 // hidden weights (write noise), nil without
	writeNoise           float64   // WriteNoiseStd·DwMin
}

// NewArray draws the hidden parameters of rows×cols devices from rng.
func NewArray(dev Device, rows, cols int, rng *rand.Rand) *Array {
	if err := dev.Validate(); err != nil {
		panic(err)
	}
	n := rows * cols
	a := &Array{Dev: dev, Rows: rows, Cols: cols, wMax: make([]float64, n), wMin: make([]float64, n), up: make([]float64, n), down: make([]float64, n)}
	upBias, downBias := 0.0, 0.0
	if dev.UpDown > 0 {
		downBias = -dev.UpDown
	} else {
		upBias = dev.UpDown
	}
	g := func(s float64) float64 {
		if s == 0 {
			return 0
		}
		return s * rng.NormFloat64()
	}
	// x-major loop as in PulsedRPUDevice::populate: for j (inputs), for i (outputs)
	for j := range cols {
		for i := range rows {
			k := i*cols + j
			a.wMax[k] = dev.WMax * (1 + g(dev.WMaxDtod))
			a.wMin[k] = dev.WMin * (1 + g(dev.WMinDtod))
			gain := 1 + g(dev.DwMinDtod)
			r := g(dev.UpDownDtod)
			a.up[k] = math.Abs((upBias + gain + r) * dev.DwMin) // enforce_consistency (the default)
			a.down[k] = math.Abs((downBias + gain - r) * dev.DwMin)
			if a.wMin[k] > a.wMax[k] {
				a.wMin[k], a.wMax[k] = a.wMax[k], a.wMin[k]
			}
			a.wMax[k], a.wMin[k] = math.Abs(a.wMax[k]), -math.Abs(a.wMin[k])
		}
	}
	switch dev.Kind {
	case LinearStep, SoftBounds:
		a.slopeUp, a.slopeDown = make([]float64, n), make([]float64, n)
		gu, gd, gud, gdd, mean, incr := dev.GammaUp, dev.GammaDown, dev.GammaUpDtod, dev.GammaDownDtod, dev.MeanBoundReference, dev.AllowIncreasing
		if dev.Kind == SoftBounds { // SoftBoundsRPUDeviceMetaParameter (rpu_linearstep_device.h)
			gu, gd, gud, gdd, mean, incr = 1, 1, 0, 0, false, false
		}
		// LinearStepRPUDevice::populate (rpu_linearstep_device.cpp): i outer, j inner
		for i := range rows {
			for j := range cols {
				k := i*cols + j
				su, sd := gu+g(gud), gd+g(gdd)
				if !incr {
					su, sd = math.Abs(su), math.Abs(sd)
				}
				refUp, refDown := a.wMax[k], a.wMin[k]
				if mean {
					refUp, refDown = dev.WMax, dev.WMin
				}
				if refUp != 0 {
					a.slopeUp[k] = -su * a.up[k] / refUp
				}
				if refDown != 0 {
					a.slopeDown[k] = -sd * a.down[k] / refDown
				}
			}
		}
	case PowStep:
		a.gUp, a.gDown = make([]float64, n), make([]float64, n)
		ub, db := 0.0, 0.0
		if dev.PowUpDown > 0 {
			db = -dev.PowUpDown
		} else {
			ub = dev.PowUpDown
		}
		for i := range rows {
			for j := range cols {
				k := i*cols + j
				gain := 1 + g(dev.PowGammaDtod)
				r := g(dev.PowUpDownDtod)
				a.gUp[k] = math.Abs((ub + gain + r) * dev.PowGamma)
				a.gDown[k] = math.Abs((db + gain - r) * dev.PowGamma)
			}
		}
	}
	if dev.WriteNoiseStd > 0 {
		a.persist = make([]float64, n)
		a.writeNoise = dev.WriteNoiseStd * dev.DwMin
	}
	return a
}

// Bounds returns device k's hard bounds.
func (a *Array) Bounds(k int) (lo, hi float64) { return a.wMin[k], a.wMax[k] }

// Steps returns device k's up and down step sizes (|Δw| of one pulse at w = 0 for the
// constant-step model).
func (a *Array) Steps(k int) (up, down float64) { return a.up[k], a.down[k] }

// Set clips the weights w to the devices' bounds (PulsedRPUDevice::onSetWeights) and,
// with write noise, stores them as the hidden weights and adds noise to w.
func (a *Array) Set(w []float32, rng *rand.Rand) {
	for k := range w {
		v := min(max(float64(w[k]), a.wMin[k]), a.wMax[k])
		w[k] = float32(v)
		if a.persist != nil {
			a.persist[k] = v
			w[k] = float32(v + a.writeNoise*rng.NormFloat64())
		}
	}
}

// Pulse applies one pulse to device k whose (visible) weight is w and returns the new
// weight. sign > 0 is a down pulse (aihwkit: a positive x·d coincidence lowers w),
// otherwise up. rng draws the cycle-to-cycle and write noise; it may be nil when the
// device has neither.
func (a *Array) Pulse(k int, w float64, sign int, rng *rand.Rand) float64 {
	if a.persist != nil {
		w = a.persist[k]
	}
	d := &a.Dev
	std := d.DwMinStd
	noise := func() float64 {
		if std == 0 {
			return 0
		}
		return std * rng.NormFloat64()
	}
	lo, hi := a.wMin[k], a.wMax[k]
	switch d.Kind {
	case ConstantStep: // ConstantStepRPUDevice::doSparseUpdate (rpu_constantstep_device.cpp)
		if sign > 0 {
			w -= (1 + noise()) * a.down[k]
		} else {
			w += (1 + noise()) * a.up[k]
		}
	case LinearStep, SoftBounds: // update_once_mult / update_once_add (rpu_linearstep_device.cpp)
		if d.MultNoise {
			if sign > 0 {
				w -= (a.slopeDown[k]*w + a.down[k]) * (1 + noise())
			} else {
				w += (a.slopeUp[k]*w + a.up[k]) * (1 + noise())
			}
		} else {
			if sign > 0 {
				w -= a.slopeDown[k]*w + a.down[k]*(1+noise())
			} else {
				w += a.slopeUp[k]*w + a.up[k]*(1+noise())
			}
		}
	case ExpStep: // update_once (rpu_expstep_device.cpp)
		bd := hi - lo
		if bd <= 0 {
			return w
		}
		z := 2*w/bd*d.ExpA + d.ExpB
		if sign > 0 {
			y := max(1-d.ADown*math.Exp(-d.ExpGammaDown*z), 0)
			w -= y * (1 + noise()) * a.down[k]
		} else {
			y := max(1-d.AUp*math.Exp(d.ExpGammaUp*z), 0)
			w += y * (1 + noise()) * a.up[k]
		}
	case PowStep: // update_once (rpu_powstep_device.cpp)
		rg := hi - lo
		if rg == 0 {
			return w
		}
		if sign > 0 {
			w -= a.down[k] * math.Pow((w-lo)/rg, a.gDown[k]) * (1 + noise())
		} else {
			w += a.up[k] * math.Pow((hi-w)/rg, a.gUp[k]) * (1 + noise())
		}
	case PiecewiseStep: // update_once (rpu_piecewisestep_device.cpp)
		up, dn := d.PiecewiseUp, d.PiecewiseDown
		ns := len(up) - 1
		if ns <= 0 || hi <= lo {
			if sign > 0 {
				v := a.down[k]
				if len(dn) > 0 {
					v *= dn[0]
				}
				w -= v * (1 + noise())
			} else {
				v := a.up[k]
				if len(up) > 0 {
					v *= up[0]
				}
				w += v * (1 + noise())
			}
		} else {
			ws := max((w-lo)/(hi-lo)*float64(ns), 0)
			idx := min(int(math.Floor(ws)), ns-1)
			t := min(ws-float64(idx), 1)
			if sign > 0 {
				w -= a.down[k] * ((1-t)*dn[idx] + t*dn[idx+1]) * (1 + noise())
			} else {
				w += a.up[k] * ((1-t)*up[idx] + t*up[idx+1]) * (1 + noise())
			}
		}
	}
	w = min(max(w, lo), hi)
	if a.persist != nil {
		a.persist[k] = w
		return w + a.writeNoise*rng.NormFloat64()
	}
	return w
}

// Response applies up pulses then down pulses to device k starting from w0 and
// returns the weight after each pulse (up+down values).
func (a *Array) Response(k int, w0 float64, up, down int, rng *rand.Rand) []float64 {
	out := make([]float64, 0, up+down)
	if a.persist != nil {
		a.persist[k] = min(max(w0, a.wMin[k]), a.wMax[k])
	}
	w := w0
	for n := range up + down {
		s := -1
		if n >= up {
			s = 1
		}
		w = a.Pulse(k, w, s, rng)
		out = append(out, w)
	}
	return out
}

// ClosedForm returns the noise-free response of the mean device of d (d.Noiseless)
// to up pulses then down pulses from w0, from the closed forms of the update rules in
// aihwkit's documentation (devices.py): constant step w₀ ± n·Δw clipped; linear step
// and soft bounds the geometric series w_n = (w₀ + c/s)(1+s)ⁿ − c/s of
// w ← w + s·w + c; for exp-step, pow-step and piecewise-step (no closed form over n)
// the one-pulse formula iterated in float64.
func ClosedForm(d Device, w0 float64, up, down int) []float64 {
	d = d.Noiseless()
	lo, hi := d.WMin, d.WMax
	dwU, dwD := d.DwMin, d.DwMin
	if d.UpDown > 0 {
		dwD *= 1 - d.UpDown
	} else {
		dwU *= 1 + d.UpDown
	}
	out := make([]float64, 0, up+down)
	clip := func(v float64) float64 { return min(max(v, lo), hi) }
	switch d.Kind {
	case ConstantStep:
		var w float64
		for n := 1; n <= up; n++ {
			w = clip(w0 + float64(n)*dwU)
			if w == hi { // after the bound the series is flat
				for range up - n + 1 {
					out = append(out, hi)
				}
				break
			}
			out = append(out, w)
		}
		if up == 0 {
			w = w0
		} else {
			w = out[len(out)-1]
		}
		for n := 1; n <= down; n++ {
			out = append(out, max(w-float64(n)*dwD, lo))
		}
		return out
	case LinearStep, SoftBounds:
		gu, gd := d.GammaUp, d.GammaDown
		if d.Kind == SoftBounds {
			gu, gd = 1, 1
		}
		gu, gd = math.Abs(gu), math.Abs(gd)
		// up: w ← w + (−γu·dwU/hi)·w + dwU ; down: w ← w − ((−γd·dwD/lo)·w + dwD)
		geo := func(w0, s, c float64, n int) float64 {
			if s == 0 {
				return w0 + float64(n)*c
			}
			return (w0+c/s)*math.Pow(1+s, float64(n)) - c/s
		}
		su, cu := -gu*dwU/hi, dwU
		sd, cd := gd*dwD/lo, -dwD // w ← w + sd·w + cd
		w, nStart := w0, 0
		for n := 1; n <= up; n++ {
			v := geo(w0, su, cu, n-nStart)
			if v >= hi { // clipped: the series restarts from the bound
				w0, nStart, v = hi, n, hi
			}
			w = clip(v)
			out = append(out, w)
		}
		w0, nStart = w, 0
		for n := 1; n <= down; n++ {
			v := geo(w0, sd, cd, n-nStart)
			if v <= lo {
				w0, nStart, v = lo, n, lo
			}
			out = append(out, clip(v))
		}
		return out
	}
	// one-pulse formulas iterated
	w := w0
	for n := range up + down {
		if n < up {
			switch d.Kind {
			case ExpStep:
				z := 2*w/(hi-lo)*d.ExpA + d.ExpB
				w += max(1-d.AUp*math.Exp(d.ExpGammaUp*z), 0) * dwU
			case PowStep:
				w += dwU * math.Pow((hi-w)/(hi-lo), d.PowGamma)
			case PiecewiseStep:
				w += dwU * interp(d.PiecewiseUp, (w-lo)/(hi-lo))
			}
		} else {
			switch d.Kind {
			case ExpStep:
				z := 2*w/(hi-lo)*d.ExpA + d.ExpB
				w -= max(1-d.ADown*math.Exp(-d.ExpGammaDown*z), 0) * dwD
			case PowStep:
				w -= dwD * math.Pow((w-lo)/(hi-lo), d.PowGamma)
			case PiecewiseStep:
				w -= dwD * interp(d.PiecewiseDown, (w-lo)/(hi-lo))
			}
		}
		w = clip(w)
		out = append(out, w)
	}
	return out
}

// interp interpolates nodes equally spaced over [0, 1] at x.
func interp(v []float64, x float64) float64 {
	if len(v) == 1 {
		return v[0]
	}
	ns := float64(len(v) - 1)
	s := min(max(x*ns, 0), ns)
	i := min(int(s), len(v)-2)
	t := s - float64(i)
	return (1-t)*v[i] + t*v[i+1]
}
