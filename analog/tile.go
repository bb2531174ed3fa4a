package analog

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// IO are the parameters of an analog matrix-vector product, with the names and
// semantics of aihwkit's IOParameters (src/aihwkit/simulator/parameters/io.py) and
// ForwardBackwardPassIOManaged (src/rpucuda/rpu_forward_backward_pass.cpp).
// Resolutions are given as in aihwkit, 1/steps, and act as res·2·bound
// (checkAndSetRes in rpu_pulsed_meta_parameter.cpp).
type IO struct {
	Perfect         bool    `json:"is_perfect"`
	InpBound        float64 `json:"inp_bound"`
	InpRes          float64 `json:"inp_res"`
	InpNoise        float64 `json:"inp_noise"`
	OutBound        float64 `json:"out_bound"`
	OutRes          float64 `json:"out_res"`
	OutNoise        float64 `json:"out_noise"`
	NoiseManagement string  `json:"noise_management"` // "abs-max" or "none"
	BoundManagement string  `json:"bound_management"` // "iterative" or "none"
	MaxBMFactor     int     `json:"max_bm_factor"`
	MaxBMRes        float64 `json:"max_bm_res"`
	NMThres         float64 `json:"nm_thres"`
	BMTestNegBound  bool    `json:"bm_test_negative_bound"`
}

// DefaultIO returns aihwkit's IOParameters defaults: 7-bit DAC (inp_res 1/126,
// inp_bound 1), 9-bit ADC (out_res 1/510), out_bound 12, out_noise 0.06, AbsMax noise
// management, iterative bound management, max_bm_factor 1000, max_bm_res 0.25.
func DefaultIO() IO {
	return IO{InpBound: 1, InpRes: 1.0 / 126, OutBound: 12, OutRes: 1.0 / 510, OutNoise: 0.06,
		NoiseManagement: "abs-max", BoundManagement: "iterative", MaxBMFactor: 1000, MaxBMRes: 0.25, BMTestNegBound: true}
}

// PresetIO returns aihwkit's PresetIOParameters (src/aihwkit/simulator/presets/utils.py),
// the forward and backward pass of its device presets: DefaultIO with out_bound 20 and
// out_noise 0.1.
func PresetIO() IO {
	io := DefaultIO()
	io.OutBound, io.OutNoise = 20, 0.1
	return io
}

// PerfectIO is an exact floating-point matrix-vector product.
func PerfectIO() IO { io := DefaultIO(); io.Perfect = true; return io }

// Validate reports the first bad value; as aihwkit, noise management needs inp_bound 1.
func (io IO) Validate() error {
	if io.Perfect {
		return nil
	}
	switch {
	case !(io.InpBound > 0) || !(io.OutBound > 0) || math.IsInf(io.OutBound, 0):
		return &ParamError{Field: "out-bound", Value: io.OutBound, Reason: "bounds must be positive and finite"}
	case io.NoiseManagement != "none" && io.NoiseManagement != "abs-max":
		return &ParamError{Field: "noise-management", Value: io.NoiseManagement, Reason: "want abs-max or none"}
	case io.NoiseManagement == "abs-max" && io.InpBound != 1:
		return &ParamError{Field: "inp-bound", Value: io.InpBound, Reason: "noise management expects inp_bound 1 (rpu_pulsed_meta_parameter.cpp)"}
	case io.BoundManagement != "none" && io.BoundManagement != "iterative":
		return &ParamError{Field: "bound-management", Value: io.BoundManagement, Reason: "want iterative or none"}
	}
	return nil
}

// checkRes is detail::checkRes of rpu_pulsed_meta_parameter.cpp: negative → 0, > 1
// is a number of steps → 1/steps.
func checkRes(r float64) float64 {
	if r < 0 {
		r = 0
	}
	if r > 1 {
		return 1 / r
	}
	return r
}

// Pulse types of the update.
const (
	PulseStochasticCompressed = "stochastic-compressed"
	PulseNone                 = "none"
	PulseMeanCount            = "mean-count"
)

// Update are aihwkit's UpdateParameters (src/aihwkit/simulator/parameters/training.py).
type Update struct {
	PulseType          string `json:"pulse_type"`
	DesiredBL          int    `json:"desired_bl"`
	UpdateManagement   bool   `json:"update_management"`
	UpdateBLManagement bool   `json:"update_bl_management"`
}

