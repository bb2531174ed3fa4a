package nn

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
)

// This file holds the convolution over several spatial axes that Conv2D and Conv3D
// build on: channels-last input [batch, spatial..., channels], weights [filters,
// kernel..., channels/groups].
//
// The forward pass is "im2col on a flat grid". The input is zero-padded (and, for
// strides above 1, split into its stride phases: phase u of an axis holds the
// positions s·a + u), transposed to channels-first and flattened over batch and space
// into [channels, batch·grid]. In that layout the kernel tap (k_1, ..., k_d) of every
// output position is the same flat array shifted by one offset, so each tap is one
// contiguous slice per channel, and the im2col matrix [taps·channels, batch·grid] is
// a concatenation of whole blocks (a channels-last im2col matrix would be a
// concatenation of one channels-wide block per position and tap, which the backend
// copies block by block, several times slower). Outputs are computed on the whole
// (phase) grid, padding included, and the positions outside the output are dropped
// afterwards; the waste is (grid/out - 1), e.g. 15% for a 3×3 kernel on 28×28. The
// product is weights [filters, taps·channels (+1)] times the im2col matrix (with a
// row of ones for the bias), the im2col matrix being the right-hand operand in the
// layout the backend packs with vector copies, and its [filters, batch·grid] result
// goes back to channels-last with one two-axis transpose. For large batches the
// im2col matrix and its product are built per chunk of images (chunkBytes).
//
// The gradient with respect to the weights and bias is one product per chunk of the
// same im2col matrix with the output gradient on the grid, [filters, batch·grid]. The
// one with respect to the input is the transposed convolution, computed by the same
// code: for stride 1 it is a convolution of the output gradient with the flipped
// kernel (input and output channels swapped) and padding dilation·(kernel-1) -
// padding; for larger strides it is one such convolution per input phase, with the
// taps of that phase, interleaved back into the input grid. For stride 1 without
// groups it is instead col2im (one product and shifted block sums) when that moves
// less data (useCol2im). So both passes are a few large products, and gradients of
// gradients work, except the derivative of the weights' gradient with respect to the
// input, which is taken as zero (the weights' gradient reuses the forward im2col
// matrix, built behind a StopGradient; see convForwardFlat).

// convAxis is the geometry of one spatial axis of a convolution.
type convAxis struct {
	in, kernel, stride, dilation int
	// lo and hi are the zeros added before and after the input (negative: elements
	// removed); hi is trimmed so that no input after the last window is kept.
	lo, hi int
	out    int
}

func (a convAxis) span() int { return a.dilation*(a.kernel-1) + 1 }

// extent is the length of the padded (and trimmed) input.
func (a convAxis) extent() int { return a.in + a.lo + a.hi }

// grid is the length of one stride phase of the padded input.
func (a convAxis) grid() int { return (a.extent() + a.stride - 1) / a.stride }

// newConvAxis returns the geometry of an axis of length in with the given padding;
// ok is false if no window fits.
func newConvAxis(in, kernel, stride, dilation, lo, hi int) (a convAxis, ok bool) {
	a = convAxis{in: in, kernel: kernel, stride: stride, dilation: dilation, lo: lo}
	total := in + lo + hi
	if kernel < 1 || stride < 1 || dilation < 1 || total < a.span() || in+min(lo, 0)+min(hi, 0) <= 0 {
		return a, false
	}
	a.out = (total-a.span())/stride + 1
	a.hi = (a.out-1)*stride + a.span() - in - lo
	return a, true
}

// convGeom is the geometry of a convolution: one convAxis per spatial axis, and the
// number of channel groups.
type convGeom struct {
	axes   []convAxis
	groups int
}

// taps returns the kernel taps in row-major order (the order of the weights' kernel
// axes), each as its per-axis kernel indices.
func (g convGeom) taps() [][]int {
	taps := [][]int{{}}
	for _, a := range g.axes {
		var next [][]int
		for _, t := range taps {
			for k := range a.kernel {
				next = append(next, append(append([]int(nil), t...), k))
			}
		}
		taps = next
	}
	return taps
}

