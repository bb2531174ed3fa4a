package sample

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// gaussianMixture is a 2-D Gaussian mixture: weights w, means mu, covariances cov
// (row-major 2×2).
type gaussianMixture struct {
	w   []float64
	mu  [][2]float64
	cov [][4]float64
}

var testMixture = gaussianMixture{
	w:   []float64{0.3, 0.7},
	mu:  [][2]float64{{-1, 0}, {1, 1}},
	cov: [][4]float64{{0.25, 0, 0, 0.64}, {0.6, 0.2, 0.2, 0.5}},
}

// energy is U(x) = −log Σ_k w_k N(x; μ_k, Σ_k).
func (m gaussianMixture) energy(s *model.Scope, x *Node) *Node {
	g := x.Graph()
	dt := x.DType()
	var terms []*Node
	for k := range m.w {
		c := m.cov[k]
		det := c[0]*c[3] - c[1]*c[2]
		inv := []float64{c[3] / det, -c[1] / det, -c[2] / det, c[0] / det}
		d := Sub(x, ConvertDType(Const(g, [][]float64{{m.mu[k][0], m.mu[k][1]}}), dt))
		P := ConvertDType(Const(g, [][]float64{{inv[0], inv[1]}, {inv[2], inv[3]}}), dt)
		q := ReduceSum(Mul(Dot(d, P).Product(), d), -1)
		logc := math.Log(m.w[k]) - 0.5*math.Log(4*math.Pi*math.Pi*det)
		terms = append(terms, AddScalar(MulScalar(q, -0.5), logc))
	}
	st := Stack(terms, -1)
	mx := StopGradient(ReduceMax(st, -1))
	lse := Add(Log(ReduceSum(Exp(Sub(st, ExpandAxes(mx, -1))), -1)), mx)
	return Neg(lse)
}

// moments returns the mixture's exact mean and covariance (xx, xy, yy).
func (m gaussianMixture) moments() (mean [2]float64, cov [3]float64) {
	var exx, exy, eyy float64
	for k, w := range m.w {
		mu, c := m.mu[k], m.cov[k]
		mean[0] += w * mu[0]
		mean[1] += w * mu[1]
		exx += w * (c[0] + mu[0]*mu[0])
		exy += w * (c[1] + mu[0]*mu[1])
		eyy += w * (c[3] + mu[1]*mu[1])
	}
	return mean, [3]float64{exx - mean[0]*mean[0], exy - mean[0]*mean[1], eyy - mean[1]*mean[1]}
}

func sampleMoments(x []float64) (mean [2]float64, cov [3]float64) {
	n := float64(len(x) / 2)
	for i := 0; i < len(x); i += 2 {
		mean[0] += x[i] / n
		mean[1] += x[i+1] / n
	}
	for i := 0; i < len(x); i += 2 {
		a, b := x[i]-mean[0], x[i+1]-mean[1]
		cov[0] += a * a / (n - 1)
		cov[1] += a * b / (n - 1)
		cov[2] += b * b / (n - 1)
	}
	return
}

func broadStart(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, 2*n)
	for i := range x {
		x[i] = 2 * r.NormFloat64()
	}
	return x
}

// TestMixtureMoments runs MALA and HMC (with step-size adaptation) on a 2-D Gaussian
// mixture and compares the chains' final-state moments with the mixture's exact
// moments. Tolerance: 0.08 on means and 0.12 on covariances (2.5 to 4 Monte Carlo
// standard errors for 3000 chains); the adapted acceptance must be within about 0.06
// of the target (0.574 for MALA, 0.65 for HMC).
func TestMixtureMoments(t *testing.T) {
	const meanTol, covTol = 0.08, 0.12
	be := testBackend()
	wantMean, wantCov := testMixture.moments()
	for _, c := range []struct {
		cfg          Config
		accLo, accHi float64
	}{
		{Config{Method: MALA, Steps: 150, Burn: 150, StepSize: 0.05, Seed: 3}, 0.52, 0.63},
		{Config{Method: HMC, Steps: 40, Burn: 60, StepSize: 0.05, Leapfrog: 5, Unroll: 5, Seed: 4}, 0.58, 0.72},
	} {
		res, err := Run(be, nil, testMixture.energy, broadStart(3000, 1), 2, c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		m, cv := sampleMoments(res.X)
		for i := range 2 {
			if math.Abs(m[i]-wantMean[i]) > meanTol {
				t.Errorf("%s mean[%d] = %.3f; exact %.3f", c.cfg.Method, i, m[i], wantMean[i])
			}
		}
		for i := range 3 {
			if math.Abs(cv[i]-wantCov[i]) > covTol {
				t.Errorf("%s cov[%d] = %.3f; exact %.3f", c.cfg.Method, i, cv[i], wantCov[i])
			}
		}
		if res.Accept < c.accLo || res.Accept > c.accHi {
			t.Errorf("%s acceptance %.3f after adaptation; want in [%g, %g]", c.cfg.Method, res.Accept, c.accLo, c.accHi)
		}
		t.Logf("%s: mean %.3f %.3f (exact %.3f %.3f) cov %.3f %.3f %.3f (exact %.3f %.3f %.3f) accept %.3f eps %.4f",
			c.cfg.Method, m[0], m[1], wantMean[0], wantMean[1], cv[0], cv[1], cv[2], wantCov[0], wantCov[1], wantCov[2], res.Accept, res.StepSize)
	}
}

// TestULABias checks unadjusted Langevin on N(0, I) with ε = 0.5 against the exact
// stationary variance of the discretised chain, v = ε/(1−(1−ε/2)²) = 8/7 (a linear AR(1)
// recursion), which differs from the target's 1 by 5.6 standard errors of the test.
func TestULABias(t *testing.T) {
	be := testBackend()
	const eps = 0.5
	want := eps / (1 - (1-eps/2)*(1-eps/2))
	std := func(s *model.Scope, x *Node) *Node { return MulScalar(ReduceSum(Square(x), -1), 0.5) }
	res, err := Run(be, nil, std, make([]float64, 2*4000), 2, Config{Method: ULA, StepSize: eps, Steps: 60, Burn: -1, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	_, cv := sampleMoments(res.X)
	se := want * math.Sqrt(2.0/4000)
	for _, v := range []float64{cv[0], cv[2]} {
		if math.Abs(v-want) > 4*se {
			t.Errorf("ULA stationary variance %.4f; exact for the discretised chain %.4f (4 SE = %.4f)", v, want, 4*se)
		}
	}
	if res.Accept != 1 {
		t.Errorf("ULA acceptance %g; want 1", res.Accept)
	}
}

func TestBadConfig(t *testing.T) {
	be := testBackend()
	e := func(s *model.Scope, x *Node) *Node { return ReduceSum(Square(x), -1) }
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{StepSize: -1}, "step size"},
		{Config{Method: "gibbs"}, "unknown method"},
		{Config{TargetAccept: 1.5}, "target acceptance"},
		{Config{Leapfrog: -2}, "leapfrog"},
	} {
		if _, err := New(be, nil, e, c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) error = %v; want %q", c.cfg, err, c.want)
		}
	}
	if _, err := Run(be, nil, e, []float64{1, 2, 3}, 2, Config{}); err == nil {
		t.Errorf("Run with 3 values for 2-D chains succeeded")
	}
}
