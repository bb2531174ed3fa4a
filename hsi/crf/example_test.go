package crf_test

import (
	"fmt"
	"math"

	"github.com/ergml/erg/hsi/crf"
)

func ExampleInfer() {
	// a 1×5 strip whose middle pixel's unary weakly prefers label 2: the CRF, with its
	// neighbours confident of label 1 and the same features, relabels it.
	p := [][2]float64{{0.9, 0.1}, {0.9, 0.1}, {0.45, 0.55}, {0.9, 0.1}, {0.9, 0.1}}
	img := crf.Image{Lines: 1, Samples: 5, K: 2, F: 1, Features: make([]float64, 5)}
	var flat []float64
	for _, q := range p {
		img.Unary = append(img.Unary, -math.Log(q[0]), -math.Log(q[1]))
		flat = append(flat, q[0], q[1])
	}
	q, _ := crf.Infer(img, crf.Config{})
	fmt.Println(crf.Argmax(flat, 2), crf.Argmax(q, 2))
	// Output: [1 1 2 1 1] [1 1 1 1 1]
}