// phaseOf returns the stride phase (flattened over axes) of tap t, and its flat offset
// within the phase grid.
func (g convGeom) phaseOf(t []int) (phase, offset int) {
	stride := 1
	for i := len(g.axes) - 1; i >= 0; i-- {
		a := g.axes[i]
		o := t[i] * a.dilation
		phase += (o % a.stride) * g.phaseStride(i)
		offset += (o / a.stride) * stride
		stride *= a.grid()
	}
	return phase, offset
}

// gridPhases is the number of stride phases (the product of the strides).
func (g convGeom) gridPhases() int {
	n := 1
	for _, a := range g.axes {
		n *= a.stride
	}
	return n
}

// phaseStride is the weight of axis i in the flattened phase index.
func (g convGeom) phaseStride(i int) int {
	s := 1
	for _, a := range g.axes[i+1:] {
		s *= a.stride
	}
	return s
}

func (g convGeom) gridSize() int {
	n := 1
	for _, a := range g.axes {
		n *= a.grid()
	}
	return n
}

func (g convGeom) unitStride() bool {
	for _, a := range g.axes {
		if a.stride != 1 {
			return false
		}
	}
	return true
}

// padCrop adds lo zeros before and hi zeros after x along axis (negative: removes
// elements), by slicing and concatenation.
func padCrop(x *Node, axis, lo, hi int) *Node {
	dims := x.Shape().Dimensions
	if lo < 0 || hi < 0 {
		spec := make([]SliceAxisSpec, len(dims))
		for i := range spec {
			spec[i] = AxisRange()
		}
		spec[axis] = AxisRange(max(-lo, 0), dims[axis]-max(-hi, 0))
		x = Slice(x, spec...)
		lo, hi = max(lo, 0), max(hi, 0)
	}
	if lo == 0 && hi == 0 {
		return x
	}
	zeros := func(n int) *Node {
		d := append([]int(nil), x.Shape().Dimensions...)
		d[axis] = n
		return Zeros(x.Graph(), shapes.Make(x.DType(), d...))
	}
	parts := make([]*Node, 0, 3)
	if lo > 0 {
		parts = append(parts, zeros(lo))
	}
	parts = append(parts, x)
	if hi > 0 {
		parts = append(parts, zeros(hi))
	}
	return Concatenate(parts, axis)
}

// toChannelsFirst returns x [rows, c] as [c, rows].
func toChannelsFirst(x *Node) *Node {
	d := x.Shape().Dimensions
	if d[1] == 1 {
		return Reshape(x, 1, d[0])
	}
	return Transpose(x, 0, 1)
}

// convND is the convolution of x [batch, spatial..., channels] with w [filters,
// kernel..., channels/groups] plus the bias b [filters] (nil for none), giving
// [batch, out..., filters].
func convND(x, w, b *Node, g convGeom) *Node {
	var fw *convFwd
	inputs := []*Node{x, w}
	if b != nil {
		inputs = append(inputs, b)
	}
	return withVJP(inputs, func(in []*Node) *Node {
		var bias *Node
		if len(in) > 2 {
			bias = in[2]
		}
		fw = convForwardFlat(flatPhases(in[0], g), in[0].Shape().Dimensions[0], in[1], bias, g, !autodiffOnly)
		return fw.y
	}, func(v *Node, in []*Node) []*Node {
		// v on the forward grid, channels-first: [filters, Q].
		vt := toChannelsFirst(Reshape(padToGrid(v, g), fw.q, w.Shape().Dimensions[0]))
		dw, db := convWeightGrad(vt, fw, in[1], g)
		grads := []*Node{convInputGrad(v, vt, in[1], g), dw}
		if b != nil {
			grads = append(grads, db)
		}
		return grads
	})
}

// convFwd is the result of convForward: the output, and what the weights' gradient
// reuses.
type convFwd struct {
	y      *Node
	cols   []*Node // im2col matrix of each chunk: [K, q1-q0], with groups [groups, K, q1-q0]
	q0, q1 []int   // chunk column ranges in the flat grid
	q      int     // batch·gridSize
	bias   bool    // cols end with a row of ones (per group)
}