// DefaultUpdate returns aihwkit's defaults: stochastic-compressed pulse trains,
// desired_bl 31, update and BL management on.
func DefaultUpdate() Update {
	return Update{PulseType: PulseStochasticCompressed, DesiredBL: 31, UpdateManagement: true, UpdateBLManagement: true}
}

// Validate reports the first bad value.
func (u Update) Validate() error {
	switch u.PulseType {
	case PulseStochasticCompressed, PulseNone, PulseMeanCount:
	default:
		return &ParamError{Field: "pulse-type", Value: u.PulseType, Reason: "want stochastic-compressed, none or mean-count"}
	}
	if u.PulseType != PulseNone && u.DesiredBL <= 0 {
		return &ParamError{Field: "bl", Value: u.DesiredBL, Reason: "must be positive"}
	}
	return nil
}

// BLAB returns the pulse-train length and the probability scales for the d (A) and x
// (B) trains of one update, as PulsedUpdateMetaParameter::performUpdateManagement
// (rpu_pulsed_meta_parameter.cpp): BL = min(ceil(lr·max|x|·max|d|/dw_min), desired),
// A = B = sqrt(lr/(dw_min·BL)), then A·=√(x_max/d_max), B·=√(d_max/x_max) with both
// maxima at least dw_min².
func (u Update) BLAB(lr, dwMin, xMax, dMax float64) (bl int, a, b float64) {
	if lr <= 0 {
		return 0, 0, 0
	}
	// calculateBlAB with fixed_bl (aihwkit's default)
	bl = u.DesiredBL
	a = math.Sqrt(lr / (dwMin * float64(bl)))
	b = a
	if u.UpdateBLManagement || u.UpdateManagement {
		reg := dwMin * dwMin
		xm, dm := max(xMax, reg), max(dMax, reg)
		if u.UpdateBLManagement {
			bl = int(math.Ceil(lr * xm * dm / dwMin))
			bl = min(bl, u.DesiredBL)
			a = math.Sqrt(lr / (dwMin * float64(bl)))
			b = a
		}
		a *= math.Sqrt(xm / dm)
		b *= math.Sqrt(dm / xm)
	}
	return bl, a, b
}

// Tile is one analog crossbar of Out×In weights (row-major W[i·In+j], output i,
// input j) with its devices, IO parameters for the forward and backward passes and
// the pulsed update. Its random streams are seeded math/rand/v2 PCGs: one for the
// IO noise and the pulse trains, one per row for the cycle-to-cycle noise of the
// row's devices (so a row-parallel update does not depend on scheduling).
type Tile struct {
	Name    string
	Out, In int
	W       []float32

	Fwd, Bwd IO
	Upd      Update
	Dev      *Array    // pulsed devices (nil for a floating-point tile)
	CTF      *CTFArray // time-resolved charge-trap-flash devices (instead of Dev)

	Stats UpdateStats

	pcg    *rand.PCG
	rng    *rand.Rand
	rowPCG []*rand.PCG
	rowRNG []*rand.Rand

	xin, yout      []float32
	xm, dm         []uint64
	xnz, dnz       []int32
	xsg, dsg       []int8
	words, workers int
}

// UpdateStats counts a tile's updates.
type UpdateStats struct {
	Updates int64 `json:"updates"`
	BLSum   int64 `json:"bl_sum"` // sum of the pulse-train lengths
	Pulses  int64 `json:"pulses"` // coincidences, each one device pulse
	Clipped int64 `json:"-"`
}

// NewTile returns an Out×In tile whose devices (nil dev: floating point) and random
// streams are drawn from seed. Its weights are zero; set them with SetWeights.
func NewTile(name string, out, in int, dev *Device, fwd, bwd IO, upd Update, seed uint64) *Tile {
	t := &Tile{Name: name, Out: out, In: in, W: make([]float32, out*in), Fwd: fwd, Bwd: bwd, Upd: upd, workers: 2}
	t.pcg = rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	t.rng = rand.New(t.pcg)
	if dev != nil {
		t.Dev = NewArray(*dev, out, in, rand.New(rand.NewPCG(seed, 0xda942042e4dd58b5)))
	}
	t.rowPCG = make([]*rand.PCG, out)
	t.rowRNG = make([]*rand.Rand, out)
	for i := range out {
		t.rowPCG[i] = rand.NewPCG(seed, uint64(i)+1)
		t.rowRNG[i] = rand.New(t.rowPCG[i])
	}
	t.xin = make([]float32, max(in, out))
	t.yout = make([]float32, max(in, out))
	return t
}

