package nn

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Conv2DConfig configures Conv2D. Filters and Kernel are required; zero Stride and
// Dilation entries mean 1, zero Groups means 1, the zero Padding is Same and the zero
// Init is GlorotUniform. Axis 0 of the arrays is the height, axis 1 the width.
type Conv2DConfig struct {
	Filters  int    // output channels
	Kernel   [2]int // kernel height and width
	Stride   [2]int // step between output positions (default 1)
	Dilation [2]int // spacing between kernel taps (default 1)
	// Padding is Same (zeros so that the output size is ceil(in/stride), split with
	// the extra zero after, as in TensorFlow and PyTorch's padding="same") or Valid
	// (none). Causal is not supported.
	Padding Padding
	// Pad, if not all zero, gives the zeros {before, after} on each axis instead of
	// Padding: PyTorch's Conv2d(padding=p) is Pad {{p, p}, {p, p}} (for stride 1 and
	// an odd kernel that is Same; for stride 2 Same pads {0, 1} where PyTorch pads
	// {1, 1}).
	Pad [2][2]int
	// Groups splits the input channels and the filters into Groups groups, each
	// convolved separately (PyTorch's groups). Groups equal to the input channels is a
	// depthwise convolution with Filters/Groups filters per channel (the channel
	// multiplier). Both the input channels and Filters must be multiples of Groups.
	Groups int
	NoBias bool // leave out the bias
	Init   Init // weight initialiser (default GlorotUniform)
}

// Conv3DConfig configures Conv3D; the fields are those of Conv2DConfig with three
// spatial axes (height, width, depth — the spectral bands of a hyperspectral cube).
type Conv3DConfig struct {
	Filters  int
	Kernel   [3]int
	Stride   [3]int
	Dilation [3]int
	Padding  Padding
	Pad      [3][2]int
	Groups   int
	NoBias   bool
	Init     Init
}

// convSpec is the rank-independent form of Conv2DConfig and Conv3DConfig.
type convSpec struct {
	name                     string
	filters                  int
	kernel, stride, dilation []int
	padding                  Padding
	pad                      [][2]int
	groups                   int
	noBias                   bool
	init                     Init
}

func (c Conv2DConfig) spec() convSpec {
	return convSpec{"Conv2D", c.Filters, c.Kernel[:], c.Stride[:], c.Dilation[:], c.Padding, c.Pad[:], c.Groups, c.NoBias, c.Init}
}

func (c Conv3DConfig) spec() convSpec {
	return convSpec{"Conv3D", c.Filters, c.Kernel[:], c.Stride[:], c.Dilation[:], c.Padding, c.Pad[:], c.Groups, c.NoBias, c.Init}
}

func (c convSpec) withDefaults() convSpec {
	one := func(v []int) []int {
		out := make([]int, len(v))
		for i, x := range v {
			out[i] = x
			if x == 0 {
				out[i] = 1
			}
		}
		return out
	}
	c.stride, c.dilation = one(c.stride), one(c.dilation)
	if c.groups == 0 {
		c.groups = 1
	}
	bad := c.filters <= 0 || c.groups < 0 || c.filters%c.groups != 0
	for i := range c.kernel {
		bad = bad || c.kernel[i] <= 0 || c.stride[i] < 0 || c.dilation[i] < 0 || c.pad[i][0] < 0 || c.pad[i][1] < 0
	}
	if bad {
		panic(fmt.Sprintf("nn: invalid %s configuration: filters %d, kernel %v, stride %v, dilation %v, pad %v, groups %d",
			c.name, c.filters, c.kernel, c.stride, c.dilation, c.pad, c.groups))
	}
	return c
}

// geometry returns the output size and the padding {before, after} of every axis.
func (c convSpec) geometry(in []int) (out []int, pads [][2]int) {
	c = c.withDefaults()
	explicit := false
	for _, p := range c.pad {
		explicit = explicit || p != [2]int{}
	}
	for i, n := range in {
		k, s, d := c.kernel[i], c.stride[i], c.dilation[i]
		span := d*(k-1) + 1
		var o, lo, hi int
		switch {
		case explicit:
			lo, hi = c.pad[i][0], c.pad[i][1]
			if n+lo+hi >= span {
				o = (n+lo+hi-span)/s + 1
			}
		case c.padding == Valid:
			if n >= span {
				o = (n-span)/s + 1
			}
		case c.padding == Same:
			o = (n + s - 1) / s
			total := max((o-1)*s+span-n, 0)
			lo, hi = total/2, total-total/2
		default:
			panic(fmt.Sprintf("nn: %s does not support padding %s", c.name, c.padding))
		}
		if o <= 0 {
			panic(fmt.Sprintf("nn: %s input size %v too small for kernel %v, dilation %v, padding %s %v",
				c.name, in, c.kernel, c.dilation, c.padding, c.pad))
		}
		out = append(out, o)
		pads = append(pads, [2]int{lo, hi})
	}
	return out, pads
}

// Geometry returns the output height and width of Conv2D on an input of size inH×inW,
// and the zeros {before, after} it adds on each axis. It panics if the output would
// be empty.
func (c Conv2DConfig) Geometry(inH, inW int) (outH, outW int, pad [2][2]int) {
	out, pads := c.spec().geometry([]int{inH, inW})
	return out[0], out[1], [2][2]int{pads[0], pads[1]}
}

// Geometry returns the output size of Conv3D on an input of size in, and the zeros
// {before, after} it adds on each axis.
func (c Conv3DConfig) Geometry(in [3]int) (out [3]int, pad [3][2]int) {
	o, pads := c.spec().geometry(in[:])
	copy(out[:], o)
	copy(pad[:], pads)
	return out, pad
}

