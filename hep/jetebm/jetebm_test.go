package jetebm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ergml/erg/backend"
)

func testBackend(t *testing.T) compute.Backend {
	b, err := backend.New("go:ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Values checked by hand and with scipy.stats.wasserstein_distance / sklearn's
// roc_auc_score on the same inputs.
func TestMetrics(t *testing.T) {
	if got := AUC([]float64{1, 2, 3}, []float64{2.5, 3, 4}); math.Abs(got-7.5/9) > 1e-12 {
		t.Errorf("AUC %g, want %g", got, 7.5/9)
	}
	if got := W1([]float64{0, 1}, []float64{0, 2}); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("W1 %g, want 0.5", got)
	}
	if got := W1([]float64{0, 1, 3}, []float64{5, 6}); math.Abs(got-(5.5-4.0/3)) > 1e-12 {
		t.Errorf("W1 %g, want %g", got, 5.5-4.0/3)
	}
	if got := JSD([]float64{1, 2, 3}, []float64{1, 2, 3}, 10, 0, 10); got != 0 {
		t.Errorf("JSD of equal samples %g", got)
	}
	if got := JSD([]float64{1}, []float64{7}, 10, 0, 10); math.Abs(got-math.Ln2) > 1e-12 {
		t.Errorf("JSD of disjoint samples %g, want ln 2", got)
	}
	// Mass as its own score keeps the heaviest 10%: strongly sculpted; a score
	// independent of mass is not.
	r := rand.New(rand.NewPCG(1, 1))
	m := make([]float64, 20000)
	s := make([]float64, len(m))
	for i := range m {
		m[i] = 60 + 30*r.NormFloat64()
		s[i] = r.Float64()
	}
	if SculptJSD(m, m, 0.1) < 0.3 || SculptJSD(s, m, 0.1) > 0.03 {
		t.Errorf("sculpting: mass %g, random %g", SculptJSD(m, m, 0.1), SculptJSD(s, m, 0.1))
	}
}

// TestLangevinQuadratic: with E = ½|x|² and no noise, k steps of x ← x − ε∇E give
// (1−ε)^k x₀ exactly.
func TestLangevinQuadratic(t *testing.T) {
	b := testBackend(t)
	e := func(s *model.Scope, x *Node) *Node { return MulScalar(ReduceSum(Square(x), -1), 0.5) }
	ex, err := model.NewExec(b, model.NewStore(), func(s *model.Scope, in []*Node) *Node {
		return Langevin(s, e, in[0], 5, 0.1, 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	x0 := []float32{1, -2, 3, 0.5}
	res, err := ex.Exec(tensors.FromFlatDataAndDimensions(x0, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	got := tensors.MustCopyFlatData[float32](res[0])
	for i, v := range x0 {
		want := float64(v) * math.Pow(0.9, 5)
		if math.Abs(float64(got[i])-want) > 1e-5 {
			t.Errorf("x[%d] = %g, want %g", i, got[i], want)
		}
	}
}

// TestEnergiesPermutation: deepsets and transformer energies are invariant under a
// permutation of the (non-padded) constituents; the MLP is not.
func TestEnergiesPermutation(t *testing.T) {
	b := testBackend(t)
	r := rand.New(rand.NewPCG(2, 2))
	x := make([]float32, 2*D)
	for i := range 2 * 30 { // 30 constituents each, 10 padded
		j := i / 30
		k := i % 30
		for f := range 3 {
			x[j*D+3*k+f] = float32(InitMean[f] + InitStd[f]*r.NormFloat64())
		}
	}
	y := make([]float32, len(x))
	copy(y, x)
	for j := range 2 { // swap constituents 0 and 7
		for f := range 3 {
			y[j*D+f], y[j*D+21+f] = x[j*D+21+f], x[j*D+f]
		}
	}
	for _, kind := range Energies {
		m := NewModel(b, Config{Net: Net{Kind: kind}}.WithDefaults())
		ex, err := m.Energies(append(append([]float32{}, x...), y...))
		if err != nil {
			t.Fatal(err)
		}
		if len(ex) != 4 {
			t.Fatalf("%s: %d energies, want 4", kind, len(ex))
		}
		for j := range 2 {
			d := math.Abs(ex[j] - ex[j+2])
			inv := d < 1e-4*math.Max(1, math.Abs(ex[j]))
			if kind == "mlp" && inv {
				t.Errorf("mlp: permutation left E unchanged (%g): test cannot tell", ex[j])
			}
			if kind != "mlp" && !inv {
				t.Errorf("%s: E %g after a permutation, %g before", kind, ex[j+2], ex[j])
			}
		}
	}
}
