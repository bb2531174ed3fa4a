package casestudy

import (
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ergml/erg/modes/bts"
	"github.com/ergml/erg/modes/mixture"
)

func TestRunWritesReport(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	x := make([]float64, 150)
	for i := range x {
		x[i] = rng.NormFloat64() + 5*float64(i%2)
	}
	dir := t.TempDir()
	s, err := Run(x, dir, Config{Name: "toy", Column: "x", B: 40, Seed: 2,
		Bayes: bts.Config{Chains: 2, Burn: 100, Draws: 150}, Mixture: mixture.Config{Iter: 300}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Bayes.Modes != 2 || s.Mixture.Modes != 2 {
		t.Errorf("modes: bayes %d, mixture %d; want 2", s.Bayes.Modes, s.Mixture.Modes)
	}
	for _, f := range []string{"density.png", "posterior_k.png", "mode_locations.png", "modetree.png", "mixture.png"} {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(fh); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		fh.Close()
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil || !strings.Contains(string(md), "Bayes factor") {
		t.Errorf("report.md: %v", err)
	}
}
