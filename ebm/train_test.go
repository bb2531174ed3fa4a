package ebm

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// gaussianBatches draws batches of N(mu, L·Lᵀ) from (seed, step).
func gaussianBatches(batch int, mu [2]float64, l [2][2]float64) train.Batches {
	return train.BatchFunc(func(step int) ([]*tensors.Tensor, error) {
		r := rand.New(rand.NewPCG(99, uint64(step)))
		x := make([]float32, 2*batch)
		for i := range batch {
			a, b := r.NormFloat64(), r.NormFloat64()
			x[2*i] = float32(mu[0] + l[0][0]*a)
			x[2*i+1] = float32(mu[1] + l[1][0]*a + l[1][1]*b)
		}
		return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(x, batch, 2)}, nil
	})
}

// TestCovarianceRecovery trains the quadratic energy U = ½(x−μ)ᵀAᵀA(x−μ) on Gaussian
// data with each loss and compares the learned covariance (AᵀA)⁻¹ with the true one
// (for DSM, the noised data's Σ + σ²I, which is what DSM's minimiser is). Tolerance:
// 0.05 on each entry of a covariance with entries up to 1.1 (Adam with a cosine
// schedule, 800 steps of 512 points; CD's short-run ULA has an O(ε) bias, about 0.02
// here).
func TestCovarianceRecovery(t *testing.T) {
	const tol = 0.05
	mu := [2]float64{0.5, -0.3}
	l := [2][2]float64{{1.0, 0}, {0.5, 0.8}} // Σ = L Lᵀ = [[1, 0.5], [0.5, 0.89]]
	sigma := [3]float64{1, 0.5, 0.89}
	grid := Grid{Lo: [2]float64{-6, -6}, Hi: [2]float64{6, 6}, N: 64}
	e := Quadratic(2)
	losses := map[string]func(s *model.Scope, in []*Node) *Node{
		"ed": func(s *model.Scope, in []*Node) *Node { return EDLoss(s, e, in[0], EDConfig{}) },
		"cd": func(s *model.Scope, in []*Node) *Node {
			return CDLoss(s, e, in[0], CDConfig{StepSize: 0.05, NoReg: true})
		},
		"dsm": func(s *model.Scope, in []*Node) *Node { return DSMLoss(s, e, in[0], DSMConfig{Sigma: 0.3}) },
		"ssm": func(s *model.Scope, in []*Node) *Node { return SSMLoss(s, e, in[0], SSMConfig{}) },
		"sm":  func(s *model.Scope, in []*Node) *Node { return SMLoss(s, e, in[0]) },
		"mle": func(s *model.Scope, in []*Node) *Node { return MLELoss(s, e, in[0], grid) },
	}
	be := testBackend()
	for _, name := range []string{"ed", "cd", "dsm", "ssm", "sm", "mle"} {
		store := model.NewStore()
		tr, err := train.New(be, store, losses[name], train.Config{Steps: 800, Seed: 3, Quiet: true, NoMeter: true,
			Optimizer: train.Optimizer{Name: "adam", LR: 0.02}, Schedule: train.Schedule{Kind: "cosine"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Fit(context.Background(), gaussianBatches(512, mu, l), nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := tr.Params()
		cov := QuadraticCov(p["/a"], 2)
		want := sigma
		if name == "dsm" {
			want[0] += 0.09
			want[2] += 0.09
		}
		got := [3]float64{cov[0], cov[1], cov[3]}
		for i := range got {
			if math.Abs(got[i]-want[i]) > tol {
				t.Errorf("%s: covariance %v; want %v (±%g)", name, got, want, tol)
				break
			}
		}
		if m := p["/mu"]; math.Abs(m[0]-mu[0]) > tol || math.Abs(m[1]-mu[1]) > tol {
			t.Errorf("%s: mean %v; want %v", name, m, mu)
		}
		t.Logf("%s: covariance %.3f %.3f %.3f (want %.3f %.3f %.3f), mean %.3f %.3f", name, got[0], got[1], got[2], want[0], want[1], want[2], p["/mu"][0], p["/mu"][1])
	}
}
