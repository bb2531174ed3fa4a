package nn

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Init selects how a layer's weights (and biases) are initialised. The zero value,
// GlorotUniform, is Keras' default; KaimingUniform is PyTorch's default for nn.Linear,
// nn.Conv1d and (with fan-in = hidden size) nn.GRU.
//
// The random numbers come from the model store's random number generator, so a store
// seeded with model.Store.SetRNGStateFromSeed (or with the model.ParamInitialSeed
// parameter) initialises the same weights every time.
type Init int

const (
	// GlorotUniform draws weights from U(-l, l) with l = sqrt(6/(fanIn+fanOut)) and
	// sets biases to zero (Glorot and Bengio 2010; Keras "glorot_uniform").
	GlorotUniform Init = iota
	// KaimingUniform draws weights and biases from U(-b, b) with b = 1/sqrt(fanIn),
	// which is what PyTorch's kaiming_uniform_(a=sqrt(5)) plus its bias rule amount to.
	KaimingUniform
)

// String returns the initialiser's name.
func (in Init) String() string {
	switch in {
	case GlorotUniform:
		return "glorot_uniform"
	case KaimingUniform:
		return "kaiming_uniform"
	}
	return fmt.Sprintf("Init(%d)", int(in))
}

// weightBound returns the half-width of the uniform weight distribution.
func (in Init) weightBound(fanIn, fanOut int) float64 {
	switch in {
	case GlorotUniform:
		return math.Sqrt(6 / float64(max(fanIn+fanOut, 1)))
	case KaimingUniform:
		return 1 / math.Sqrt(float64(max(fanIn, 1)))
	}
	panic(fmt.Sprintf("nn: unknown initialiser %d", int(in)))
}

// biasBound returns the half-width of the uniform bias distribution (0: zeros).
func (in Init) biasBound(fanIn int) float64 {
	if in == KaimingUniform {
		return 1 / math.Sqrt(float64(max(fanIn, 1)))
	}
	return 0
}

// uniformVar returns the variable name in scope s with the given shape, created (if
// new) with values drawn from U(-bound, bound) (zeros when bound is 0).
func uniformVar(s *model.Scope, name string, shape shapes.Shape, bound float64) *model.Variable {
	store := s.Store()
	return s.WithInitializer(func(g *Graph, shape shapes.Shape) *Node {
		if bound == 0 {
			return Zeros(g, shape)
		}
		u := store.RandomUniform(g, shape)
		return AddScalar(MulScalar(u, 2*bound), -bound)
	}).VariableWithShape(name, shape)
}

// constVar returns the variable name in scope s with the given shape, created (if new)
// filled with value.
func constVar(s *model.Scope, name string, shape shapes.Shape, value float64) *model.Variable {
	return s.WithInitializer(func(g *Graph, shape shapes.Shape) *Node {
		return AddScalar(Zeros(g, shape), value)
	}).VariableWithShape(name, shape)
}
