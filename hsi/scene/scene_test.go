package scene

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/hsi/spectra"
)

func TestGRFMoments(t *testing.T) {
	// unit variance and correlation exp(−d²/2L²) at lag L: e^{−1/2} ≈ 0.607.
	rng := rand.New(rand.NewPCG(1, 2))
	const L = 6.0
	var m, v, c float64
	n := 0
	for rep := 0; rep < 20; rep++ {
		g := GRF(100, 100, L, rng)
		for l := 0; l < 100; l++ {
			for s := 0; s+int(L) < 100; s++ {
				x, y := g[l*100+s], g[l*100+s+int(L)]
				m += x
				v += x * x
				c += x * y
				n++
			}
		}
	}
	m /= float64(n)
	v /= float64(n)
	c /= float64(n)
	if math.Abs(m) > 0.05 || math.Abs(v-1) > 0.08 || math.Abs(c/v-math.Exp(-0.5)) > 0.06 {
		t.Errorf("GRF mean %.3f var %.3f corr at L %.3f, want 0, 1, %.3f", m, v, c/v, math.Exp(-0.5))
	}
}

func TestGenerate(t *testing.T) {
	if _, err := spectra.TestData(); err != nil {
		t.Skip(err)
	}
	r, err := Generate(Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Full.Bands != 220 || r.Corrected.Bands != 200 || r.Full.Lines != 145 {
		t.Fatalf("bands %d/%d lines %d", r.Full.Bands, r.Corrected.Bands, r.Full.Lines)
	}
	counts := r.Full.Counts()
	for k, n := range counts {
		if n == 0 {
			t.Errorf("class %s empty", Classes[k].Name)
		}
		if Classes[k].Tiny && n > 150 {
			t.Errorf("tiny class %s has %d pixels", Classes[k].Name, n)
		}
	}
	t.Logf("class pixels %v", counts)
	r2, _ := Generate(Config{Seed: 1})
	for i := range r.Full.Data {
		if r.Full.Data[i] != r2.Full.Data[i] {
			t.Fatal("not deterministic")
		}
	}
}
