package analog

import (
	"math"
	"strings"
	"testing"
)

// TestForwardIO checks the forward pass of a 1×1 floating-point tile against values
// worked by hand from ForwardBackwardPassIOManaged (rpu_forward_backward_pass.cpp)
// with aihwkit's default IO and out_noise 0: the DAC step is 2/126, the ADC step
// 24/510 = 0.0470588; rintf rounds half to even.
func TestForwardIO(t *testing.T) {
	io := DefaultIO()
	io.OutNoise = 0
	for _, c := range []struct{ w, x, want float32 }{
		{1, 1, 21 * 24.0 / 510},         // y = 1 → rint(21.25) = 21 ADC steps
		{1, 0.5, 21 * 24.0 / 510 * 0.5}, // noise management: x/0.5 = 1, result × 0.5
		{20, 1, 209 * 24.0 / 510 * 2},   // 20 > out_bound 12: bound management halves x; 0.5/float32(1/63) = 31.499998 → 31 DAC steps; 20·31/63 → 209 ADC steps; × 2
		{0.3, 1, 6 * 24.0 / 510},        // rint(6.375) = 6
	} {
		tl := NewTile("t", 1, 1, nil, io, io, DefaultUpdate(), 1)
		tl.W[0] = c.w
		y := []float32{0}
		if err := tl.Forward([]float32{c.x}, y); err != nil {
			t.Fatal(err)
		}
		if math.Abs(float64(y[0]-c.want)) > 1e-6*math.Max(1, math.Abs(float64(c.want))) {
			t.Errorf("w %v x %v: y %v, want %v", c.w, c.x, y[0], c.want)
		}
	}
	// DAC: x = (1, 0.3): 0.3 → rint(0.3·63) = rint(18.9) = 19 steps of 1/63
	tl := NewTile("t", 1, 2, nil, io, io, DefaultUpdate(), 1)
	tl.Fwd.OutRes = 0
	tl.W[0], tl.W[1] = 0, 1
	y := []float32{0}
	tl.Forward([]float32{1, 0.3}, y)
	if want := float32(19.0 / 63); math.Abs(float64(y[0]-want)) > 1e-6 {
		t.Errorf("DAC: y %v, want %v", y[0], want)
	}
}

func TestNaNNamesLayer(t *testing.T) {
	tl := NewTile("hidden1", 2, 2, nil, PerfectIO(), PerfectIO(), DefaultUpdate(), 1)
	tl.W[0] = float32(math.NaN())
	err := tl.Forward([]float32{1, 1}, make([]float32, 2))
	if err == nil || !strings.Contains(err.Error(), "hidden1") {
		t.Errorf("error %v, want one naming layer hidden1", err)
	}
}

// TestCoincidenceStatistics is the 1×1 test of issue 17: x = 0.3, d = 0.2, lr 0.01,
// dw_min 0.001, BL 31 (fixed: update_bl_management off, update_management on), 10⁵
// updates. The number of coincidences per update is Binomial(31, p_x·p_d) with p_x =
// B·0.3, p_d = A·0.2 (sparse_bit_line_maker.cpp generateCounts,
// rpu_pulsed_meta_parameter.cpp calculateBlAB/performUpdateManagement); the χ²
// goodness-of-fit p-value must exceed 0.001, and the mean Δw per update must equal
// −lr·x·d within 3 SE (ConstantStep, noise off: each coincidence is −dw_min).
func TestCoincidenceStatistics(t *testing.T) {
	r := CoincidenceTest(1, 100000)
	if r.BL != 31 {
		t.Fatalf("BL %d, want 31", r.BL)
	}
	if want := 0.01 * 0.06 / (0.001 * 31); math.Abs(r.P-want) > 1e-7 {
		t.Errorf("p_x·p_d = %v, want lr·x·d/(dw_min·BL) = %v", r.P, want)
	}
	if r.PValue < 0.001 {
		t.Errorf("χ² = %.2f with %d dof: p-value %.3g, want ≥ 0.001", r.Chi2, r.DOF, r.PValue)
	}
	if math.Abs(r.MeanDw-r.WantDw) > 3*r.SEDw {
		t.Errorf("mean Δw %.6g, want %.6g ± %.2g (3 SE)", r.MeanDw, r.WantDw, 3*r.SEDw)
	}
}

// TestCoincidenceDirectDraws repeats the test with x = d = 1, lr 0.02: p_x = p_d =
// 0.80, above the 1/4 where bit lines switch from geometric skips to one draw per slot.
func TestCoincidenceDirectDraws(t *testing.T) {
	r := CoincidenceTestWith(2, 20000, 1, 1, 0.02)
	if r.PValue < 0.001 {
		t.Errorf("χ² = %.2f with %d dof: p-value %.3g", r.Chi2, r.DOF, r.PValue)
	}
	if math.Abs(r.MeanDw-r.WantDw) > 3*r.SEDw {
		t.Errorf("mean Δw %.6g, want %.6g ± %.2g", r.MeanDw, r.WantDw, 3*r.SEDw)
	}
}
