package deep

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/tsc"
	"github.com/ergml/erg/ucr"
)

// toyDataset makes n cases of dims channels in two classes: class "a" a sine, class
// "b" a square wave of the same frequency, plus noise. With unequal, lengths vary
// between minLen and maxLen.
func toyDataset(n, dims, minLen, maxLen int, seed uint64) *ucr.Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	d := &ucr.Dataset{Name: "toy", Classes: []string{"a", "b"}}
	for i := 0; i < n; i++ {
		l := minLen + rng.IntN(maxLen-minLen+1)
		y := "a"
		if i%2 == 1 {
			y = "b"
		}
		c := make([][]float64, dims)
		for k := range c {
			c[k] = make([]float64, l)
			for t := range c[k] {
				v := math.Sin(2 * math.Pi * float64(t) / 8)
				if y == "b" {
					v = math.Copysign(1, v)
				}
				c[k][t] = v + 0.1*rng.NormFloat64()
			}
		}
		d.X = append(d.X, c)
		d.Y = append(d.Y, y)
	}
	return d
}

// TestZooFitsEveryShape trains every model of the zoo for a few epochs on
// univariate, multivariate and unequal-length data and checks that it predicts one
// known label per case after a finite training loss: each architecture builds,
// differentiates and runs for each input kind (the issue's "multivariate input and
// unequal length work for all").
func TestZooFitsEveryShape(t *testing.T) {
	cases := []struct {
		name           string
		dims, min, max int
	}{
		{"univariate", 1, 32, 32},
		{"multivariate", 3, 32, 32},
		{"unequal", 2, 20, 40},
	}
	for _, name := range Names() {
		for _, k := range cases {
			t.Run(name+"/"+k.name, func(t *testing.T) {
				tr := toyDataset(24, k.dims, k.min, k.max, 1)
				te := toyDataset(10, k.dims, k.min, k.max, 2)
				spec := Specs[name]
				spec.Ensemble = 1
				c := &Classifier{Spec: spec, Epochs: 6, Seed: 3, Backend: backend.Must(""), Quiet: true}
				if err := c.Fit(context.Background(), tr); err != nil {
					t.Fatal(err)
				}
				pred, err := c.Predict(te)
				if err != nil {
					t.Fatal(err)
				}
				if len(pred) != len(te.Y) {
					t.Fatalf("%d predictions for %d cases", len(pred), len(te.Y))
				}
				for i, p := range pred {
					if p != "a" && p != "b" {
						t.Fatalf("prediction %d is %q", i, p)
					}
				}
				if r := c.Results[0]; math.IsNaN(r.Loss) || math.IsInf(r.Loss, 0) || r.Epochs != 6 {
					t.Errorf("training: loss %g after %d epochs", r.Loss, r.Epochs)
				}
			})
		}
	}
}

// TestModelLengthResamples checks the length parameter: the network is built for
// the resampled length, and prediction resamples too (series longer than any
// training series would otherwise be truncated to the training length).
func TestModelLengthResamples(t *testing.T) {
	tr := toyDataset(16, 1, 20, 40, 1)
	te := toyDataset(6, 1, 50, 60, 2)
	c, err := tsc.New("fcn", tsc.Params{"length": "24"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Fit(context.Background(), tr, tsc.FitOptions{Seed: 1, Epochs: 2}); err != nil {
		t.Fatal(err)
	}
	if got := c.(*Model).Classifier().length; got != 24 {
		t.Errorf("network length %d, want 24", got)
	}
	pred, err := c.Predict(context.Background(), te.X)
	if err != nil {
		t.Fatal(err)
	}
	if len(pred) != len(te.X) {
		t.Errorf("%d predictions for %d cases", len(pred), len(te.X))
	}
	if _, err := tsc.New("fcn", tsc.Params{"length": "-3"}); err == nil {
		t.Error("length=-3 accepted")
	}
}