// chunkBytes is the im2col matrix size convForward aims at: for larger batches the
// im2col matrix and the product are built per chunk of images, so that each chunk's
// matrix is read back while still in cache. (Chunks too small cost more in
// per-product overhead: the backend allocates a 2000-entry work channel for every
// large product.) A variable for tests.
var chunkBytes = 8 << 20

// convChunk returns the number of images per chunk for an im2col matrix of
// perImage bytes per image.
func convChunk(batch, perImage int) int {
	chunk := max(1, min(batch, chunkBytes/max(perImage, 1)))
	n := (batch + chunk - 1) / chunk // chunks, then an even split
	return (batch + n - 1) / n
}

// tail is the largest flat offset of a tap: the zeros after the flat phase arrays.
func (g convGeom) tail() int {
	tail := 0
	for _, t := range g.taps() {
		_, off := g.phaseOf(t)
		tail = max(tail, off)
	}
	return tail
}

// flatPhases returns each stride phase of x used by a tap (all of x for stride 1)
// padded, channels-first and flattened: [cin, batch·gridSize + tail].
func flatPhases(x *Node, g convGeom) map[int]*Node {
	dims := x.Shape().Dimensions
	d := len(g.axes)
	batch, cin := dims[0], dims[d+1]
	// Pad (and crop) every spatial axis to stride·grid, innermost first (the
	// concatenations then copy the longest runs).
	xp := x
	for i := d - 1; i >= 0; i-- {
		a := g.axes[i]
		xp = padCrop(xp, 1+i, a.lo, a.hi+a.stride*a.grid()-a.extent())
	}
	q, tail := batch*g.gridSize(), g.tail()
	phaseUsed := make([]bool, g.gridPhases())
	for _, t := range g.taps() {
		p, _ := g.phaseOf(t)
		phaseUsed[p] = true
	}
	flat := map[int]*Node{}
	var split *Node
	if !g.unitStride() {
		sd := []int{batch}
		for _, a := range g.axes {
			sd = append(sd, a.grid(), a.stride)
		}
		split = Reshape(xp, append(sd, cin)...)
	}
	for p, used := range phaseUsed {
		if !used {
			continue
		}
		ph := xp
		if split != nil {
			spec := []SliceAxisSpec{AxisRange()}
			for i, a := range g.axes {
				spec = append(spec, AxisRange(), AxisElem((p/g.phaseStride(i))%a.stride))
			}
			ph = Slice(split, append(spec, AxisRange())...)
		}
		ph = Reshape(ph, q, cin)
		if tail > 0 {
			ph = Concatenate([]*Node{ph, Zeros(x.Graph(), shapes.Make(x.DType(), tail, cin))}, 0)
		}
		flat[p] = toChannelsFirst(ph)
	}
	return flat
}

// convForward is the forward pass of convND (see the comment at the top of the file).
func convForward(x, w, b *Node, g convGeom) *convFwd {
	return convForwardFlat(flatPhases(x, g), x.Shape().Dimensions[0], w, b, g, false)
}

