package minirocket_test

import (
	"context"
	"fmt"
	"log"
	"math"

	"github.com/ergml/erg/tsc"
	"github.com/ergml/erg/tsc/minirocket"
	"github.com/ergml/erg/ucr"
)

// Two classes of synthetic series: sines and square waves with random phase.
func Example() {
	waves := func(n int, phase0 float64) *ucr.Dataset {
		d := &ucr.Dataset{Name: "Waves", Classes: []string{"sine", "square"}}
		for i := 0; i < n; i++ {
			phase := phase0 + float64(i)*0.7
			s, q := make([]float64, 64), make([]float64, 64)
			for t := range s {
				s[t] = math.Sin(float64(t)/4 + phase)
				q[t] = math.Copysign(1, s[t])
			}
			d.X = append(d.X, [][]float64{s}, [][]float64{q})
			d.Y = append(d.Y, "sine", "square")
		}
		return d
	}
	train, test := waves(10, 0), waves(20, 0.3)
	var c minirocket.Classifier
	if err := c.Fit(context.Background(), train, tsc.FitOptions{Seed: 1}); err != nil {
		log.Fatal(err)
	}
	pred, err := c.Predict(context.Background(), test.X)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Transform.NumFeatures(), "features, accuracy", tsc.Accuracy(pred, test.Y))
	// Output:
	// 9996 features, accuracy 1
}
