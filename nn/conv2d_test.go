package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// refConv is a direct (loop) convolution of x [batch, spatial..., cin] with w
// [filters, kernel..., cin/groups] and bias b (nil for none), with the given strides,
// dilations and paddings {before, after}; it returns y and its dimensions.
func refConv(x []float64, xd []int, w []float64, wd []int, b []float64, stride, dil []int, pads [][2]int, groups int) ([]float64, []int) {
	d := len(xd) - 2
	batch, cin, filters := xd[0], xd[d+1], wd[0]
	cg, fg := cin/groups, filters/groups
	out := make([]int, d)
	for i := range d {
		span := dil[i]*(wd[1+i]-1) + 1
		out[i] = (xd[1+i]+pads[i][0]+pads[i][1]-span)/stride[i] + 1
	}
	yd := append(append([]int{batch}, out...), filters)
	size := func(dims []int) int {
		n := 1
		for _, v := range dims {
			n *= v
		}
		return n
	}
	y := make([]float64, size(yd))
	taps := size(wd[1 : 1+d])
	pos := make([]int, d)
	for n := range batch {
		for o := range size(out) {
			rem := o
			for i := d - 1; i >= 0; i-- {
				pos[i] = rem % out[i]
				rem /= out[i]
			}
			for f := range filters {
				g := f / fg
				sum := 0.0
				if b != nil {
					sum = b[f]
				}
				for t := range taps {
					rem := t
					xi := 0
					inside := true
					kidx := make([]int, d)
					for i := d - 1; i >= 0; i-- {
						kidx[i] = rem % wd[1+i]
						rem /= wd[1+i]
					}
					for i := range d {
						p := pos[i]*stride[i] + kidx[i]*dil[i] - pads[i][0]
						if p < 0 || p >= xd[1+i] {
							inside = false
							break
						}
						xi = xi*xd[1+i] + p
					}
					if !inside {
						continue
					}
					for c := range cg {
						sum += x[(n*size(xd[1:1+d])+xi)*cin+g*cg+c] * w[(f*taps+t)*cg+c]
					}
				}
				y[(n*size(out)+o)*filters+f] = sum
			}
		}
	}
	return y, yd
}

type convCase struct {
	name string
	x    []int // input shape
	spec convSpec
}

