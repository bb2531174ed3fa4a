package nn

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// BatchNormConfig configures BatchNormWith. The zero value is PyTorch's default
// (Momentum 0.1, Epsilon 1e-5). Keras' BatchNormalization(momentum=m, epsilon=e)
// corresponds to Momentum 1-m, Epsilon e (Keras defaults: 0.01 and 1e-3), except that
// Keras updates the running variance with the biased batch variance.
type BatchNormConfig struct {
	// Momentum is the weight of the current batch in the running statistics:
	// running = (1-Momentum)*running + Momentum*batch (PyTorch's convention). 0 means 0.1.
	Momentum float64
	// Epsilon is added to the variance before the square root. 0 means 1e-5.
	Epsilon float64
}

// BatchNorm normalises x over all axes but the last (the channels, as in
// channels-last layouts) with the batch-norm transform of Ioffe and Szegedy (2015):
//
//	y = (x - mean) / sqrt(var + eps) * gamma + beta
//
// with per-channel gamma ("gamma", initially 1) and beta ("beta", initially 0)
// trainable variables in scope s. In training mode mean and var are the batch mean
// and biased batch variance, and the non-trainable running statistics
// ("running_mean", "running_var") are updated in the graph: running_mean moves towards
// the batch mean and running_var towards the unbiased batch variance (n/(n-1) times
// the biased one), both with momentum 0.1, exactly as PyTorch's BatchNorm1d does. In
// inference mode (training false) the running statistics are used.
//
// The batch variance is computed in one pass as mean(x²) - mean², clamped at zero;
// in float32 this loses precision when |mean| is many thousand times the standard
// deviation. In training mode the gradient is the closed form of the batch-norm
// derivative (see withVJP), not a differentiation of the forward graph.
//
// See BatchNormWith to change momentum and epsilon.
func BatchNorm(s *model.Scope, x *Node, training bool) *Node {
	return BatchNormWith(s, x, training, BatchNormConfig{})
}

// BatchNormWith is BatchNorm with a configuration.
func BatchNormWith(s *model.Scope, x *Node, training bool, cfg BatchNormConfig) *Node {
	if cfg.Momentum == 0 {
		cfg.Momentum = 0.1
	}
	if cfg.Epsilon == 0 {
		cfg.Epsilon = 1e-5
	}
	if x.Rank() < 2 {
		panic(fmt.Sprintf("nn: BatchNorm input must have rank >= 2 (batch..., channels), got %s", x.Shape()))
	}
	g := x.Graph()
	dims := x.Shape().Dimensions
	c := dims[len(dims)-1]
	n := x.Shape().Size() / c
	shape := shapes.Make(x.DType(), c)
	gamma := constVar(s, "gamma", shape, 1).NodeValue(g)
	beta := constVar(s, "beta", shape, 0).NodeValue(g)
	runMeanVar := constVar(s, "running_mean", shape, 0).SetTrainable(false)
	runVarVar := constVar(s, "running_var", shape, 1).SetTrainable(false)
	runMean, runVar := runMeanVar.NodeValue(g), runVarVar.NodeValue(g)

	// x as [n/r, r·c] (see rowView): per-channel rows are tiled r times and column
	// sums folded back to c.
	wide, tile, sums := rowView(n, c)
	x2 := wide(x)
	if !training {
		inv := Inverse(Sqrt(AddScalar(runVar, cfg.Epsilon)))
		scale := Mul(gamma, inv)
		shift := Sub(beta, Mul(runMean, scale))
		y := Add(Mul(x2, tile(scale)), tile(shift))
		return Reshape(y, dims...)
	}
	if n < 2 {
		panic(fmt.Sprintf("nn: BatchNorm in training mode needs more than one value per channel, got %s", x.Shape()))
	}
	invN := 1 / float64(n)
	mean := MulScalar(sums(x2), invN)
	meanSq := MulScalar(sums(Square(x2)), invN)
	variance := Max(Sub(meanSq, Square(mean)), ZerosLike(mean))
	inv := Inverse(Sqrt(AddScalar(variance, cfg.Epsilon)))

	m := cfg.Momentum
	unbiased := MulScalar(StopGradient(variance), float64(n)/float64(n-1))
	runMeanVar.SetNodeValue(Add(MulScalar(runMean, 1-m), MulScalar(StopGradient(mean), m)))
	runVarVar.SetNodeValue(Add(MulScalar(runVar, 1-m), MulScalar(unbiased, m)))

	y := withVJP([]*Node{x2, gamma, beta, mean, inv}, func(in []*Node) *Node {
		x2, gamma, beta, mean, inv := in[0], in[1], in[2], in[3], in[4]
		scale := Mul(gamma, inv)
		shift := Sub(beta, Mul(mean, scale))
		return Add(Mul(x2, tile(scale)), tile(shift))
	}, func(v *Node, in []*Node) []*Node {
		// With xh = (x-mean)*inv: dbeta = sum v, dgamma = sum v*xh, and
		// dx = gamma*inv*(v - dbeta/n - xh*dgamma/n), written as v*a1 + x*a2 + a3.
		x2, gamma, mean, inv := in[0], in[1], in[3], in[4]
		dbeta := sums(v)
		sumVX := sums(Mul(v, x2))
		dgamma := Mul(inv, Sub(sumVX, Mul(mean, dbeta)))
		a1 := Mul(gamma, inv)
		a2 := MulScalar(Mul(Mul(a1, inv), dgamma), -invN)
		a3 := MulScalar(Mul(a1, Sub(Mul(Mul(mean, inv), dgamma), dbeta)), invN)
		dx := Add(Add(Mul(v, tile(a1)), Mul(x2, tile(a2))), tile(a3))
		return []*Node{dx, dgamma, dbeta, nil, nil}
	})
	return Reshape(y, dims...)
}
