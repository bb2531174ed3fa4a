package green

import (
	"testing"

	"github.com/ergml/erg/vision"
)

// TestModelCostParams compares the analytic parameter counts with the parameters of
// the networks package vision builds (vision.ParamCount sums the variables of the
// built graph), for every model on 28×28×1 and 32×32×3 images.
func TestModelCostParams(t *testing.T) {
	for _, m := range Models {
		for _, in := range [][3]int{{28, 28, 1}, {32, 32, 3}} {
			c, err := ModelCost(m, in[0], in[1], in[2], 10)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := vision.Lookup(m)
			if err != nil {
				t.Fatal(err)
			}
			n, err := vision.ParamCount(nil, spec, in[0], in[1], in[2], 10)
			if err != nil {
				t.Fatal(err)
			}
			if c.Params != int64(n) {
				t.Errorf("%s on %v: analytic %d parameters, the built network has %d", m, in, c.Params, n)
			}
		}
	}
}

// TestModelCostFLOPs checks the FLOPs of the MLP and the CNN on 28×28×1 against
// hand counts of their layer shapes (2 × multiply-accumulates).
func TestModelCostFLOPs(t *testing.T) {
	want := map[string]int64{
		// 784·256 + 256·128 + 128·10 = 234,752 MACs
		"mlp": 2 * (784*256 + 256*128 + 128*10),
		// conv1: 28·28 outputs × 32 × 9 = 225,792; conv2 on 14×14: 14·14 × 64 × 9·32 =
		// 3,612,672; dense 3136·128 = 401,408; out 1,280.
		"cnn": 2 * (28*28*32*9 + 14*14*64*9*32 + 7*7*64*128 + 128*10),
		// stem 28²·16·9; stage 1: 2 × 28²·16·144; stage 2 (14×14): 14²·32·144 +
		// 14²·32·288 + 14²·32·16; stage 3 (7×7): 7²·64·288 + 7²·64·576 + 7²·64·32; dense 640.
		"resnet8": 2 * (784*16*9 + 2*784*16*144 + 196*32*(144+288+16) + 49*64*(288+576+32) + 640),
	}
	for m, w := range want {
		c, err := ModelCost(m, 28, 28, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		if c.FLOPs != w {
			t.Errorf("%s: %d FLOPs, hand count %d", m, c.FLOPs, w)
		}
	}
	if _, err := ModelCost("alexnet", 28, 28, 1, 10); err == nil {
		t.Error("unknown model: no error")
	}
}
