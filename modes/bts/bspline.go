package bts

// basis is a clamped cubic B-spline basis on [0, 1] with the given interior knots.
type basis struct {
	t []float64 // full knot vector: 4 zeros, interior, 4 ones
	p int       // number of basis functions = len(interior) + 4
}

func newBasis(interior []float64) *basis {
	t := []float64{0, 0, 0, 0}
	t = append(t, interior...)
	t = append(t, 1, 1, 1, 1)
	return &basis{t: t, p: len(interior) + 4}
}

// eval returns the index of the first non-zero basis function at x and the 4 values
// of B_first..B_first+3 (de Boor–Cox recursion).
func (b *basis) eval(x float64) (int, [4]float64) {
	t := b.t
	// span: t[s] <= x < t[s+1], s in [3, p-1]
	s := 3
	for s < b.p-1 && x >= t[s+1] {
		s++
	}
	var N [4]float64
	N[0] = 1
	var left, right [4]float64
	for j := 1; j <= 3; j++ {
		left[j] = x - t[s+1-j]
		right[j] = t[s+j] - x
		saved := 0.0
		for r := 0; r < j; r++ {
			den := right[r+1] + left[j-r]
			tmp := 0.0
			if den != 0 {
				tmp = N[r] / den
			}
			N[r] = saved + right[r+1]*tmp
			saved = left[j-r] * tmp
		}
		N[j] = saved
	}
	return s - 3, N
}