func convCases() []convCase {
	c2 := func(f, kh, kw, sh, sw, dh, dw int, p Padding, groups int) convSpec {
		return Conv2DConfig{Filters: f, Kernel: [2]int{kh, kw}, Stride: [2]int{sh, sw}, Dilation: [2]int{dh, dw}, Padding: p, Groups: groups}.spec()
	}
	return []convCase{
		{"same_3x3", []int{2, 5, 6, 2}, c2(3, 3, 3, 1, 1, 1, 1, Same, 1)},
		{"valid_3x2", []int{2, 5, 7, 3}, c2(2, 3, 2, 1, 1, 1, 1, Valid, 1)},
		{"same_stride2_odd", []int{2, 7, 5, 2}, c2(3, 3, 3, 2, 2, 1, 1, Same, 1)},
		{"valid_stride2x3", []int{1, 9, 10, 2}, c2(2, 3, 3, 2, 3, 1, 1, Valid, 1)},
		{"same_dil2", []int{2, 7, 6, 2}, c2(2, 3, 3, 1, 1, 2, 2, Same, 1)},
		{"valid_dil2_stride2", []int{1, 9, 9, 2}, c2(3, 3, 2, 2, 2, 2, 1, Valid, 1)},
		{"same_k4_even", []int{1, 6, 5, 1}, c2(2, 4, 2, 1, 1, 1, 1, Same, 1)},
		{"groups2", []int{2, 5, 5, 4}, c2(6, 3, 3, 1, 1, 1, 1, Same, 2)},
		{"groups2_stride2", []int{1, 6, 7, 4}, c2(4, 3, 3, 2, 2, 1, 1, Same, 2)},
		{"depthwise", []int{2, 5, 6, 3}, c2(3, 3, 3, 1, 1, 1, 1, Same, 3)},
		{"depthwise_mult2_stride2", []int{1, 7, 7, 2}, c2(4, 3, 3, 2, 2, 1, 1, Valid, 2)},
		{"depthwise_stride2_dil2", []int{1, 9, 8, 4}, c2(4, 3, 3, 2, 2, 2, 1, Valid, 4)},
		{"depthwise_same_stride2x1_k4x2", []int{2, 7, 6, 3}, c2(3, 4, 2, 2, 1, 1, 1, Same, 3)},
		{"pointwise_stride2", []int{2, 5, 6, 3}, c2(4, 1, 1, 2, 2, 1, 1, Valid, 1)},
		{"filters32", []int{2, 4, 5, 2}, c2(32, 3, 3, 1, 1, 1, 1, Same, 1)},
		{"explicit_pad_stride2", []int{1, 6, 6, 2}, Conv2DConfig{Filters: 2, Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}, Pad: [2][2]int{{1, 1}, {1, 1}}}.spec()},
		{"explicit_asym", []int{1, 5, 4, 1}, Conv2DConfig{Filters: 2, Kernel: [2]int{2, 3}, Pad: [2][2]int{{0, 2}, {1, 0}}}.spec()},
		{"stride3_k2", []int{1, 8, 7, 2}, c2(2, 2, 2, 3, 3, 1, 1, Valid, 1)},
		{"conv3d_same", []int{2, 4, 3, 5, 1}, Conv3DConfig{Filters: 2, Kernel: [3]int{3, 3, 3}}.spec()},
		{"conv3d_valid_k3x3x5", []int{1, 5, 4, 7, 2}, Conv3DConfig{Filters: 3, Kernel: [3]int{3, 3, 5}, Padding: Valid}.spec()},
		{"conv3d_depthwise", []int{1, 4, 3, 5, 2}, Conv3DConfig{Filters: 2, Kernel: [3]int{3, 3, 3}, Groups: 2}.spec()},
		{"conv3d_stride_band2", []int{1, 4, 4, 8, 1}, Conv3DConfig{Filters: 2, Kernel: [3]int{3, 3, 3}, Stride: [3]int{1, 1, 2}, Dilation: [3]int{1, 1, 2}}.spec()},
	}
}

func (c convCase) fn() layerFn {
	return func(s *model.Scope, x *Node) *Node { return convLayer(s, x, c.spec) }
}

// TestConvReference compares Conv2D and Conv3D with the direct loops of refConv.
func TestConvReference(t *testing.T) {
	for i, c := range convCases() {
		t.Run(c.name, func(t *testing.T) {
			x := randTensor(uint64(i), c.x...)
			store, _ := initLayer(t, c.fn(), x)
			w := store.GetVariable("/layer/weights").MustValue()
			b := store.GetVariable("/layer/biases").MustValue()
			_, pads := c.spec.geometry(c.x[1 : len(c.x)-1])
			spec := c.spec.withDefaults()
			want, wantDims := refConv(tensors.MustCopyFlatData[float64](x), c.x,
				tensors.MustCopyFlatData[float64](w), w.Shape().Dimensions,
				tensors.MustCopyFlatData[float64](b), spec.stride, spec.dilation, pads, spec.groups)
			e := model.MustNewExec(testBackend(), store, func(s *model.Scope, x *Node) *Node { return c.fn()(s.In("layer"), x) })
			y := e.MustExec(x)[0]
			if !equalInts(y.Shape().Dimensions, wantDims) {
				t.Fatalf("shape %v, want %v", y.Shape().Dimensions, wantDims)
			}
			compare(t, "y", tensors.MustCopyFlatData[float64](y), want, 1e-12)
		})
	}
}