// Conv2D is a two-dimensional convolution (cross-correlation, as in every deep
// learning library) over channels-last images x [batch, height, width, channels],
// giving [batch, outH, outW, cfg.Filters] (see Conv2DConfig.Geometry):
//
//	y[b, i, j, o] = bias[o] + sum_{p, q, c} x'[b, i*sh + p*dh, j*sw + q*dw, g*C/G + c] * W[o, p, q, c]
//
// where x' is x padded with zeros and g = o / (Filters/Groups) is the filter's group.
// The weights W ("weights", shape [filters, kh, kw, channels/groups]: PyTorch's
// [out, in/groups, kh, kw] with the input axis moved last, Keras' [kh, kw, in, out]
// with the output axis moved first) and the bias ("biases", [filters]) live in scope
// s; fan-in and fan-out for the initialiser are kh·kw·channels/groups and
// kh·kw·filters, as in PyTorch (KaimingUniform is PyTorch's default for nn.Conv2d).
//
// It is one matrix product of an im2col matrix built from whole-block copies (see
// convnd.go; depthwise convolutions are multiply-adds over the taps instead), with
// closed-form gradients that are again products: on the pure-Go backend it is about
// 15 times faster than GoMLX's built-in convolution, forward and backward (see
// BenchmarkConv2D). Gradients of gradients work, except the derivative of the
// weights' gradient with respect to x, which is taken as zero.
func Conv2D(s *model.Scope, x *Node, cfg Conv2DConfig) *Node {
	return convLayer(s, x, cfg.spec())
}

// Conv2DWithWeights is Conv2D with given weights w [filters, kh, kw, channels/groups]
// and bias b [filters] (nil for none).
func Conv2DWithWeights(x, w, b *Node, cfg Conv2DConfig) *Node {
	return convWithWeights(x, w, b, cfg.spec())
}

// Conv3D is the three-dimensional convolution of x [batch, height, width, depth,
// channels] (for hyperspectral patches: depth = spectral bands, channels = 1 at the
// input), giving [batch, outH, outW, outD, cfg.Filters], with weights ("weights")
// [filters, kh, kw, kd, channels/groups] and bias ("biases") in scope s; it is the
// three-axis form of Conv2D (the same im2col on a flat grid, a real 3-D im2col with
// kh·kw·kd taps, not a stack of 2-D convolutions), and matches PyTorch's conv3d on
// the input permuted to [batch, channels, height, width, depth].
func Conv3D(s *model.Scope, x *Node, cfg Conv3DConfig) *Node {
	return convLayer(s, x, cfg.spec())
}

// Conv3DWithWeights is Conv3D with given weights w [filters, kh, kw, kd,
// channels/groups] and bias b [filters] (nil for none).
func Conv3DWithWeights(x, w, b *Node, cfg Conv3DConfig) *Node {
	return convWithWeights(x, w, b, cfg.spec())
}

func convLayer(s *model.Scope, x *Node, c convSpec) *Node {
	c = c.withDefaults()
	d := len(c.kernel)
	if x.Rank() != d+2 {
		panic(fmt.Sprintf("nn: %s input must be [batch, %d spatial axes, channels], got %s", c.name, d, x.Shape()))
	}
	cin := x.Shape().Dimensions[d+1]
	if cin%c.groups != 0 {
		panic(fmt.Sprintf("nn: %s input channels %d not a multiple of groups %d", c.name, cin, c.groups))
	}
	taps := 1
	for _, k := range c.kernel {
		taps *= k
	}
	wd := append(append([]int{c.filters}, c.kernel...), cin/c.groups)
	fanIn, fanOut := taps*cin/c.groups, taps*c.filters
	dt := x.DType()
	w := uniformVar(s, "weights", shapes.Make(dt, wd...), c.init.weightBound(fanIn, fanOut)).NodeValue(x.Graph())
	var b *Node
	if !c.noBias {
		b = uniformVar(s, "biases", shapes.Make(dt, c.filters), c.init.biasBound(fanIn)).NodeValue(x.Graph())
	}
	return convWithWeights(x, w, b, c)
}

func convWithWeights(x, w, b *Node, c convSpec) *Node {
	c = c.withDefaults()
	d := len(c.kernel)
	if x.Rank() != d+2 {
		panic(fmt.Sprintf("nn: %s input must be [batch, %d spatial axes, channels], got %s", c.name, d, x.Shape()))
	}
	dims := x.Shape().Dimensions
	cin := dims[d+1]
	wantW := append(append([]int{c.filters}, c.kernel...), cin/max(c.groups, 1))
	if cin%c.groups != 0 || !equalInts(w.Shape().Dimensions, wantW) {
		panic(fmt.Sprintf("nn: %s weights %s do not match [filters, kernel..., channels/groups] = %v (input %s, groups %d)",
			c.name, w.Shape(), wantW, x.Shape(), c.groups))
	}
	if b != nil && (b.Rank() != 1 || b.Shape().Dimensions[0] != c.filters) {
		panic(fmt.Sprintf("nn: %s bias %s does not match [%d]", c.name, b.Shape(), c.filters))
	}
	out, pads := c.geometry(dims[1 : 1+d])
	g := convGeom{groups: c.groups}
	for i := range d {
		a, ok := newConvAxis(dims[1+i], c.kernel[i], c.stride[i], c.dilation[i], pads[i][0], pads[i][1])
		if !ok || a.out != out[i] {
			panic(fmt.Sprintf("nn: internal error: %s axis %d geometry %+v, want output %d", c.name, i, a, out[i]))
		}
		g.axes = append(g.axes, a)
	}
	if c.groups == cin && c.filters == cin && cin > 1 {
		return depthwise(x, w, b, g)
	}
	return convND(x, w, b, g)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
