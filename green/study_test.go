package green

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ergml/erg/imageset"
)

// TestStudyResume runs a tiny study (the MLP, 1 epoch on 300 images, threads 1 and
// 2, float32 and float64), checks its rows, and runs it again: nothing runs, every
// cell is reused from the CSV.
func TestStudyResume(t *testing.T) {
	if _, err := imageset.LoadFashionMNIST("", "test"); err != nil {
		t.Skipf("Fashion-MNIST not installed (Debian package dataset-fashion-mnist): %v", err)
	}
	env, err := ParseEnv([]string{"threads=1,2", "dtype=float32,float64"})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "s.csv")
	cfg := StudyConfig{Models: []string{"mlp"}, Seeds: 1, MaxEpochs: 1, Env: env, Subset: 300, TestSubset: 200, Out: out}
	res, err := Study(context.Background(), cfg, StudyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cells != 4 || res.Ran != 2 || res.Skipped != 2 {
		t.Fatalf("%+v: want 4 cells, 2 run, 2 skipped", res)
	}
	rows, err := ReadCSV(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		switch r.DType {
		case "float32":
			if r.Status != StatusOK || !(r.Joules > 0) || !(r.CPUSeconds > 0) || r.EnergyMethod == "" || r.ImagesSeen != 256 || r.Epochs != 1 {
				t.Errorf("row %+v: want ok with energy, CPU s, method, 256 images seen (4 steps of 64)", r)
			}
		case "float64":
			if r.Status != StatusSkipped || r.Reason != SkipDType {
				t.Errorf("row %s: status %s reason %q", r.Cell, r.Status, r.Reason)
			}
		}
	}
	again, err := Study(context.Background(), cfg, StudyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Ran != 0 || again.Reused != 4 {
		t.Errorf("second study: %+v, want nothing run and 4 reused", again)
	}
}