// SetWeights copies w into the tile, clipped to the devices' bounds.
func (t *Tile) SetWeights(w []float32) {
	copy(t.W, w)
	switch {
	case t.Dev != nil:
		t.Dev.Set(t.W, t.rng)
	case t.CTF != nil:
		for k := range t.W {
			t.W[k] = float32(min(max(float64(t.W[k]), t.CTF.WMin), t.CTF.WMax))
		}
	}
}

func (t *Tile) granularity() float64 {
	switch {
	case t.Dev != nil:
		return t.Dev.Dev.DwMin
	case t.CTF != nil:
		return t.CTF.DwMin
	}
	return 0
}

// nmScale is computeNoiseManagement for AbsMax (or 1 for none).
func nmScale(v []float32, io IO) float32 {
	if io.NoiseManagement != "abs-max" {
		return 1
	}
	var m float32
	for _, x := range v {
		m = max(m, float32(math.Abs(float64(x))))
	}
	if io.NMThres > 0 {
		m = min(m, float32(io.NMThres))
	}
	return m
}

func rint(v float32) float32 { return float32(math.RoundToEven(float64(v))) }

// prepare scales, discretises (DAC), clips and adds input noise: prepareInputImplStage4.
func (t *Tile) prepare(dst, src []float32, scale float32, scaling bool, io IO) {
	bound := float32(io.InpBound)
	res := float32(checkRes(io.InpRes) * 2 * io.InpBound)
	noise := float32(io.InpNoise)
	for j, v := range src {
		if scaling {
			v *= scale
		}
		if res > 0 {
			v = rint(v/res) * res
		}
		v = min(max(v, -bound), bound)
		if noise > 0 {
			v += noise * float32(t.rng.NormFloat64())
		}
		dst[j] = v
	}
}

// finalize adds output noise, discretises (ADC) and clips: finalizeOutputImplStage5.
// It reports whether the bound test passed.
func (t *Tile) finalize(y []float32, io IO, bm bool) bool {
	bound := float32(io.OutBound)
	res := float32(checkRes(io.OutRes) * 2 * io.OutBound)
	noise := float32(io.OutNoise)
	passed := true
	for i, v := range y {
		if noise > 0 {
			v += noise * float32(t.rng.NormFloat64())
		}
		if res > 0 {
			v = rint(v/res) * res
		}
		if bm {
			if v > bound {
				v, passed = bound, false
			} else if v < -bound {
				v = -bound
				passed = !io.BMTestNegBound
			}
		} else {
			v = min(max(v, -bound), bound)
		}
		y[i] = v
	}
	return passed
}

// blas is gonum's pure-Go BLAS (assembly kernels for the float32 dot and axpy).
var blas32 gonum.Implementation

func (t *Tile) gemv(y, x []float32) {
	blas32.Sgemv(blas.NoTrans, t.Out, t.In, 1, t.W, t.In, x, 1, 0, y, 1)
}

func (t *Tile) gemvT(x, d []float32) {
	blas32.Sgemv(blas.Trans, t.Out, t.In, 1, t.W, t.In, d, 1, 0, x, 1)
}

// Forward computes y = W·x (len(x) = In, len(y) = Out) through the forward IO:
// noise management, DAC, analog product, output noise, ADC and iterative bound
// management (ForwardBackwardPassIOManaged::forwardVector). A NaN in the output is an
// error naming the tile.
func (t *Tile) Forward(x, y []float32) error {
	io := t.Fwd
	if io.Perfect {
		t.gemv(y, x)
		return t.checkNaN(y, "forward")
	}
	nm := nmScale(x, io)
	useNM := io.NoiseManagement == "abs-max"
	bm := io.BoundManagement == "iterative"
	if useNM && nm <= 0 && io.InpNoise <= 0 {
		clear(y)
		return nil
	}
	inpRes := checkRes(io.InpRes) * 2 * io.InpBound
	red := float32(0.5)
	var scale float32
	xin := t.xin[:t.In]
	for {
		red *= 2
		scale = 1
		scaling := false
		if useNM && nm > 0 {
			scale /= nm
			scaling = true
		}
		if bm {
			scale /= red
			scaling = true
		}
		t.prepare(xin, x, scale, scaling, io)
		t.gemv(y, xin)
		passed := t.finalize(y, io, bm)
		if !bm {
			break
		}
		if passed || int(red) > io.MaxBMFactor || (inpRes > 0 && float64(red) > io.MaxBMRes/inpRes) {
			break
		}
	}
	if s := 1 / scale; s != 1 {
		for i := range y {
			y[i] *= s
		}
	}
	return t.checkNaN(y, "forward")
}

