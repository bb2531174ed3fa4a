package demo

import (
	"context"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemoTSC(t *testing.T) {
	rep, err := Run(context.Background(), Options{Root: t.TempDir(), Only: []string{"tsc"}, Seed: 1, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sections) != 1 {
		t.Fatalf("%d sections; want 1", len(rep.Sections))
	}
	s := rep.Sections[0]
	if s.Result.Skipped != "" {
		t.Skipf("tsc step skipped: %s", s.Result.Skipped)
	}
	acc := s.Result.Numbers["GunPoint"].(map[string]float64)["accuracy"]
	if acc < 0.98 {
		t.Errorf("GunPoint MiniRocket accuracy %.4f; want >= 0.98 (published 0.9924)", acc)
	}
	html, err := os.ReadFile(rep.Report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "confusion-GunPoint.png") {
		t.Errorf("index.html lacks the GunPoint confusion figure")
	}
}

// runOne runs the step called name alone and returns its section; it skips the test
// when the step reports it cannot run here.
func runOne(t *testing.T, name string) Section {
	t.Helper()
	rep, err := Run(context.Background(), Options{Root: t.TempDir(), Only: []string{name}, Seed: 1, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sections) != 1 {
		t.Fatalf("%d sections; want 1", len(rep.Sections))
	}
	s := rep.Sections[0]
	if s.Result.Skipped != "" {
		t.Skipf("%s step skipped: %s", name, s.Result.Skipped)
	}
	html, err := os.ReadFile(rep.Report)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Result.Figures {
		if _, err := os.Stat(filepath.Join(rep.Dir, f.File)); err != nil {
			t.Errorf("figure %s: %v", f.File, err)
		}
		if !strings.Contains(string(html), f.File) {
			t.Errorf("index.html lacks %s", f.File)
		}
	}
	if len(s.Result.Figures) == 0 {
		t.Errorf("%s: no figures", name)
	}
	t.Logf("%s (%.1f s): %s", name, s.Seconds, s.Result.Headline)
	return s
}

func TestDemoModes(t *testing.T) {
	old := modesMCMC
	defer func() { modesMCMC = old }()
	modesMCMC.Chains, modesMCMC.Burn, modesMCMC.Draws, modesMCMC.MixIter = 2, 300, 500, 1000
	s := runOne(t, "modes")
	for _, m := range []string{"bayes", "mixture"} {
		r := s.Result.Numbers[m].(map[string]any)
		post := r["posterior"].([]float64)
		sum := 0.0
		for _, p := range post {
			sum += p
		}
		// bayes reports k = 1..8 of its 10; the rest carries little mass
		if sum > 1+1e-9 || sum < 0.95 || (m == "mixture" && math.Abs(sum-1) > 1e-9) {
			t.Errorf("%s: posterior over the number of modes sums to %.6f", m, sum)
		}
		k := r["modes"].(int)
		if s.Result.Numbers["data"] == "galaxies" && (k < 3 || k > 6) {
			// Roeder (1990) and the paper's case study: 3 to 6 modes; 1 or 2 means the
			// sampler did not see the small outer clusters
			t.Errorf("%s: %d modes for the galaxies; want 3..6", m, k)
		}
	}
	dip := s.Result.Numbers["dip"].(map[string]float64)
	// R 4.2.2, diptest: dip.test(MASS::galaxies) gives D = 0.03535952, p = 0.670227
	// (interpolated in its table)
	if s.Result.Numbers["data"] == "galaxies" && (math.Abs(dip["statistic"]-0.03535952) > 1e-7 || math.Abs(dip["p_value"]-0.670227) > 0.01) {
		t.Errorf("dip test of the galaxies: D = %.8f, p = %.4f; want D = 0.03535952, p ≈ 0.6702 (R diptest)", dip["statistic"], dip["p_value"])
	}
}

func TestDemoEBM(t *testing.T) {
	old := ebmRun
	defer func() { ebmRun = old }()
	ebmRun.Steps, ebmRun.Grid, ebmRun.Samples = 600, 64, 200
	s := runOne(t, "ebm")
	nll, uni := s.Result.Numbers["nll"].(float64), s.Result.Numbers["uniform_box_nll"].(float64)
	// an energy that learned nothing scores the uniform density's NLL, log(box area) ≈ 4.4;
	// 600 steps reach about 3.3 (the demo's 2000 about 2.75)
	if !(nll < uni-0.6) {
		t.Errorf("held-out NLL %.3f; want below the uniform box's %.3f by 0.6 nats", nll, uni)
	}
	if s.Result.RunDir == "" {
		t.Errorf("no run directory")
	} else if _, err := os.Stat(filepath.Join(s.Result.RunDir, "energy.json")); err != nil {
		t.Errorf("run not metered: %v", err)
	}
	if mmd := s.Result.Numbers["mmd2"].(float64); !(mmd >= -0.01 && mmd < 0.2) {
		t.Errorf("MMD² %.3g; want small", mmd)
	}
}

func TestDemoPDDLVM(t *testing.T) {
	old := pddlvmRun
	defer func() { pddlvmRun = old }()
	pddlvmRun.Steps, pddlvmRun.DecayEvery, pddlvmRun.Tests = 1000, 400, 40
	s := runOne(t, "pddlvm")
	n := s.Result.Numbers
	// 1000 steps reach about 3% mean relative error against FEM; the untrained forward
	// map is off by ~100%
	if e := n["forward_rel_l2_mean"].(float64); !(e < 0.08) {
		t.Errorf("forward-map relative L2 error %.4f; want < 0.08", e)
	}
	if c := n["forward_coverage_95"].(float64); !(c > 0.3 && c <= 1) {
		t.Errorf("95%% band coverage %.3f; want > 0.3", c)
	}
	if r, p := n["inverse_theta_rmse"].(float64), n["prior_theta_rmse"].(float64); !(r < p) {
		t.Errorf("inverse θ RMSE %.3f not below the prior's %.3f", r, p)
	}
	if !strings.Contains(s.Result.Headline, "short run") {
		t.Errorf("headline does not say it is a short run: %s", s.Result.Headline)
	}
}

func TestDemoPINN(t *testing.T) {
	old := pinnRun
	defer func() { pinnRun = old }()
	pinnRun.Steps, pinnRun.LBFGS = 150, 150
	s := runOne(t, "pinn")
	// u = 0 everywhere (an untrained or broken network) has relative error 1
	if e := s.Result.Numbers["rel_l2"].(float64); !(e < 0.2) {
		t.Errorf("relative L2 error %.4f; want < 0.2", e)
	}
}

func TestDemoTSCDeep(t *testing.T) {
	s := runOne(t, "tscdeep")
	n := s.Result.Numbers
	// 20 epochs with recalibrated batch-norm statistics: measured 0.87 (seed 2); chance is 0.5
	if a := n["accuracy"].(float64); !(a >= 0.7 && a <= 1) {
		t.Errorf("GunPoint FCN accuracy %g after 20 epochs; want >= 0.7", a)
	}
	// the cross-entropy of guessing between GunPoint's two classes is ln 2 ≈ 0.693; 20
	// epochs bring the training loss to about 0.4
	if l, ok := n["final_train_loss"].(float64); !ok || !(l < 0.6) {
		t.Errorf("final training loss %v; want < 0.6", n["final_train_loss"])
	}
	if !strings.Contains(s.Result.Headline, "20-epoch run") {
		t.Errorf("headline does not state the epochs: %s", s.Result.Headline)
	}
}