// convForwardFlat is convForward from the input's flat phases (see flatPhases).
//
// With stop (in convND's forward pass) the im2col matrices are built from taps
// behind a StopGradient, so that the weights' gradient can reuse them without a
// gradient of gradients reaching convND's input through them (which withVJP would
// answer with a stale custom gradient). A StopGradient on the im2col matrix itself
// would do the same, but the backend copies the input of an identity (StopGradient
// is one) that has other consumers, and the im2col matrix is the largest tensor of
// the layer; each tap slice has no other consumer. The input's custom gradient is
// then reached through an empty slice of a flat phase, summed (exactly zero) into
// the weights.
func convForwardFlat(flat map[int]*Node, batch int, w, b *Node, g convGeom, stop bool) *convFwd {
	var any0 *Node // the first used phase
	for p := range g.gridPhases() {
		if z, ok := flat[p]; ok {
			any0 = z
			break
		}
	}
	cin := any0.Shape().Dimensions[0]
	filters := w.Shape().Dimensions[0]
	groups := g.groups
	cg, fg := cin/groups, filters/groups
	gr := any0.Graph()
	dt := any0.DType()
	taps := g.taps()
	q, tail := batch*g.gridSize(), g.tail()

	// The weights as [filters, K] (groups: [groups, filters/groups, K]), with the bias
	// as a last column that multiplies a row of ones in the im2col matrix.
	k := len(taps) * cg
	var wm *Node
	if groups == 1 {
		wm = Reshape(w, filters, k)
	} else {
		wm = Reshape(w, groups, fg, k)
	}
	if stop {
		route := ReduceAllSum(Slice(any0, AxisRange(0, 0), AxisRange()))
		wm = Add(wm, route)
	}
	fw := &convFwd{q: q, bias: b != nil}
	if b != nil {
		if groups == 1 {
			wm = Concatenate([]*Node{wm, Reshape(b, filters, 1)}, 1)
		} else {
			wm = Concatenate([]*Node{wm, Reshape(b, groups, fg, 1)}, 2)
		}
		k++
	}

	// The im2col matrix and the product, per chunk of images.
	per := len(taps) * cin * g.gridSize() * dt.Size()
	step := convChunk(batch, per) * g.gridSize()
	var yts []*Node
	for q0 := 0; q0 < q; q0 += step {
		q1 := min(q0+step, q)
		parts := make([]*Node, 0, groups*(len(taps)+1))
		for gi := range groups {
			rows := AxisRange()
			if groups > 1 {
				rows = AxisRange(gi*cg, (gi+1)*cg)
			}
			for _, t := range taps {
				p, off := g.phaseOf(t)
				z := flat[p]
				if groups == 1 && off == 0 && tail == 0 && q1-q0 == q && !stop {
					parts = append(parts, z)
					continue
				}
				tap := Slice(z, rows, AxisRange(q0+off, q1+off))
				if stop {
					tap = StopGradient(tap)
				}
				parts = append(parts, tap)
			}
			if b != nil {
				parts = append(parts, Ones(gr, shapes.Make(dt, 1, q1-q0)))
			}
		}
		cols := Concatenate(parts, 0) // [groups·K, q1-q0]
		var yt *Node                  // [filters, q1-q0]
		if groups == 1 {
			yt = Dot(wm, cols).Product()
		} else {
			cols = Reshape(cols, groups, k, q1-q0)
			yt = Reshape(Dot(wm, cols).General([]int{2}, []int{0}, []int{1}, []int{0}), filters, q1-q0)
		}
		fw.cols = append(fw.cols, cols)
		fw.q0, fw.q1 = append(fw.q0, q0), append(fw.q1, q1)
		yts = append(yts, yt)
	}
	yt := yts[0]
	if len(yts) > 1 {
		yt = Concatenate(yts, 1)
	}
	fw.y = cropToOut(Reshape(toChannelsLast(yt), gridDims(batch, g, filters)...), g)
	return fw
}

// toChannelsLast returns x [c, rows] as [rows, c].
func toChannelsLast(x *Node) *Node {
	d := x.Shape().Dimensions
	if d[0] == 1 {
		return Reshape(x, d[1], 1)
	}
	return Transpose(x, 0, 1)
}

// gridDims is [batch, grid..., channels].
func gridDims(batch int, g convGeom, channels int) []int {
	dims := []int{batch}
	for _, a := range g.axes {
		dims = append(dims, a.grid())
	}
	return append(dims, channels)
}

// cropToOut keeps the output positions of y [batch, grid..., c].
func cropToOut(y *Node, g convGeom) *Node {
	spec := []SliceAxisSpec{AxisRange()}
	crop := false
	for _, a := range g.axes {
		spec = append(spec, AxisRange(0, a.out))
		crop = crop || a.out != a.grid()
	}
	if !crop {
		return y
	}
	return Slice(y, append(spec, AxisRange())...)
}

// padToGrid pads v [batch, out..., c] with zeros to [batch, grid..., c].
func padToGrid(v *Node, g convGeom) *Node {
	for i := len(g.axes) - 1; i >= 0; i-- {
		a := g.axes[i]
		v = padCrop(v, 1+i, 0, a.grid()-a.out)
	}
	return v
}