// Backward computes x = Wᵀ·d (len(d) = Out, len(x) = In) through the backward IO
// (noise management and converters, no bound management).
func (t *Tile) Backward(d, x []float32) error {
	io := t.Bwd
	if io.Perfect {
		t.gemvT(x, d)
		return t.checkNaN(x[:t.In], "backward")
	}
	nm := nmScale(d, io)
	useNM := io.NoiseManagement == "abs-max"
	if useNM && nm <= 0 {
		clear(x[:t.In])
		return nil
	}
	scale := float32(1)
	if useNM {
		scale = 1 / nm
	}
	din := t.yout[:t.Out]
	t.prepare(din, d, scale, useNM, io)
	t.gemvT(x, din)
	t.finalize(x[:t.In], io, false)
	if useNM {
		for j := range x[:t.In] {
			x[j] *= nm
		}
	}
	return t.checkNaN(x[:t.In], "backward")
}

func (t *Tile) checkNaN(v []float32, pass string) error {
	for i, x := range v {
		if x != x || math.IsInf(float64(x), 0) {
			return fmt.Errorf("analog: layer %s: %s pass: output %d is %v", t.Name, pass, i, x)
		}
	}
	return nil
}

// Update applies one sample's update W ← W − lr·d·xᵀ with the tile's pulse type:
// "none" exactly (clipped to the bounds), "stochastic-compressed" by stochastic pulse
// trains as aihwkit's SparseBitLineMaker::makeCounts (sparse_bit_line_maker.cpp):
// for each x_j (then each d_i) with p = B·|x_j| (A·|d_i|) > 0, BL uniform draws set
// the slots with p > u; every coincidence of a row and a column bit is one device
// pulse, downwards for sign(x_j)·sign(d_i) > 0 (for p < 1/4 the set slots are drawn
// by geometric skips, the same Bernoulli distribution in fewer draws). "mean-count" gives each device the
// rounded mean number of coincidences BL·p_x·p_d. It returns the train length.
func (t *Tile) Update(x, d []float32, lr float64) (int, error) {
	for _, v := range x {
		if v != v {
			return 0, fmt.Errorf("analog: layer %s: update: NaN input", t.Name)
		}
	}
	for _, v := range d {
		if v != v {
			return 0, fmt.Errorf("analog: layer %s: update: NaN error signal", t.Name)
		}
	}
	t.Stats.Updates++
	if t.Upd.PulseType == PulseNone || (t.Dev == nil && t.CTF == nil) {
		blas32.Sger(t.Out, t.In, float32(-lr), d, 1, x, 1, t.W, t.In)
		for i := range t.Out {
			row := t.W[i*t.In : (i+1)*t.In]
			if t.Dev != nil {
				for j := range row {
					k := i*t.In + j
					lo, hi := t.Dev.Bounds(k)
					row[j] = float32(min(max(float64(row[j]), lo), hi))
				}
			}
		}
		return 0, nil
	}
	var xMax, dMax float64
	for _, v := range x {
		xMax = max(xMax, math.Abs(float64(v)))
	}
	for _, v := range d {
		dMax = max(dMax, math.Abs(float64(v)))
	}
	dw := t.granularity()
	lrEff := lr
	if t.CTF != nil && t.CTF.Calibrated {
		lrEff = lr / t.CTF.efficiency(lr, xMax, dMax)
	}
	bl, a, b := t.Upd.BLAB(lrEff, dw, xMax, dMax)
	if bl <= 0 {
		return 0, nil
	}
	t.Stats.BLSum += int64(bl)
	t.words = (bl + 63) / 64
	w := t.words
	if len(t.xm) < t.In*w {
		t.xm = make([]uint64, t.In*w)
		t.xsg = make([]int8, t.In)
	}
	if len(t.dm) < t.Out*w {
		t.dm = make([]uint64, t.Out*w)
		t.dsg = make([]int8, t.Out)
	}
	if t.Upd.PulseType == PulseMeanCount {
		return bl, t.meanCount(x, d, bl, float32(a), float32(b))
	}
	t.xnz = t.bitLines(t.xnz[:0], t.xm, t.xsg, x, float32(b), bl)
	t.dnz = t.bitLines(t.dnz[:0], t.dm, t.dsg, d, float32(a), bl)
	var ctfT0 float64
	if t.CTF != nil {
		ctfT0 = t.CTF.begin(bl)
	}
	// rows in parallel, each with its own stream
	var wg sync.WaitGroup
	nw := max(1, min(t.workers, len(t.dnz)))
	counts := make([]int64, nw)
	for g := range nw {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var n int64
			for r := g; r < len(t.dnz); r += nw {
				n += t.applyRow(int(t.dnz[r]), bl, ctfT0)
			}
			counts[g] = n
		}(g)
	}
	wg.Wait()
	for _, n := range counts {
		t.Stats.Pulses += n
	}
	return bl, nil
}

