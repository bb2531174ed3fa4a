package modes

import "math"

// PruneModes returns the modes of the function tabulated as y on the equispaced grid x
// that carry excess mass at least minMass: repeatedly, the mode whose bump — the
// connected region around it where y exceeds the higher of its neighbouring antimodes
// (the function's minimum beyond the outermost modes) — has the least mass above that
// level is merged away while that mass is below minMass. y must be non-negative (a
// density). It is the mode-significance rule of excess-mass methods (Müller and Sawitzki
// 1991) applied to one function; minMass <= 0 keeps every mode.
func PruneModes(x, y []float64, minMass float64) []Extremum {
	ext := Extrema(x, y)
	if minMass <= 0 || len(ext) <= 1 {
		return ext
	}
	idx, isMax := extremaIdx(y)
	dx := 0.0
	if len(x) > 1 {
		dx = (x[len(x)-1] - x[0]) / float64(len(x)-1)
	}
	for {
		// modes and antimodes alternate: M A M A ... M
		best, bestMass := -1, math.Inf(1)
		for k := 0; k < len(idx); k += 2 {
			level := 0.0
			if k > 0 {
				level = y[idx[k-1]]
			}
			if k+1 < len(idx) {
				level = math.Max(level, y[idx[k+1]])
			}
			// mass above level in the connected region around the mode
			m := 0.0
			for j := idx[k]; j >= 0 && y[j] > level; j-- {
				m += (y[j] - level) * dx
			}
			for j := idx[k] + 1; j < len(y) && y[j] > level; j++ {
				m += (y[j] - level) * dx
			}
			if m < bestMass {
				best, bestMass = k, m
			}
		}
		if best < 0 || bestMass >= minMass || len(idx) == 1 {
			break
		}
		// remove the mode and its higher neighbouring antimode
		k := best
		switch {
		case k == 0:
			idx, isMax = idx[2:], isMax[2:]
		case k == len(idx)-1:
			idx, isMax = idx[:k-1], isMax[:k-1]
		default:
			a := k - 1
			if y[idx[k+1]] > y[idx[k-1]] {
				a = k + 1
			}
			lo := min(a, k)
			idx = append(idx[:lo:lo], idx[lo+2:]...)
			isMax = append(isMax[:lo:lo], isMax[lo+2:]...)
		}
	}
	var out []Extremum
	for _, e := range ext {
		for _, i := range idx {
			if x[i] == e.X || (i > 0 && i < len(x)-1 && e.X > x[i-1] && e.X < x[i+1]) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}