// convWeightGrad returns the gradients with respect to the weights and the bias (nil
// without bias) of convND, for the output gradient on the forward grid vt [filters,
// Q] and the forward pass fw.
func convWeightGrad(vt *Node, fw *convFwd, w *Node, g convGeom) (dw, db *Node) {
	wd := w.Shape().Dimensions
	filters := wd[0]
	fg := filters / g.groups
	// [filters, Q]·[K, Q]ᵀ per chunk: both operands are packed along their contiguous
	// axis (with v as [Q, filters] as the right operand instead, the backend pads each
	// of its rows to 32 columns byte by byte when filters < 32).
	var d *Node
	for i, cols := range fw.cols {
		vc := vt
		if len(fw.cols) > 1 {
			vc = Slice(vt, AxisRange(), AxisRange(fw.q0[i], fw.q1[i]))
		}
		var di *Node
		switch {
		case g.groups == 1 && filters%32 == 0:
			// With vc as the right operand when it fills the kernel's 32 columns
			// (measured 1.4x faster for 32 filters; slower for 6 and 16).
			di = Transpose(Dot(cols, vc).General([]int{1}, nil, []int{1}, nil), 0, 1)
		case g.groups == 1:
			di = Dot(vc, cols).General([]int{1}, nil, []int{1}, nil) // [filters, K]
		default:
			vc = Reshape(vc, g.groups, fg, fw.q1[i]-fw.q0[i])
			di = Dot(vc, cols).General([]int{2}, []int{0}, []int{2}, []int{0}) // [groups, fg, K]
		}
		if d == nil {
			d = di
		} else {
			d = Add(d, di)
		}
	}
	last := d.Rank() - 1
	k := d.Shape().Dimensions[last]
	if fw.bias {
		db = Reshape(SliceAxis(d, last, AxisElem(k-1)), filters)
		d = SliceAxis(d, last, AxisRange(0, k-1))
	}
	return Reshape(d, wd...), db
}

// flipKernel returns the kernel of the transposed convolution of w [filters,
// kernel..., cg] with the given groups: [cin, kernel..., filters/groups], spatially
// reversed, with each group's input and output channels swapped.
func flipKernel(w *Node, groups int) *Node {
	wd := w.Shape().Dimensions
	d := len(wd) - 2
	filters, cg := wd[0], wd[d+1]
	fg := filters / groups
	spatial := make([]int, d)
	for i := range spatial {
		spatial[i] = 1 + i
	}
	wr := reverse(w, spatial...)
	// [groups, fg, kernel..., cg] -> [groups, cg, kernel..., fg]
	wr = Reshape(wr, append(append([]int{groups, fg}, wd[1:1+d]...), cg)...)
	perm := []int{0, d + 2}
	for i := range d {
		perm = append(perm, 2+i)
	}
	perm = append(perm, 1)
	wr = TransposeAllAxes(wr, perm...)
	return Reshape(wr, append(append([]int{groups * cg}, wd[1:1+d]...), fg)...)
}