// TestConvRandomReference compares random 2-D and 3-D configurations with refConv,
// forward and (through the custom gradients against GoMLX's automatic ones) backward,
// with the im2col matrix in one piece and in chunks of one or two images.
func TestConvRandomReference(t *testing.T) {
	for _, cb := range []int{8 << 20, 1} {
		for _, mode := range []int{-1, 0, 1} {
			t.Run(fmt.Sprintf("chunk%d_col2im%d", cb, mode), func(t *testing.T) {
				defer func(old, oldMode int, oldShared bool) {
					chunkBytes, col2imMode, sharedGridOff = old, oldMode, oldShared
				}(chunkBytes, col2imMode, sharedGridOff)
				// Mode 0 (the automatic choice) runs without the shared grid.
				chunkBytes, col2imMode, sharedGridOff = cb, mode, mode == 0
				testConvRandomReference(t)
			})
		}
	}
}

func testConvRandomReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 40 {
		d := 2 + rng.IntN(2)
		groups := []int{1, 1, 2, 3}[rng.IntN(4)]
		cin := groups * (1 + rng.IntN(2))
		filters := groups * (1 + rng.IntN(2))
		spec := convSpec{name: "conv", filters: filters, groups: groups, padding: []Padding{Same, Valid}[rng.IntN(2)],
			kernel: make([]int, d), stride: make([]int, d), dilation: make([]int, d), pad: make([][2]int, d)}
		xd := []int{1 + rng.IntN(3)}
		for a := range d {
			spec.kernel[a] = 1 + rng.IntN(3)
			spec.stride[a] = 1 + rng.IntN(3)
			spec.dilation[a] = 1 + rng.IntN(2)
			xd = append(xd, spec.dilation[a]*(spec.kernel[a]-1)+1+rng.IntN(5))
		}
		if rng.IntN(4) == 0 {
			for a := range d {
				spec.pad[a] = [2]int{rng.IntN(3), rng.IntN(3)}
			}
		}
		xd = append(xd, cin)
		t.Run(fmt.Sprintf("%d_%v_%v", i, xd, spec.kernel), func(t *testing.T) {
			c := convCase{"random", xd, spec}
			x := randTensor(uint64(1000+i), xd...)
			store, out := initLayer(t, c.fn(), x)
			w := store.GetVariable("/layer/weights").MustValue()
			b := store.GetVariable("/layer/biases").MustValue()
			_, pads := spec.geometry(xd[1 : d+1])
			full := spec.withDefaults()
			want, _ := refConv(tensors.MustCopyFlatData[float64](x), xd, tensors.MustCopyFlatData[float64](w),
				w.Shape().Dimensions, tensors.MustCopyFlatData[float64](b), full.stride, full.dilation, pads, groups)
			r := randTensor(uint64(2000+i), out...)
			y, _, custom := newHarness(t, store, c.fn(), nil, []string{"weights", "biases"}).run(x, r)
			compare(t, "y", y, want, 1e-12)
			autodiffOnly = true
			defer func() { autodiffOnly = false }()
			_, _, auto := newHarness(t, store, c.fn(), nil, []string{"weights", "biases"}).run(x, r)
			for k := range custom {
				compare(t, []string{"dx", "dweights", "dbiases"}[k], custom[k], auto[k], 1e-12)
			}
		})
	}
}