// bitLines draws the BL-slot bit masks of the values v with probabilities p·|v| and
// returns the indices of the non-zero masks.
func (t *Tile) bitLines(nz []int32, masks []uint64, sg []int8, v []float32, p float32, bl int) []int32 {
	w := t.words
	for j, x := range v {
		pp := float32(math.Abs(float64(x))) * p
		if pp == 0 {
			continue
		}
		m := masks[j*w : (j+1)*w]
		clear(m)
		any := false
		if pp < 0.25 {
			// Bernoulli(pp) slots by geometric skips between set bits: the same
			// distribution as BL draws of u < pp, in about pp·BL+1 draws.
			l1p := math.Log1p(-float64(pp))
			for k := 0; ; k++ {
				k += int(math.Log(1-t.rng.Float64()) / l1p)
				if k >= bl || k < 0 {
					break
				}
				m[k>>6] |= 1 << (k & 63)
				any = true
			}
		} else {
			for k := range bl {
				if pp > t.rng.Float32() {
					m[k>>6] |= 1 << (k & 63)
					any = true
				}
			}
		}
		if any {
			nz = append(nz, int32(j))
			if x > 0 {
				sg[j] = 1
			} else {
				sg[j] = -1
			}
		}
	}
	return nz
}

// applyRow applies the coincidences of row i and returns their number.
func (t *Tile) applyRow(i, bl int, ctfT0 float64) int64 {
	w := t.words
	dmi := t.dm[i*w : (i+1)*w]
	rng := t.rowRNG[i]
	row := t.W[i*t.In : (i+1)*t.In]
	var total int64
	for _, j32 := range t.xnz {
		j := int(j32)
		xmj := t.xm[j*w : (j+1)*w]
		sign := int(t.xsg[j]) * int(t.dsg[i])
		k := i*t.In + j
		if t.CTF != nil {
			m := 0
			wv := float64(row[j])
			for q := range w {
				c := xmj[q] & dmi[q]
				for c != 0 {
					s := q<<6 + bits.TrailingZeros64(c)
					c &= c - 1
					wv = t.CTF.pulse(k, wv, sign, ctfT0, s, m)
					m++
				}
			}
			if m > 0 {
				row[j] = float32(wv)
				total += int64(m)
			}
			continue
		}
		n := 0
		for q := range w {
			n += bits.OnesCount64(xmj[q] & dmi[q])
		}
		if n == 0 {
			continue
		}
		total += int64(n)
		wv := float64(row[j])
		for range n {
			wv = t.Dev.Pulse(k, wv, sign, rng)
		}
		row[j] = float32(wv)
	}
	return total
}

// meanCount gives each device round(BL·min(1, B|x|)·min(1, A|d|)) pulses.
func (t *Tile) meanCount(x, d []float32, bl int, a, b float32) error {
	var t0 float64
	if t.CTF != nil {
		t0 = t.CTF.begin(bl)
	}
	for i, dv := range d {
		pd := min(1, float32(math.Abs(float64(dv)))*a)
		if pd == 0 {
			continue
		}
		row := t.W[i*t.In : (i+1)*t.In]
		for j, xv := range x {
			px := min(1, float32(math.Abs(float64(xv)))*b)
			n := int(math.RoundToEven(float64(float32(bl) * px * pd)))
			if n == 0 {
				continue
			}
			sign := 1
			if (xv > 0) != (dv > 0) {
				sign = -1
			}
			k := i*t.In + j
			wv := float64(row[j])
			for m := range n {
				if t.CTF != nil {
					wv = t.CTF.pulse(k, wv, sign, t0, m, m)
				} else {
					wv = t.Dev.Pulse(k, wv, sign, t.rowRNG[i])
				}
			}
			row[j] = float32(wv)
			t.Stats.Pulses += int64(n)
		}
	}
	return nil
}