// convInputGrad is the gradient of convND with respect to its input, for the output
// gradient v [batch, out..., filters] (vt: the same on the forward grid, [filters,
// Q]): the transposed convolution, or col2im where that moves less data.
func convInputGrad(v, vt, w *Node, g convGeom) *Node {
	d := len(g.axes)
	if useCol2im(g, w) {
		return col2imND(vt, w, g, v.Shape().Dimensions[0])
	}
	if g.unitStride() {
		// y[p] = sum_k w[k] x[p + k·dil - lo], so dx[r] = sum_k' wflip[k'] v[r + k'·dil - lo']
		// with lo' = dil·(kernel-1) - lo; hi' makes the output the input's length.
		tg := convGeom{axes: make([]convAxis, d), groups: g.groups}
		for i, a := range g.axes {
			lo, hi := a.dilation*(a.kernel-1)-a.lo, a.dilation*(a.kernel-1)-a.hi
			// (Input elements the forward pass cropped, with negative padding, fall
			// outside v's range and get zeros.)
			ta, ok := newConvAxis(a.out, a.kernel, 1, a.dilation, lo, hi)
			if !ok || ta.out != a.in {
				panic(fmt.Sprintf("nn: internal error: transposed convolution geometry %+v from %+v", ta, a))
			}
			tg.axes[i] = ta
		}
		wf := flipKernel(w, g.groups)
		if flat := sharedGrid(vt, g, tg); flat != nil {
			return convForwardFlat(flat, v.Shape().Dimensions[0], wf, nil, tg, false).y
		}
		return transposedConv(v, wf, tg)
	}
	// Strided: the input gradient of phase u (positions s·a + u of the padded input)
	// is a stride-1 transposed convolution of v with the taps in that phase.
	wd := w.Shape().Dimensions
	batch, cin := v.Shape().Dimensions[0], wd[d+1]*g.groups
	nPhases := g.gridPhases()
	phases := make([]*Node, nPhases)
	for p := range nPhases {
		spec := []SliceAxisSpec{AxisRange()}
		tg := convGeom{axes: make([]convAxis, d), groups: g.groups}
		empty := false
		for i, a := range g.axes {
			u := (p / g.phaseStride(i)) % a.stride
			// Kernel indices k with k·dil ≡ u (mod stride): k0, k0+step, ...
			k0 := -1
			for k := range a.kernel {
				if (k*a.dilation)%a.stride == u {
					k0 = k
					break
				}
			}
			if k0 < 0 {
				empty = true
				break
			}
			step := a.stride / gcd(a.dilation, a.stride)
			n := (a.kernel-1-k0)/step + 1
			spec = append(spec, AxisRange(k0, k0+(n-1)*step+1).Stride(step))
			e0, de := k0*a.dilation/a.stride, step*a.dilation/a.stride
			// dphase[r] = sum_j w[j] v[r - e0 - j·de] for r in [0, grid).
			lo := e0 + (n-1)*de
			hi := a.grid() - a.out - e0
			ta, ok := newConvAxis(a.out, n, 1, de, lo, hi)
			if !ok || ta.out != a.grid() {
				panic(fmt.Sprintf("nn: internal error: phase geometry %+v from %+v", ta, a))
			}
			tg.axes[i] = ta
		}
		if empty {
			phases[p] = Zeros(v.Graph(), shapes.Make(v.DType(), gridDims(batch, g, cin)...))
			continue
		}
		wp := Slice(w, append(spec, AxisRange())...)
		phases[p] = transposedConv(v, flipKernel(wp, g.groups), tg)
	}
	// Interleave the phases: dxp[b, s·a + u, ..., c] = phase_u[b, a, ..., c].
	dxp := interleavePhases(phases, g, batch, cin)
	for i, a := range g.axes {
		dxp = padCrop(dxp, 1+i, -a.lo, -(a.stride*a.grid() - a.in - a.lo))
	}
	return dxp
}

// col2imMode forces col2imND (1) or the transposed convolution (-1) for tests; 0 is
// the estimate of useCol2im.
var col2imMode = 0

// useCol2im reports whether convInputGrad uses col2imND: for stride 1 without groups,
// when its estimated data movement is smaller. The transposed convolution writes its
// im2col matrix twice and reads it once, T·filters·Q' elements each time (Q' its
// grid, the input extended by dilation·(kernel-1)); col2im writes T·cin·Q (Q the
// forward grid) once from a product, then slices, shifts and adds each tap's block,
// about seven passes. So col2im wins when filters exceed cin by enough or the
// forward grid is smaller (Valid padding), e.g. LeNet-5's second convolution.
func useCol2im(g convGeom, w *Node) bool {
	if !g.unitStride() || g.groups != 1 {
		return false
	}
	if col2imMode != 0 {
		return col2imMode > 0
	}
	wd := w.Shape().Dimensions
	filters, cin := wd[0], wd[len(wd)-1]
	q, qt := 1, 1
	for _, a := range g.axes {
		q *= a.grid()
		qt *= a.in + a.dilation*(a.kernel-1)
	}
	return 7*cin*q < 3*filters*qt
}

