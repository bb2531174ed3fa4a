package train

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Optimizer configures the parameter update. The zero value is Adam with PyTorch's
// defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8).
type Optimizer struct {
	Name        string  // "adam" (default), "adamw", "sgd", "adadelta"
	LR          float64 // learning rate; 0: 1e-3 (adam, adamw), 1e-2 (sgd), 1.0 (adadelta)
	Beta1       float64 // Adam first-moment decay; 0: 0.9
	Beta2       float64 // Adam second-moment decay; 0: 0.999
	Eps         float64 // 0: 1e-8 (adam, adamw), 1e-6 (adadelta; Keras uses 1e-7)
	WeightDecay float64 // AdamW decoupled decay (0: 0.01); SGD and Adam: L2 added to the gradient
	Momentum    float64 // SGD momentum (PyTorch form: buf = m*buf + g; p -= lr*buf)
	Rho         float64 // Adadelta decay; 0: 0.9 (PyTorch; Keras uses 0.95)
}

func (o Optimizer) withDefaults() (Optimizer, error) {
	o.Name = strings.ToLower(o.Name)
	if o.Name == "" {
		o.Name = "adam"
	}
	switch o.Name {
	case "adam", "adamw":
		if o.LR == 0 {
			o.LR = 1e-3
		}
		if o.Beta1 == 0 {
			o.Beta1 = 0.9
		}
		if o.Beta2 == 0 {
			o.Beta2 = 0.999
		}
		if o.Eps == 0 {
			o.Eps = 1e-8
		}
		if o.Name == "adamw" && o.WeightDecay == 0 {
			o.WeightDecay = 0.01
		}
	case "sgd":
		if o.LR == 0 {
			o.LR = 1e-2
		}
	case "adadelta":
		if o.LR == 0 {
			o.LR = 1.0
		}
		if o.Rho == 0 {
			o.Rho = 0.9
		}
		if o.Eps == 0 {
			o.Eps = 1e-6
		}
	default:
		return o, fmt.Errorf("train: unknown optimizer %q (want adam, adamw, sgd or adadelta)", o.Name)
	}
	switch {
	case o.LR < 0:
		return o, fmt.Errorf("train: learning rate %g must be positive", o.LR)
	case o.Beta1 < 0 || o.Beta1 >= 1 || o.Beta2 < 0 || o.Beta2 >= 1:
		return o, fmt.Errorf("train: Adam betas (%g, %g) must be in [0, 1)", o.Beta1, o.Beta2)
	case o.Momentum < 0 || o.Momentum >= 1:
		return o, fmt.Errorf("train: momentum %g must be in [0, 1)", o.Momentum)
	case o.Rho < 0 || o.Rho >= 1:
		return o, fmt.Errorf("train: rho %g must be in [0, 1)", o.Rho)
	case o.WeightDecay < 0:
		return o, fmt.Errorf("train: weight decay %g must be non-negative", o.WeightDecay)
	}
	return o, nil
}

// optScope is the store path under which optimizer state lives.
const optScope = "/optimizer"

// stateVar returns (creating it with zeros) the optimizer state variable for v.
func stateVar(store *model.Store, v *model.Variable, name string) *model.Variable {
	sv := store.VariableWithShape(optScope+v.Path()+"#"+name, v.Shape(), Zeros)
	sv.Trainable = false
	return sv
}

// apply builds the update of every variable from its gradient. t is the (already
// incremented) step count as a scalar of the parameters' dtype, lr the learning rate.
// ok masks the update: where it is false, nothing changes.
func (o Optimizer) apply(store *model.Store, g *Graph, vars []*model.Variable, grads []*Node, lr, t, ok *Node) {
	for i, v := range vars {
		p := v.ValueGraph(g)
		gr := grads[i]
		dt := p.DType()
		lrv := ConvertDType(lr, dt)
		set := func(sv *model.Variable, val *Node) {
			sv.SetValueGraph(Where(ok, val, sv.ValueGraph(g)))
		}
		var np *Node
		switch o.Name {
		case "adam", "adamw":
			if o.Name == "adam" && o.WeightDecay > 0 {
				gr = Add(gr, MulScalar(p, o.WeightDecay))
			}
			m := stateVar(store, v, "m")
			s := stateVar(store, v, "v")
			// The moments go through the guard before the step uses them: the same
			// values when ok (and the step is discarded otherwise), and the select is
			// then their last use, so the backend reuses their buffers instead of
			// copying them.
			nm := Where(ok, Add(MulScalar(m.ValueGraph(g), o.Beta1), MulScalar(gr, 1-o.Beta1)), m.ValueGraph(g))
			ns := Where(ok, Add(MulScalar(s.ValueGraph(g), o.Beta2), MulScalar(Square(gr), 1-o.Beta2)), s.ValueGraph(g))
			m.SetValueGraph(nm)
			s.SetValueGraph(ns)
			tt := ConvertDType(t, dt)
			bc1 := OneMinus(Pow(Scalar(g, dt, o.Beta1), tt))
			bc2 := OneMinus(Pow(Scalar(g, dt, o.Beta2), tt))
			// PyTorch: p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)
			denom := AddScalar(Div(Sqrt(ns), Sqrt(bc2)), o.Eps)
			step := Mul(Div(lrv, bc1), Div(nm, denom))
			base := p
			if o.Name == "adamw" {
				base = Sub(p, Mul(MulScalar(lrv, o.WeightDecay), p))
			}
			np = Sub(base, step)
		case "sgd":
			if o.WeightDecay > 0 {
				gr = Add(gr, MulScalar(p, o.WeightDecay))
			}
			if o.Momentum > 0 {
				b := stateVar(store, v, "momentum")
				// PyTorch initialises the buffer with the first gradient; with zeros the
				// first step is the same: buf = m*0 + g.
				nb := Add(MulScalar(b.ValueGraph(g), o.Momentum), gr)
				set(b, nb)
				gr = nb
			}
			np = Sub(p, Mul(lrv, gr))
		case "adadelta":
			if o.WeightDecay > 0 {
				gr = Add(gr, MulScalar(p, o.WeightDecay))
			}
			sq := stateVar(store, v, "square_avg")
			ad := stateVar(store, v, "acc_delta")
			nsq := Add(MulScalar(sq.ValueGraph(g), o.Rho), MulScalar(Square(gr), 1-o.Rho))
			delta := Mul(Div(Sqrt(AddScalar(ad.ValueGraph(g), o.Eps)), Sqrt(AddScalar(nsq, o.Eps))), gr)
			nad := Add(MulScalar(ad.ValueGraph(g), o.Rho), MulScalar(Square(delta), 1-o.Rho))
			set(sq, nsq)
			set(ad, nad)
			np = Sub(p, Mul(lrv, delta))
		default:
			panic("train: unknown optimizer " + o.Name)
		}
		v.SetValueGraph(Where(ok, np, p))
	}
}

var _ = shapes.Make
