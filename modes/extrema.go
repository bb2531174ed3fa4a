package modes

import "math"

// Extremum is a local maximum (mode) or local minimum (antimode) of a tabulated function.
type Extremum struct {
	X    float64 `json:"x"`    // location
	F    float64 `json:"f"`    // function value
	Mode bool    `json:"mode"` // true for a mode, false for an antimode
}

// NoiseFloor is the relative size below which consecutive differences of a tabulated
// function are treated as flat by Extrema and CountModes: |f[i+1]-f[i]| <= NoiseFloor·max|f|.
// It keeps round-off in FFT-computed tails from creating modes.
const NoiseFloor = 1e-10

// Extrema returns the modes and antimodes, in increasing x, of the function tabulated as
// y[i] = f(x[i]) on increasing x. A plateau counts once, at its middle. A maximum at
// either end of the grid counts as a mode when the function falls away from it; minima
// at the ends are not antimodes. Antimodes are reported only between two modes, so modes
// and antimodes alternate and there are CountModes(y)-1 antimodes. Locations are refined
// by fitting a parabola through the extreme grid point and its neighbours.
func Extrema(x, y []float64) []Extremum {
	if len(x) != len(y) {
		panic("modes: Extrema: len(x) != len(y)")
	}
	idx, isMax := extremaIdx(y)
	var out []Extremum
	for k, i := range idx {
		e := Extremum{X: x[i], F: y[i], Mode: isMax[k]}
		if i > 0 && i < len(y)-1 {
			// parabolic refinement on a uniform or non-uniform 3-point stencil
			x0, x1, x2 := x[i-1], x[i], x[i+1]
			y0, y1, y2 := y[i-1], y[i], y[i+1]
			d1 := (y1 - y0) / (x1 - x0)
			d2 := (y2 - y1) / (x2 - x1)
			c := (d2 - d1) / (x2 - x0) // second divided difference
			if c != 0 {
				xs := (x0+x1)/2 - d1/(2*c)
				if xs > x0 && xs < x2 {
					e.X = xs
					e.F = y1 + d1*(xs-x1) + c*(xs-x0)*(xs-x1)
				}
			}
		}
		out = append(out, e)
	}
	return out
}

// CountModes returns the number of modes of the tabulated function y, as Extrema counts them.
func CountModes(y []float64) int {
	idx, isMax := extremaIdx(y)
	n := 0
	for k := range idx {
		if isMax[k] {
			n++
		}
	}
	return n
}

// extremaIdx returns the grid indices of alternating maxima and minima, starting and
// ending with a maximum.
func extremaIdx(y []float64) (idx []int, isMax []bool) {
	if len(y) == 0 {
		return nil, nil
	}
	m := 0.0
	for _, v := range y {
		m = math.Max(m, math.Abs(v))
	}
	floor := NoiseFloor * m
	dir := 0   // +1 rising, -1 falling, 0 unknown
	start := 0 // start of the current plateau
	for i := 1; i < len(y); i++ {
		d := y[i] - y[i-1]
		var s int
		switch {
		case d > floor:
			s = 1
		case d < -floor:
			s = -1
		default:
			continue // flat: part of a plateau that starts at 'start'
		}
		if s != dir {
			mid := (start + i - 1) / 2
			switch {
			case dir == 1 && s == -1:
				idx = append(idx, mid)
				isMax = append(isMax, true)
			case dir == -1 && s == 1:
				if len(idx) > 0 { // interior minimum after a maximum
					idx = append(idx, mid)
					isMax = append(isMax, false)
				}
			case dir == 0 && s == -1 && start == 0:
				// falls from the left end: a boundary maximum
				idx = append(idx, mid)
				isMax = append(isMax, true)
			}
			dir = s
		}
		start = i
	}
	if dir == 1 {
		// rises to the right end: a boundary maximum
		idx = append(idx, (start+len(y)-1)/2)
		isMax = append(isMax, true)
	}
	// drop a trailing minimum (minimum not followed by a maximum)
	if n := len(isMax); n > 0 && !isMax[n-1] {
		idx, isMax = idx[:n-1], isMax[:n-1]
	}
	return idx, isMax
}
