package hsi_test

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ergml/erg/hsi"
	"github.com/ergml/erg/hsi/forest"
	"github.com/ergml/erg/hsi/scene"
	"github.com/ergml/erg/hsi/spectra"
	"github.com/ergml/erg/hsi/svm"
)

func writeF64(t *testing.T, path string, x []float64) {
	b := make([]byte, 8*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeI64(t *testing.T, path string, y []int) {
	b := make([]byte, 8*len(y))
	for i, v := range y {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSklearnPeers: on identical features (a 100×100 ip-like scene, 10 labels per
// class), erg's SVM and scikit-learn 1.2.1's SVC with the same C and γ agree within
// 1 OA point (and on ≥ 99% of the pixels); the random forests (100 trees, 5 seeds
// each) agree within 1 point on average.
func TestSklearnPeers(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import sklearn").Run(); err != nil {
		t.Skip("python3-sklearn not installed")
	}
	if _, err := spectra.TestData(); err != nil {
		t.Skip(err)
	}
	r, err := scene.Generate(scene.Config{Seed: 1, Size: 100, Cells: 36})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Corrected
	sp, err := hsi.NewSplit(s, hsi.SplitConfig{Mode: hsi.Fixed, Labels: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	feat := s.Standardize()
	d := s.Bands
	var xtr, xte []float64
	var ytr, yte []int
	for _, p := range sp.Train {
		xtr = append(xtr, feat[p*d:(p+1)*d]...)
		ytr = append(ytr, s.Labels[p])
	}
	for i, p := range sp.Test {
		if i%2 == 0 {
			xte = append(xte, feat[p*d:(p+1)*d]...)
			yte = append(yte, s.Labels[p])
		}
	}
	best, _, err := svm.Search(xtr, d, ytr, svm.Grid{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := svm.Train(xtr, d, ytr, best)
	ours := m.PredictAll(xte, nil)
	acc := func(pred []int) float64 {
		n := 0
		for i := range pred {
			if pred[i] == yte[i] {
				n++
			}
		}
		return float64(n) / float64(len(pred))
	}
	var rfOA float64
	const seeds = 5
	for seed := uint64(1); seed <= seeds; seed++ {
		f, _ := forest.Train(xtr, d, ytr, forest.Config{Seed: seed})
		rfOA += acc(f.PredictAll(xte, nil)) / seeds
	}
	dir := t.TempDir()
	writeF64(t, filepath.Join(dir, "xtrain.f64"), xtr)
	writeF64(t, filepath.Join(dir, "xtest.f64"), xte)
	writeI64(t, filepath.Join(dir, "ytrain.i64"), ytr)
	writeI64(t, filepath.Join(dir, "ytest.i64"), yte)
	meta, _ := json.Marshal(map[string]any{"dim": d, "C": best.C, "gamma": best.Gamma, "seeds": seeds, "trees": 100,
		"grid_C": svm.DefaultC, "grid_gamma": svm.DefaultGamma})
	os.WriteFile(filepath.Join(dir, "meta.json"), meta, 0o644)
	out, err := exec.Command(py, "../scripts/hsi/sklearn_peer.py", dir).Output()
	if err != nil {
		t.Fatalf("peer: %v", err)
	}
	var peer struct {
		SVCOA     float64   `json:"svc_oa"`
		SVCPred   []int     `json:"svc_pred"`
		SVCSV     int       `json:"svc_support_vectors"`
		Grid      []float64 `json:"svc_grid"`
		GridOA    float64   `json:"svc_grid_oa"`
		RFOA      float64   `json:"rf_oa"`
		RFPerSeed []float64 `json:"rf_oa_per_seed"`
	}
	if err := json.Unmarshal(out, &peer); err != nil {
		t.Fatal(err)
	}
	agree := 0
	for i := range ours {
		if ours[i] == peer.SVCPred[i] {
			agree++
		}
	}
	t.Logf("SVM C %g γ %g: erg OA %.4f (%d SVs), sklearn SVC %.4f (%d SVs), agreement %.4f; sklearn grid picks %v (OA %.4f)",
		best.C, best.Gamma, acc(ours), m.SupportVectors(), peer.SVCOA, peer.SVCSV, float64(agree)/float64(len(ours)), peer.Grid, peer.GridOA)
	t.Logf("RF 100 trees, mean of %d seeds: erg %.4f, sklearn %.4f %v", seeds, rfOA, peer.RFOA, peer.RFPerSeed)
	if math.Abs(acc(ours)-peer.SVCOA) > 0.01 || float64(agree) < 0.99*float64(len(ours)) {
		t.Errorf("SVM: erg OA %.4f vs sklearn %.4f, agreement %d/%d", acc(ours), peer.SVCOA, agree, len(ours))
	}
	if math.Abs(rfOA-peer.RFOA) > 0.01 {
		t.Errorf("RF: erg OA %.4f vs sklearn %.4f: more than 1 point apart", rfOA, peer.RFOA)
	}
}