// col2imND is the input gradient of convND (stride 1, one group) from vt [filters, Q]:
// the product wᵀ·vt gives each tap's contribution on the flat grid, [taps·cin, Q];
// each tap's block is shifted by the tap's offset and the blocks are summed, then the
// padding is removed.
func col2imND(vt, w *Node, g convGeom, batch int) *Node {
	wd := w.Shape().Dimensions
	filters, cin := wd[0], wd[len(wd)-1]
	taps := g.taps()
	k := len(taps) * cin
	q := vt.Shape().Dimensions[1]
	dcols := Dot(Transpose(Reshape(w, filters, k), 0, 1), vt).Product() // [K, Q]
	tail := 0
	for _, t := range taps {
		_, off := g.phaseOf(t)
		tail = max(tail, off)
	}
	var dx *Node // [cin, Q + tail]
	for i, t := range taps {
		_, off := g.phaseOf(t)
		term := padCrop(Slice(dcols, AxisRange(i*cin, (i+1)*cin), AxisRange()), 1, off, tail-off)
		if dx == nil {
			dx = term
		} else {
			dx = Add(dx, term)
		}
	}
	if tail > 0 {
		dx = Slice(dx, AxisRange(), AxisRange(0, q))
	}
	dxp := Reshape(toChannelsLast(dx), gridDims(batch, g, cin)...)
	for i, a := range g.axes {
		dxp = padCrop(dxp, 1+i, -a.lo, -(a.grid() - a.in - a.lo))
	}
	return dxp
}

// sharedGrid returns the flat input of the stride-1 transposed convolution tg built
// from vt (the output gradient on the forward grid, [filters, Q]) when both have the
// same grid (output size equal to input size, as with Same padding): v padded by lo'
// before is vt shifted by lo' rows and columns, i.e. by one flat offset, because the
// positions it wraps around from are the forward grid's zero padding. That spares
// padding v again and transposing it. It returns nil otherwise.
func sharedGrid(vt *Node, g, tg convGeom) map[int]*Node {
	if sharedGridOff {
		return nil
	}
	shift, stride := 0, 1
	for i := len(g.axes) - 1; i >= 0; i-- {
		a, ta := g.axes[i], tg.axes[i]
		if ta.grid() != a.grid() || ta.lo < 0 || ta.hi < 0 || a.stride != 1 {
			return nil
		}
		shift += ta.lo * stride
		stride *= a.grid()
	}
	tail := tg.tail()
	if shift > tail {
		return nil
	}
	return map[int]*Node{0: padCrop(vt, 1, shift, tail-shift)}
}

// sharedGridOff disables sharedGrid, for tests.
var sharedGridOff = false

// transposedConv is the convolution of a gradient in convInputGrad. It is the
// forward pass without custom gradients: the input gradient is needed once per
// step, its own gradient only for gradients of gradients (where GoMLX's automatic
// differentiation of convForward serves), and a custom-gradient wrapper would copy v
// (see withVJP).
func transposedConv(v, w *Node, g convGeom) *Node {
	return convForward(v, w, nil, g).y
}

// interleavePhases assembles [batch, stride·grid..., c] from the phases [batch,
// grid..., c] (flattened phase index, last axis fastest).
func interleavePhases(phases []*Node, g convGeom, batch, c int) *Node {
	d := len(g.axes)
	// [batch, grid_1, 1, grid_2, 1, ..., c] pieces, concatenated along the unit axes
	// from the last spatial axis to the first.
	unit := []int{batch}
	for _, a := range g.axes {
		unit = append(unit, a.grid(), 1)
	}
	unit = append(unit, c)
	level := make([]*Node, len(phases))
	for i, p := range phases {
		level[i] = Reshape(p, unit...)
	}
	for i := d - 1; i >= 0; i-- {
		s := g.axes[i].stride
		next := make([]*Node, len(level)/s)
		for j := range next {
			next[j] = Concatenate(level[j*s:(j+1)*s], 2+2*i)
		}
		level = next
	}
	out := []int{batch}
	for _, a := range g.axes {
		out = append(out, a.grid()*a.stride)
	}
	return Reshape(level[0], append(out, c)...)
}

// reverse reverses x along the given axes by concatenating its slices in reverse
// order (for small kernels; GoMLX's Reverse has no gradient).
func reverse(x *Node, axes ...int) *Node {
	for _, axis := range axes {
		n := x.Shape().Dimensions[axis]
		if n == 1 {
			continue
		}
		parts := make([]*Node, n)
		for i := range n {
			parts[n-1-i] = SliceAxis(x, axis, AxisElem(i))
		}
		x = Concatenate(parts, axis)
	}
	return x
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
