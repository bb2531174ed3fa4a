package nn

import (
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// goldenTol is the tolerance against PyTorch's float64 results (relative to
// max(1, |want|)): both sides compute in float64, only the summation order differs.
const goldenTol = 1e-10

// checkGolden runs fn with the case's variables (inputs other than x and R, under
// /layer/) and compares y and the gradients of sum(y*R) with PyTorch's. wantGrads
// maps variable path to the golden output holding its gradient.
func checkGolden(t *testing.T, c goldenCase, fn layerFn, wantGrads map[string]string) *harness {
	t.Helper()
	vars := map[string]*tensors.Tensor{}
	for name, a := range c.Inputs {
		if name != "x" && name != "R" {
			vars[name] = a.tensor()
		}
	}
	var paths []string
	for p := range wantGrads {
		paths = append(paths, p)
	}
	h := newHarness(t, nil, fn, vars, paths)
	y, _, grads := h.run(c.Inputs["x"].tensor(), c.Inputs["R"].tensor())
	compare(t, "y", y, c.Outputs["y"].Data, goldenTol)
	compare(t, "dx", grads[0], c.Outputs["dx"].Data, goldenTol)
	for i, p := range paths {
		compare(t, "d"+p, grads[i+1], c.Outputs[wantGrads[p]].Data, goldenTol)
	}
	return h
}

func TestGoldenDense(t *testing.T) {
	c := loadGolden(t)["dense"]
	checkGolden(t, c, func(s *model.Scope, x *Node) *Node { return Dense(s, x, 5) },
		map[string]string{"weights": "dweights", "biases": "dbiases"})
}

func TestGoldenConv1D(t *testing.T) {
	pads := map[string]Padding{"same": Same, "valid": Valid, "causal": Causal}
	for name, c := range loadGolden(t) {
		if len(name) < 4 || name[:4] != "conv" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			cfg := Conv1DConfig{
				Filters: int(c.Config["filters"].(float64)), Kernel: int(c.Config["kernel"].(float64)),
				Stride: int(c.Config["stride"].(float64)), Dilation: int(c.Config["dilation"].(float64)),
				Padding: pads[c.Config["padding"].(string)], NoBias: !c.Config["bias"].(bool),
			}
			grads := map[string]string{"weights": "dweights"}
			if !cfg.NoBias {
				grads["biases"] = "dbiases"
			}
			checkGolden(t, c, func(s *model.Scope, x *Node) *Node { return Conv1D(s, x, cfg) }, grads)
		})
	}
}

func TestGoldenBatchNorm(t *testing.T) {
	for _, name := range []string{"batchnorm_train", "batchnorm_eval"} {
		t.Run(name, func(t *testing.T) {
			c := loadGolden(t)[name]
			training := c.Config["training"].(bool)
			h := checkGolden(t, c, func(s *model.Scope, x *Node) *Node { return BatchNorm(s, x, training) },
				map[string]string{"gamma": "dgamma", "beta": "dbeta"})
			// One execution (in checkGolden) updated the running statistics as PyTorch did.
			for _, v := range []string{"running_mean", "running_var"} {
				got := tensors.MustCopyFlatData[float64](h.store.GetVariable("/layer/" + v).MustValue())
				compare(t, v, got, c.Outputs[v].Data, goldenTol)
			}
		})
	}
}

func TestGoldenGRUCell(t *testing.T) {
	c := loadGolden(t)["gru_cell"]
	hidden := int(c.Config["hidden"].(float64))
	h0 := c.Inputs["h"]
	fn := func(s *model.Scope, x *Node) *Node {
		h := Const(x.Graph(), h0.tensor())
		return GRUCell(s, x, h, GRUConfig{Hidden: hidden})
	}
	checkGolden(t, c, fn, map[string]string{"w_ih": "dw_ih", "w_hh": "dw_hh", "b_ih": "db_ih", "b_hh": "db_hh"})
}

func TestGoldenGRU(t *testing.T) {
	c := loadGolden(t)["gru_seq"]
	hidden := int(c.Config["hidden"].(float64))
	var last []float64
	fn := func(s *model.Scope, x *Node) *Node {
		out, _ := GRU(s, x, nil, nil, GRUConfig{Hidden: hidden})
		return out
	}
	checkGolden(t, c, fn, map[string]string{"w_ih": "dw_ih", "w_hh": "dw_hh", "b_ih": "db_ih", "b_hh": "db_hh"})
	// The last state is the last output.
	y := c.Outputs["y"].Data
	steps := c.Inputs["x"].Shape[1]
	for b := range c.Inputs["x"].Shape[0] {
		last = append(last, y[(b*steps+steps-1)*hidden:(b*steps+steps)*hidden]...)
	}
	compare(t, "h_last", last, c.Outputs["h_last"].Data, goldenTol)
}

func TestGoldenResidualBlock(t *testing.T) {
	for _, name := range []string{"resblock_expand", "resblock_same"} {
		t.Run(name, func(t *testing.T) {
			c := loadGolden(t)[name]
			filters := int(c.Config["filters"].(float64))
			grads := map[string]string{"conv_0/weights": "conv_0/dweights", "conv_1/weights": "conv_1/dweights",
				"conv_2/weights": "conv_2/dweights"}
			if _, ok := c.Inputs["shortcut_conv/weights"]; ok {
				grads["shortcut_conv/weights"] = "shortcut_conv/dweights"
			}
			checkGolden(t, c, func(s *model.Scope, x *Node) *Node {
				return ResidualBlock1D(s, x, filters, true, GlorotUniform)
			}, grads)
		})
	}
}
