package graphrnn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Parameter roles, which decide their initialisation.
const (
	GRUWeight   = "gru_weight"
	GRUBias     = "gru_bias"
	DenseWeight = "dense_weight"
	DenseBias   = "dense_bias"
)

// Param is one parameter of the network: its store path, shape, role and
// fan-in.
type Param struct {
	Path  string
	Shape []int
	Role  string
	FanIn int
}

// Params lists the network's parameters with the store paths the layers of
// package nn give them.
func (a Arch) Params() []Param {
	var ps []Param
	dense := func(scope string, in, out int) {
		ps = append(ps, Param{scope + "/weights", []int{in, out}, DenseWeight, in}, Param{scope + "/biases", []int{out}, DenseBias, in})
	}
	gru := func(scope string, in, h int) {
		ps = append(ps, Param{scope + "/w_ih", []int{in, 3 * h}, GRUWeight, in}, Param{scope + "/w_hh", []int{h, 3 * h}, GRUWeight, h},
			Param{scope + "/b_ih", []int{3 * h}, GRUBias, in}, Param{scope + "/b_hh", []int{3 * h}, GRUBias, h})
	}
	rnn := func(prefix string, in, h int) {
		for l := range a.Layers {
			gru(fmt.Sprintf("%s_%d", prefix, l), in, h)
			in = h
		}
	}
	const root = "/graphrnn"
	dense(root+"/input", a.MaxPrev, a.Embed)
	rnn(root+"/gru", a.Embed, a.Hidden)
	if a.Kind == KindS {
		dense(root+"/output/dense_0", a.Hidden, a.OutEmbed)
		dense(root+"/output/dense_1", a.OutEmbed, a.MaxPrev)
		return ps
	}
	dense(root+"/output/dense_0", a.Hidden, a.Embed)
	dense(root+"/output/dense_1", a.Embed, a.EdgeHidden)
	dense(root+"/edge_input", 1, a.EdgeEmbed)
	rnn(root+"/edge_gru", a.EdgeEmbed, a.EdgeHidden)
	dense(root+"/edge_output/dense_0", a.EdgeHidden, a.EdgeEmbed)
	dense(root+"/edge_output/dense_1", a.EdgeEmbed, 1)
	return ps
}

// Init creates the network's parameters in store with GraphRNN's
// initialisation (GRU_plain and MLP_plain): GRU weights Xavier-uniform with
// gain 1 (calculate_gain('sigmoid')) and biases 0.25; dense weights
// Xavier-uniform with gain √2 (calculate_gain('relu')) and PyTorch's default
// biases U(±1/√fan_in). r draws the values.
func Init(store *model.Store, a Arch, r *rand.Rand) error {
	for _, p := range a.Params() {
		n := 1
		for _, d := range p.Shape {
			n *= d
		}
		v := make([]float32, n)
		var bound float64
		switch p.Role {
		case GRUWeight:
			// PyTorch's weight [3H, in] has fan_in in and fan_out 3H, as ours [in, 3H]
			bound = math.Sqrt(6 / float64(p.Shape[0]+p.Shape[1]))
		case DenseWeight:
			bound = math.Sqrt2 * math.Sqrt(6/float64(p.Shape[0]+p.Shape[1]))
		case DenseBias:
			bound = 1 / math.Sqrt(float64(p.FanIn))
		}
		for i := range v {
			if p.Role == GRUBias {
				v[i] = 0.25
			} else {
				v[i] = float32((2*r.Float64() - 1) * bound)
			}
		}
		if _, err := store.CreateVariable(p.Path, tensors.FromFlatDataAndDimensions(v, p.Shape...)); err != nil {
			return fmt.Errorf("graphrnn: creating %s: %w", p.Path, err)
		}
	}
	return nil
}