// TestPanics2D checks that misuse of the image layers is reported with the package
// prefix.
func TestPanics2D(t *testing.T) {
	g := NewGraph(testBackend(), "panics2d")
	img := Zeros(g, shapes.Make(dtypes.Float32, 2, 5, 5, 4))
	s := model.NewStore().RootScope()
	k3 := [2]int{3, 3}
	for name, f := range map[string]func(){
		"conv rank":      func() { Conv2D(s.In("a"), Reshape(img, 2, 25, 4), Conv2DConfig{Filters: 1, Kernel: k3}) },
		"conv filters":   func() { Conv2D(s.In("b"), img, Conv2DConfig{Kernel: k3}) },
		"conv kernel":    func() { Conv2D(s.In("c"), img, Conv2DConfig{Filters: 1}) },
		"conv groups":    func() { Conv2D(s.In("d"), img, Conv2DConfig{Filters: 3, Kernel: k3, Groups: 3}) },
		"conv channels":  func() { Conv2D(s.In("e"), img, Conv2DConfig{Filters: 6, Kernel: k3, Groups: 3}) },
		"conv causal":    func() { Conv2D(s.In("f"), img, Conv2DConfig{Filters: 1, Kernel: k3, Padding: Causal}) },
		"conv too small": func() { Conv2D(s.In("g"), img, Conv2DConfig{Filters: 1, Kernel: [2]int{7, 1}, Padding: Valid}) },
		"conv weights": func() {
			Conv2DWithWeights(img, Zeros(g, shapes.Make(dtypes.Float32, 2, 3, 3, 3)), nil, Conv2DConfig{Filters: 2, Kernel: k3})
		},
		"conv3d rank": func() { Conv3D(s.In("h"), img, Conv3DConfig{Filters: 1, Kernel: [3]int{1, 1, 1}}) },
		"pool rank":   func() { MaxPool2D(Reshape(img, 2, 25, 4), [2]int{2, 2}, [2]int{}, Valid) },
		"pool kernel": func() { AvgPool2D(img, [2]int{6, 1}, [2]int{}, Valid) },
		"gap rank":    func() { GlobalAvgPool2D(Reshape(img, 2, 25, 4)) },
		"bn2d rank":   func() { BatchNorm2D(s.In("i"), Reshape(img, 2, 25, 4), true, BatchNormConfig{}) },
	} {
		func() {
			defer func() {
				r := recover()
				if msg, _ := r.(string); len(msg) < 4 || msg[:4] != "nn: " {
					t.Errorf("%s: panic %v, want one starting with \"nn: \"", name, r)
				}
			}()
			f()
		}()
	}
}

// TestConv2DGeometry checks output sizes and paddings against TensorFlow's Same
// (ceil(in/s), the extra zero after) and PyTorch's Valid and explicit padding.
func TestConv2DGeometry(t *testing.T) {
	for _, c := range []struct {
		cfg        Conv2DConfig
		h, w       int
		outH, outW int
		pad        [2][2]int
	}{
		{Conv2DConfig{Filters: 1, Kernel: [2]int{3, 3}}, 28, 28, 28, 28, [2][2]int{{1, 1}, {1, 1}}},
		{Conv2DConfig{Filters: 1, Kernel: [2]int{5, 5}}, 28, 28, 28, 28, [2][2]int{{2, 2}, {2, 2}}},
		{Conv2DConfig{Filters: 1, Kernel: [2]int{4, 2}}, 6, 5, 6, 5, [2][2]int{{1, 2}, {0, 1}}},
		{Conv2DConfig{Filters: 1, Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}}, 28, 27, 14, 14, [2][2]int{{0, 1}, {1, 1}}},
		{Conv2DConfig{Filters: 1, Kernel: [2]int{3, 3}, Dilation: [2]int{2, 2}}, 7, 7, 7, 7, [2][2]int{{2, 2}, {2, 2}}},
		{Conv2DConfig{Filters: 1, Kernel: [2]int{5, 5}, Padding: Valid}, 14, 14, 10, 10, [2][2]int{}},
		{Conv2DConfig{Filters: 1, Kernel: [2]int{3, 2}, Stride: [2]int{2, 3}, Padding: Valid}, 9, 10, 4, 3, [2][2]int{}},
		{Conv2DConfig{Filters: 1, Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}, Pad: [2][2]int{{1, 1}, {1, 1}}}, 28, 28, 14, 14, [2][2]int{{1, 1}, {1, 1}}},
	} {
		oh, ow, pad := c.cfg.Geometry(c.h, c.w)
		if oh != c.outH || ow != c.outW || pad != c.pad {
			t.Errorf("%+v on %dx%d: got %dx%d %v, want %dx%d %v", c.cfg, c.h, c.w, oh, ow, pad, c.outH, c.outW, c.pad)
		}
	}
	out, pad := Conv3DConfig{Filters: 1, Kernel: [3]int{3, 3, 7}, Stride: [3]int{1, 1, 2}, Padding: Valid}.Geometry([3]int{5, 5, 20})
	if out != [3]int{3, 3, 7} || pad != [3][2]int{} {
		t.Errorf("Conv3D geometry: got %v %v", out, pad)
	}
}
