package jetebm

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ergml/erg/hep/jetset"
	"github.com/ergml/erg/nn"
)

// D is the flattened input size: 40 constituents × 3 features.
const D = jetset.NConst * jetset.NFeat

// Energies lists the energy networks by name.
var Energies = []string{"mlp", "deepsets", "transformer"}

// Net configures the energy network.
type Net struct {
	Kind string `json:"energy"` // one of Energies
	// Transformer size (0: 2 layers, dimension 64, 4 heads, FFN 128); the paper's is 8, 128, 16, 1024.
	Layers int `json:"layers,omitempty"`
	Dim    int `json:"dim,omitempty"`
	Heads  int `json:"heads,omitempty"`
	FFN    int `json:"ffn,omitempty"`
	// Outputs is the number of outputs: 1 for an energy, the number of classes for a
	// classifier (whose energy is −logsumexp of its logits).
	Outputs int `json:"outputs,omitempty"`
}

func (n Net) withDefaults() Net {
	if n.Kind == "" {
		n.Kind = "mlp"
	}
	if n.Layers == 0 {
		n.Layers = 2
	}
	if n.Dim == 0 {
		n.Dim = 64
	}
	if n.Heads == 0 {
		n.Heads = 4
	}
	if n.FFN == 0 {
		n.FFN = 128
	}
	if n.Outputs == 0 {
		n.Outputs = 1
	}
	return n
}

func (n Net) validate() error {
	switch n.Kind {
	case "mlp", "deepsets", "transformer":
	default:
		return fmt.Errorf("unknown energy %q (want mlp, deepsets or transformer)", n.Kind)
	}
	if n.Dim%n.Heads != 0 {
		return fmt.Errorf("transformer dimension %d is not a multiple of %d heads", n.Dim, n.Heads)
	}
	return nil
}

// Logits returns the network's outputs [n, Outputs] for jets x [n, D] (flattened
// constituents), in scope s.
func (n Net) Logits(s *model.Scope, x *Node) *Node {
	b := x.Shape().Dimensions[0]
	switch n.Kind {
	case "mlp":
		return nn.MLP(s.In("mlp"), x, nn.MLPConfig{Hidden: []int{512, 512, 128, 64}, Out: n.Outputs, Init: nn.KaimingUniform})
	case "deepsets":
		c := Reshape(x, b, jetset.NConst, jetset.NFeat)
		mask := padMask(c) // [b, 40, 1]
		h := nn.MLP(s.In("phi"), c, nn.MLPConfig{Hidden: []int{128, 128}, Out: 128, Init: nn.KaimingUniform})
		h = ReduceSum(Mul(h, mask), 1) // [b, 128]
		return nn.MLP(s.In("rho"), h, nn.MLPConfig{Hidden: []int{128}, Out: n.Outputs, Init: nn.KaimingUniform})
	case "transformer":
		return n.transformer(s, x)
	}
	panic("jetebm: unknown energy " + n.Kind)
}

// padMask is 1 for constituents with any non-zero feature, 0 for padding: [b, 40, 1].
func padMask(c *Node) *Node {
	nz := ReduceSum(Abs(c), -1)
	m := ConvertDType(NotEqual(nz, ZerosLike(nz)), c.DType())
	return ExpandAxes(StopGradient(m), -1)
}

func (n Net) transformer(s *model.Scope, x *Node) *Node {
	b := x.Shape().Dimensions[0]
	L, d, h := jetset.NConst, n.Dim, n.Heads
	dk := d / h
	c := Reshape(x, b, L, jetset.NFeat)
	mask := padMask(c)                   // [b, L, 1]
	keyMask := Reshape(mask, b, 1, 1, L) // over keys
	neg := MulScalar(OneMinus(keyMask), -1e9)
	z := nn.DenseWith(s.In("embed"), c, nn.DenseConfig{Out: d, Init: nn.KaimingUniform})
	for l := range n.Layers {
		ls := s.In("block_%d", l)
		proj := func(name string) *Node {
			p := nn.DenseWith(ls.In("%s", name), z, nn.DenseConfig{Out: d, Init: nn.KaimingUniform})
			return Reshape(p, b, L, h, dk)
		}
		q, k, v := proj("q"), proj("k"), proj("v")
		sc := MulScalar(Einsum("bqhd,bkhd->bhqk", q, k), 1/math.Sqrt(float64(dk)))
		sc = Add(sc, neg)
		att := Softmax(sc, -1)
		o := Reshape(Einsum("bhqk,bkhd->bqhd", att, v), b, L, d)
		z = Add(z, nn.DenseWith(ls.In("out"), o, nn.DenseConfig{Out: d, Init: nn.KaimingUniform}))
		f := nn.MLP(ls.In("ffn"), z, nn.MLPConfig{Hidden: []int{n.FFN}, Out: d, Init: nn.KaimingUniform})
		z = Add(z, f)
	}
	pooled := ReduceSum(Mul(z, mask), 1) // [b, d]
	return nn.MLP(s.In("head"), pooled, nn.MLPConfig{Hidden: []int{128, 128}, Out: n.Outputs, Activation: "swish", Init: nn.KaimingUniform})
}

// Energy returns E(x) [n] for jets x [n, D]: the single output, or −logsumexp of the
// logits of a classifier.
func (n Net) Energy(s *model.Scope, x *Node) *Node {
	lg := n.Logits(s, x)
	if n.Outputs == 1 {
		return Reshape(lg, lg.Shape().Dimensions[0])
	}
	return Neg(ReduceLogSumExp(lg, -1))
}

// ReduceLogSumExp is log Σ exp over axis, stabilised by the maximum.
func ReduceLogSumExp(x *Node, axis int) *Node {
	m := StopGradient(ReduceAndKeep(x, ReduceMax, axis))
	return Add(Reshape(m, x.Shape().Dimensions[0]), Log(ReduceSum(Exp(Sub(x, m)), axis)))
}

var _ = dtypes.Float32
