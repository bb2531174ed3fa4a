package hsi

import (
	"fmt"

	"github.com/ergml/erg/confusion"
)

// Metrics are the accuracy figures of a classification map on test pixels.
type Metrics struct {
	OA        float64   `json:"oa"`           // overall accuracy
	AA        float64   `json:"aa"`           // average accuracy: mean per-class recall (classes present in the test set)
	Kappa     float64   `json:"kappa"`        // Cohen's κ
	F1        []float64 `json:"per_class_f1"` // per class (index k-1 for class k); 0 for a class absent from test and predictions
	Recall    []float64 `json:"per_class_recall"`
	Confusion [][]int   `json:"confusion"` // [true][predicted], classes 1..K at 0..K-1
	N         int       `json:"n"`         // test pixels
}

// Evaluate scores predictions pred (per pixel, 1..K) against truth on the pixels idx.
func Evaluate(pred, truth []int, idx []int, K int) Metrics {
	m := Metrics{Confusion: make([][]int, K), F1: make([]float64, K), Recall: make([]float64, K), N: len(idx)}
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, K)
	}
	for _, p := range idx {
		t, q := truth[p], pred[p]
		if t < 1 || t > K || q < 1 || q > K {
			panic(fmt.Sprintf("hsi: Evaluate: pixel %d: truth %d, prediction %d outside 1..%d", p, t, q, K))
		}
		m.Confusion[t-1][q-1]++
	}
	if len(idx) == 0 {
		return m
	}
	n := float64(len(idx))
	rows, cols := make([]float64, K), make([]float64, K)
	var diag float64
	for i := 0; i < K; i++ {
		for j := 0; j < K; j++ {
			rows[i] += float64(m.Confusion[i][j])
			cols[j] += float64(m.Confusion[i][j])
		}
		diag += float64(m.Confusion[i][i])
	}
	m.OA = diag / n
	var pe float64
	present := 0
	for k := 0; k < K; k++ {
		pe += rows[k] * cols[k] / (n * n)
		tp := float64(m.Confusion[k][k])
		if rows[k] > 0 {
			m.Recall[k] = tp / rows[k]
			m.AA += m.Recall[k]
			present++
		}
		if rows[k]+cols[k] > 0 {
			m.F1[k] = 2 * tp / (rows[k] + cols[k])
		}
	}
	if present > 0 {
		m.AA /= float64(present)
	}
	if pe < 1 {
		m.Kappa = (m.OA - pe) / (1 - pe)
	}
	return m
}

// Matrix returns the confusion matrix as a confusion.Matrix with the class names
// (for plotting).
func (m Metrics) Matrix(classes []string) *confusion.Matrix {
	c := &confusion.Matrix{Classes: append([]string(nil), classes...), Counts: make([][]int, len(m.Confusion))}
	for i, r := range m.Confusion {
		c.Counts[i] = append([]int(nil), r...)
	}
	return c
}
