package imageset

import (
	"fmt"
	"math/rand/v2"
)

// Augment is the random augmentation a Loader applies to each image of a batch as it
// builds it; the set itself is never changed. The zero value does nothing.
type Augment struct {
	// Pad > 0 is a random crop with zero padding, torchvision's
	// RandomCrop(size=(H, W), padding=Pad): the image is padded by Pad black pixels on
	// every side and an H×W window is cut at a uniformly random position, i.e. it is
	// shifted by (dy, dx) drawn uniformly from [−Pad, Pad]². "Black" is pixel value 0
	// before normalisation (Set.Black), so padding means the same after Normalize.
	Pad int
	// FlipH mirrors the image left–right with probability 1/2 (after the crop, as
	// torchvision's RandomHorizontalFlip placed after RandomCrop).
	FlipH bool
}

// Active reports whether a does anything.
func (a Augment) Active() bool { return a.Pad > 0 || a.FlipH }

// Apply writes to dst the augmented copy of the H×W×C image src (HWC), drawing from
// rng, in this order: dy then dx (each rng.IntN(2·Pad+1) − Pad, when Pad > 0), then
// the flip (rng.IntN(2) == 1, when FlipH). fill[k] is the padding value of channel
// k. dst and src must not overlap. It panics if the lengths disagree.
func (a Augment) Apply(dst, src []float32, h, w, c int, fill []float32, rng *rand.Rand) {
	if len(src) != h*w*c || len(dst) != len(src) || len(fill) != c || a.Pad < 0 {
		panic(fmt.Sprintf("imageset: Augment.Apply: dst %d, src %d values, fill %d, pad %d for %d×%d×%d", len(dst), len(src), len(fill), a.Pad, h, w, c))
	}
	var dy, dx int
	if a.Pad > 0 {
		dy = rng.IntN(2*a.Pad+1) - a.Pad
		dx = rng.IntN(2*a.Pad+1) - a.Pad
	}
	flip := a.FlipH && rng.IntN(2) == 1
	shift(dst, src, h, w, c, dy, dx, flip, fill)
}

// shift sets dst[y][x] = src[y+dy][x'+dx] with x' = W−1−x when flip, else x, and
// fill where that is outside src.
func shift(dst, src []float32, h, w, c, dy, dx int, flip bool, fill []float32) {
	row := w * c
	for y := 0; y < h; y++ {
		out := dst[y*row : (y+1)*row]
		sy := y + dy
		if sy < 0 || sy >= h {
			fillPixels(out, fill)
			continue
		}
		in := src[sy*row : (sy+1)*row]
		if !flip {
			// Valid x: 0 ≤ x+dx < w.
			lo, hi := max(0, -dx), min(w, w-dx)
			if lo >= hi {
				fillPixels(out, fill)
				continue
			}
			fillPixels(out[:lo*c], fill)
			copy(out[lo*c:hi*c], in[(lo+dx)*c:(hi+dx)*c])
			fillPixels(out[hi*c:], fill)
			continue
		}
		// Flipped: dst[x] = src[w−1−x+dx], valid for x in [max(0, dx), min(w, w+dx)).
		lo, hi := max(0, dx), min(w, w+dx)
		if lo >= hi {
			fillPixels(out, fill)
			continue
		}
		fillPixels(out[:lo*c], fill)
		fillPixels(out[hi*c:], fill)
		switch c {
		case 1:
			o, i := out[lo:hi], in[w-hi+dx:w-lo+dx]
			for x, n := 0, len(o); x < n; x++ {
				o[x] = i[n-1-x]
			}
		case 3:
			o, i := out[3*lo:3*hi], in[3*(w-hi+dx):3*(w-lo+dx)]
			for x, j := 0, len(i)-3; x+2 < len(o) && j >= 0 && j+2 < len(i); x, j = x+3, j-3 {
				o[x], o[x+1], o[x+2] = i[j], i[j+1], i[j+2]
			}
		default:
			for x := lo; x < hi; x++ {
				sx := w - 1 - x + dx
				copy(out[x*c:(x+1)*c], in[sx*c:(sx+1)*c])
			}
		}
	}
}

func fillPixels(out, fill []float32) {
	switch c := len(fill); c {
	case 1:
		v := fill[0]
		for i := range out {
			out[i] = v
		}
	case 3:
		r, g, b := fill[0], fill[1], fill[2]
		for i := 0; i+2 < len(out); i += 3 {
			out[i], out[i+1], out[i+2] = r, g, b
		}
	default:
		for i := 0; i < len(out); i += c {
			copy(out[i:i+c], fill)
		}
	}
}
