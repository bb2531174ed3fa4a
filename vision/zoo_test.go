package vision

import (
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/backend"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TestZooShapes builds every model on 28×28×1 and 32×32×3 images, in training and
// inference mode, and checks that it gives finite logits [B, classes].
func TestZooShapes(t *testing.T) {
	be := backend.Must("")
	for _, name := range Names() {
		for _, in := range [][3]int{{28, 28, 1}, {32, 32, 3}} {
			for _, training := range []bool{true, false} {
				const batch, classes = 3, 7
				spec := Specs[name]
				store := model.NewStore()
				if err := store.SetRNGStateFromSeed(1); err != nil {
					t.Fatal(err)
				}
				exec, err := model.NewExec(be, store, func(s *model.Scope, x *Node) *Node {
					return spec.Arch(s.In("net"), x, ArchOptions{Classes: classes, Training: training, Dropout: 0.5})
				})
				if err != nil {
					t.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(1, 2))
				x := make([]float32, batch*in[0]*in[1]*in[2])
				for i := range x {
					x[i] = float32(rng.NormFloat64())
				}
				out, err := exec.Exec(tensors.FromFlatDataAndDimensions(x, batch, in[0], in[1], in[2]))
				if err != nil {
					t.Fatalf("%s on %v (training %v): %v", name, in, training, err)
				}
				if d := out[0].Shape().Dimensions; len(d) != 2 || d[0] != batch || d[1] != classes {
					t.Errorf("%s on %v: logits %v, want [%d %d]", name, in, d, batch, classes)
				}
				for i, v := range tensors.MustCopyFlatData[float32](out[0]) {
					if v != v || v > 1e30 || v < -1e30 {
						t.Errorf("%s on %v: logit %d is %v", name, in, i, v)
						break
					}
				}
				exec.Finalize()
			}
		}
	}
}

// TestParamCounts compares the parameter counts with PyTorch's sum(p.numel() for p
// in model.parameters()) of scripts/vision/train_torch.py (--count-params prints
// them), for 10 classes. By hand, for LeNet-5 on 28×28×1:
//
//	conv1 6@5×5 pad 2:  6·25·1 + 6    =    156   (28×28 → pool → 14×14)
//	conv2 16@5×5:      16·25·6 + 16   =  2,416   (10×10 → pool → 5×5×16 = 400)
//	dense 400→120:     400·120 + 120  = 48,120
//	dense 120→84:      120·84 + 84    = 10,164
//	dense 84→10:       84·10 + 10     =    850   total 61,706
//
// and ResNet-8 (convolutions without bias; BN has 2 parameters per channel):
//
//	stem 3×3 1→16 + BN:                        144 + 32          =    176
//	stage 1, 16→16: 2 × (3×3 16→16 + BN)       2 · (2304 + 32)   =  4,672
//	stage 2, 16→32: 3×3 16→32, 3×3 32→32,      4608 + 9216 + 512
//	  1×1 16→32 projection, 3 BN               + 3·64            = 14,528
//	stage 3, 32→64: 3×3 32→64, 3×3 64→64,      18432 + 36864 + 2048
//	  1×1 32→64 projection, 3 BN               + 3·128           = 57,728
//	dense 64→10:                               640 + 10          =    650   total 77,754
func TestParamCounts(t *testing.T) {
	want := map[string][2]int{ // 28×28×1, 32×32×3: scripts/vision/train_torch.py --count-params
		"mlp":       {235146, 820874},
		"lenet5":    {61706, 83126},
		"vgg":       {870826, 1117162},
		"resnet8":   {77754, 78042},
		"resnet20":  {272186, 272474},
		"mobilenet": {136202, 136778},
		"cnn":       {421642, 545098},
	}
	for _, name := range Names() {
		for i, in := range [][3]int{{28, 28, 1}, {32, 32, 3}} {
			n, err := ParamCount(nil, Specs[name], in[0], in[1], in[2], 10)
			if err != nil {
				t.Fatal(err)
			}
			if n != want[name][i] {
				t.Errorf("%s on %v: %d parameters, PyTorch has %d", name, in, n, want[name][i])
			}
		}
	}
}
