package analog

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Coincidence is the outcome of CoincidenceTest.
type Coincidence struct {
	X, D, LR, DwMin float64
	BL              int
	Updates         int
	P               float64 `json:"p"` // p_x·p_d, the coincidence probability per slot
	MeanCount       float64 `json:"mean_count"`
	Chi2            float64 `json:"chi2"`
	DOF             int     `json:"dof"`
	PValue          float64 `json:"p_value"`
	MeanDw          float64 `json:"mean_dw"`
	WantDw          float64 `json:"want_dw"` // −lr·x·d
	SEDw            float64 `json:"se_dw"`
}

// CoincidenceTest runs updates of a 1×1 constant-step tile (noise off, weight far
// from its bounds) with x = 0.3, d = 0.2, lr 0.01, dw_min 0.001 and a fixed train of
// BL 31, and compares the histogram of coincidences per update with Binomial(BL,
// p_x·p_d) by a χ² test (bins with expected count < 5 pooled), and the mean weight
// change with −lr·x·d.
func CoincidenceTest(seed uint64, updates int) Coincidence {
	return CoincidenceTestWith(seed, updates, 0.3, 0.2, 0.01)
}

// CoincidenceTestWith is CoincidenceTest for other x, d and lr (dw_min 0.001, BL 31).
func CoincidenceTestWith(seed uint64, updates int, x, d, lr float64) Coincidence {
	dev, _ := NewDevice(ConstantStep)
	dev = dev.Noiseless()
	dev.WMax, dev.WMin = 1e9, -1e9
	upd := DefaultUpdate()
	upd.UpdateBLManagement = false
	t := NewTile("coincidence", 1, 1, &dev, PerfectIO(), PerfectIO(), upd, seed)
	bl, a, b := upd.BLAB(lr, dev.DwMin, x, d)
	p := float64(float32(b*x)) * float64(float32(a*d))
	hist := make([]float64, bl+1)
	var s, s2 float64
	for range updates {
		before := t.W[0]
		p0 := t.Stats.Pulses
		t.Update([]float32{float32(x)}, []float32{float32(d)}, lr)
		hist[t.Stats.Pulses-p0]++
		dw := float64(t.W[0]) - float64(before)
		s += dw
		s2 += dw * dw
	}
	n := float64(updates)
	mean := s / n
	sd := math.Sqrt((s2/n - mean*mean) * n / (n - 1))
	bin := distuv.Binomial{N: float64(bl), P: p}
	var chi2, accObs, accExp float64
	dof := -1
	for k := 0; k <= bl; k++ {
		accObs += hist[k]
		accExp += n * bin.Prob(float64(k))
		if accExp >= 5 || k == bl {
			chi2 += (accObs - accExp) * (accObs - accExp) / accExp
			dof++
			accObs, accExp = 0, 0
		}
	}
	pv := 1 - distuv.ChiSquared{K: float64(dof)}.CDF(chi2)
	return Coincidence{X: x, D: d, LR: lr, DwMin: dev.DwMin, BL: bl, Updates: updates, P: p, MeanCount: (s / n) / -dev.DwMin,
		Chi2: chi2, DOF: dof, PValue: pv, MeanDw: mean, WantDw: -lr * x * d, SEDw: sd / math.Sqrt(n)}
}
