package confusion

// Matrix is a confusion matrix: Counts[i][j] cases of true class Classes[i]
// predicted as Classes[j].
type Matrix struct {
	Classes []string
	Counts  [][]int
}

// New tabulates pred against truth over classes; labels outside classes
// are added at the end.
func New(classes, pred, truth []string) *Matrix {
	if len(pred) != len(truth) {
		panic("confusion: New: length mismatch")
	}
	c := &Matrix{Classes: append([]string(nil), classes...)}
	idx := map[string]int{}
	for i, k := range c.Classes {
		idx[k] = i
	}
	for _, l := range append(append([]string(nil), truth...), pred...) {
		if _, ok := idx[l]; !ok {
			idx[l] = len(c.Classes)
			c.Classes = append(c.Classes, l)
		}
	}
	c.Counts = make([][]int, len(c.Classes))
	for i := range c.Counts {
		c.Counts[i] = make([]int, len(c.Classes))
	}
	for i := range pred {
		c.Counts[idx[truth[i]]][idx[pred[i]]]++
	}
	return c
}

// Accuracy returns the fraction of cases on the diagonal (0 for an empty matrix).
func (c *Matrix) Accuracy() float64 {
	var diag, n int
	for i, row := range c.Counts {
		for j, v := range row {
			n += v
			if i == j {
				diag += v
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(diag) / float64(n)
}
