package nn

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// loadGolden2D reads testdata/golden2d.json, made by scripts/nn/make_golden2d.py with
// PyTorch (see that script for how to regenerate it).
func loadGolden2D(t *testing.T) map[string]goldenCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/golden2d.json")
	if err != nil {
		t.Fatalf("reading golden file: %v", err)
	}
	var g struct {
		Cases map[string]goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("testdata/golden2d.json: %v", err)
	}
	return g.Cases
}

func configInts(v any) []int {
	var out []int
	for _, x := range v.([]any) {
		out = append(out, int(x.(float64)))
	}
	return out
}

// goldenConvSpec is the convolution configuration of a golden case.
func goldenConvSpec(c goldenCase) convSpec {
	cfg := c.Config
	kernel := configInts(cfg["kernel"])
	spec := convSpec{name: "conv", filters: int(cfg["filters"].(float64)), kernel: kernel,
		stride: configInts(cfg["stride"]), dilation: configInts(cfg["dilation"]),
		groups: int(cfg["groups"].(float64)), noBias: !cfg["bias"].(bool), pad: make([][2]int, len(kernel))}
	switch cfg["padding"].(string) {
	case "same":
		spec.padding = Same
	case "valid":
		spec.padding = Valid
	case "explicit":
		for i, p := range cfg["pad"].([]any) {
			q := configInts(p)
			spec.pad[i] = [2]int{q[0], q[1]}
		}
	}
	return spec
}

func goldenPool(c goldenCase) (kernel, stride [2]int, padding Padding) {
	k, s := configInts(c.Config["kernel"]), configInts(c.Config["stride"])
	padding = Valid
	if c.Config["padding"].(string) == "same" {
		padding = Same
	}
	return [2]int{k[0], k[1]}, [2]int{s[0], s[1]}, padding
}

// TestGoldenConv2D compares Conv2D and Conv3D (strides 1 and 2, same/valid/explicit
// padding, dilation 2, groups 1, 2 and depthwise, with and without bias) with PyTorch's
// conv2d and conv3d in float64: outputs and the gradients for input, weights and bias.
func TestGoldenConv2D(t *testing.T) {
	for name, c := range loadGolden2D(t) {
		if !strings.HasPrefix(name, "conv") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			spec := goldenConvSpec(c)
			grads := map[string]string{"weights": "dweights"}
			if !spec.noBias {
				grads["biases"] = "dbiases"
			}
			checkGolden(t, c, func(s *model.Scope, x *Node) *Node { return convLayer(s, x, spec) }, grads)
		})
	}
}

// TestGoldenConv2DFloat32 repeats the convolution cases in float32, to 1e-5.
func TestGoldenConv2DFloat32(t *testing.T) {
	for name, c := range loadGolden2D(t) {
		if !strings.HasPrefix(name, "conv") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			spec := goldenConvSpec(c)
			f32 := func(name string) *tensors.Tensor {
				a := c.Inputs[name]
				v := make([]float32, len(a.Data))
				for i, x := range a.Data {
					v[i] = float32(x)
				}
				return tensors.FromFlatDataAndDimensions(v, a.Shape...)
			}
			args := []any{f32("x"), f32("weights"), f32("R")}
			if !spec.noBias {
				args = append(args, f32("biases"))
			}
			exec := MustNewExec(testBackend(), func(in []*Node) []*Node {
				x, w, r := in[0], in[1], in[2]
				var b *Node
				if len(in) > 3 {
					b = in[3]
				}
				y := convWithWeights(x, w, b, spec)
				wrt := []*Node{x, w}
				if b != nil {
					wrt = append(wrt, b)
				}
				return append([]*Node{y}, Gradient(ReduceAllSum(Mul(y, r)), wrt...)...)
			})
			out := exec.MustExec(args...)
			for i, name := range []string{"y", "dx", "dweights", "dbiases"}[:len(out)] {
				if out[i].DType() != dtypes.Float32 {
					t.Fatalf("%s: dtype %s", name, out[i].DType())
				}
				got := tensors.MustCopyFlatData[float32](out[i])
				g64 := make([]float64, len(got))
				for j, v := range got {
					g64[j] = float64(v)
				}
				compare(t, name, g64, c.Outputs[name].Data, 1e-5)
			}
		})
	}
}

// TestGoldenPool2D compares MaxPool2D (including ties: the gradient goes to the first
// maximum, as in PyTorch) and AvgPool2D with PyTorch.
func TestGoldenPool2D(t *testing.T) {
	for name, c := range loadGolden2D(t) {
		var f func(*Node, [2]int, [2]int, Padding) *Node
		switch {
		case strings.HasPrefix(name, "maxpool"):
			f = MaxPool2D
		case strings.HasPrefix(name, "avgpool"):
			f = AvgPool2D
		default:
			continue
		}
		t.Run(name, func(t *testing.T) {
			k, s, p := goldenPool(c)
			checkGolden(t, c, func(_ *model.Scope, x *Node) *Node { return f(x, k, s, p) }, nil)
		})
	}
}

// TestGoldenBatchNorm2D compares BatchNorm2D in training mode (with the running
// statistics after one step, momentum 0.1) and inference mode with PyTorch's
// BatchNorm2d.
func TestGoldenBatchNorm2D(t *testing.T) {
	for _, name := range []string{"batchnorm2d_train", "batchnorm2d_eval"} {
		t.Run(name, func(t *testing.T) {
			c := loadGolden2D(t)[name]
			training := c.Config["training"].(bool)
			h := checkGolden(t, c, func(s *model.Scope, x *Node) *Node {
				return BatchNorm2D(s, x, training, BatchNormConfig{})
			}, map[string]string{"gamma": "dgamma", "beta": "dbeta"})
			for _, v := range []string{"running_mean", "running_var"} {
				got := tensors.MustCopyFlatData[float64](h.store.GetVariable("/layer/" + v).MustValue())
				compare(t, v, got, c.Outputs[v].Data, goldenTol)
			}
		})
	}
}
