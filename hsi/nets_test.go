package hsi

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ergml/erg/run"
)

func TestConfigValidateNetworks(t *testing.T) {
	for _, tc := range []struct {
		mod   func(*Config)
		field string
	}{
		{func(c *Config) { c.Model = "cnn2d" }, "model"},
		{func(c *Config) { c.Model, c.Epochs = "cnn1d", -1 }, "epochs"},
		{func(c *Config) { c.Model, c.Steps = "ssgan", -3 }, "steps"},
		{func(c *Config) { c.Model, c.Components = "ssgan", -1 }, "components"},
	} {
		c := DefaultConfig()
		c.Data = "ipl"
		tc.mod(&c)
		var fe *run.FieldError
		if err := c.Validate(); !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: error %v, want a FieldError naming %q", c, err, tc.field)
		}
	}
	for _, m := range []string{"cnn1d", "cnn3d", "ssgan"} {
		c := DefaultConfig()
		c.Data, c.Model, c.CRF = "ipl", m, true
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
	if _, err := Bench(context.Background(), noisyToy(1), BenchConfig{Models: []string{"ssgan+svm"}, Labels: []int{5}}); err == nil || !strings.Contains(err.Error(), `"ssgan+svm"`) {
		t.Errorf("bench with an unknown model: %v", err)
	}
	if _, err := Fit(noisyToy(1), FitConfig{Model: "ssgan", Components: 5, Steps: 1, Split: SplitConfig{Mode: Fixed, Labels: 5}}); err == nil || !strings.Contains(err.Error(), "5 principal components of 3 bands") {
		t.Errorf("too many components: %v", err)
	}
}

// noisyToy is toyScene (2 classes in 4 quadrant fields) with 3 bands: the class
// signal 0.5·(±1) in band 0 and 1, noise of sd 1 on every band.
func noisyToy(seed uint64) *Scene {
	s := toyScene()
	r := rand.New(rand.NewPCG(seed, 11))
	s.Bands = 3
	s.Data = make([]float64, 3*s.Pixels())
	for p := range s.Pixels() {
		sign := float64(2*s.Labels[p] - 3)
		s.Data[3*p] = 0.5*sign + r.NormFloat64()
		s.Data[3*p+1] = -0.5*sign + r.NormFloat64()
		s.Data[3*p+2] = r.NormFloat64()
	}
	return s
}

// The networks through Fit and Bench, on the disjoint split of a noisy toy scene
// (per-pixel Bayes accuracy about 0.76; the patch models average 25 or 49 pixels):
// OA well above chance (0.5), the CRF run, and the bench rows filled.
func TestNetworksFitAndBench(t *testing.T) {
	s := noisyToy(1)
	for _, tc := range []struct {
		cfg   FitConfig
		floor float64
	}{
		{FitConfig{Model: "cnn1d", Epochs: 40}, 0.65},
		{FitConfig{Model: "cnn3d", Epochs: 30}, 0.8},
		{FitConfig{Model: "ssgan", Steps: 60, CRF: true}, 0.8},
	} {
		tc.cfg.Split = SplitConfig{Mode: Disjoint, Labels: 6, Guard: 1, Seed: 1}
		tc.cfg.Quiet = true
		res, err := Fit(s, tc.cfg)
		if err != nil {
			t.Fatalf("%s: %v", tc.cfg.Model, err)
		}
		t.Logf("%s: OA %.3f (%v)", tc.cfg.Model, res.Metrics.OA, res.Params)
		if res.Metrics.OA < tc.floor {
			t.Errorf("%s: OA %.3f, want ≥ %.2f", tc.cfg.Model, res.Metrics.OA, tc.floor)
		}
		if len(res.Prob) != 2*s.Pixels() || len(res.Pred) != s.Pixels() {
			t.Errorf("%s: %d probabilities and %d predictions", tc.cfg.Model, len(res.Prob), len(res.Pred))
		}
		if tc.cfg.CRF && res.MetricsCRF == nil {
			t.Errorf("%s: no CRF metrics", tc.cfg.Model)
		}
	}
	rep, err := Bench(context.Background(), s, BenchConfig{Models: []string{"cnn1d", "cnn1d+crf"}, Labels: []int{6}, Seeds: 2, Guard: 1, Epochs: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 2 || len(rep.Rows[0].PerSeed) != 2 || len(rep.Rows[1].PerSeed) != 2 || len(rep.Tests) != 1 {
		t.Errorf("bench: %+v", rep)
	}
}
