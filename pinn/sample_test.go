package pinn

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// TestSobolMatchesSciPy compares the unscrambled sequence with SciPy's qmc.Sobol
// (golden file made by scripts/pddlvm/sobol_golden.py, SciPy 1.10.1).
func TestSobolMatchesSciPy(t *testing.T) {
	var gold struct {
		Dim    int
		Points [][]float64
	}
	b, err := os.ReadFile("testdata/sobol_scipy.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	got := Sobol{}.Sample(len(gold.Points), gold.Dim, nil)
	for i, p := range gold.Points {
		for d, want := range p {
			if g := got[i*gold.Dim+d]; g != want {
				t.Fatalf("point %d dim %d: %v, SciPy %v", i, d, g, want)
			}
		}
	}
}

// TestLatinHypercubeStrata checks the defining property: in every coordinate each
// stratum [k/n, (k+1)/n) holds exactly one point.
func TestLatinHypercubeStrata(t *testing.T) {
	const n, dim = 37, 3
	p := LatinHypercube{}.Sample(n, dim, rand.New(rand.NewPCG(1, 2)))
	for d := 0; d < dim; d++ {
		seen := make([]int, n)
		for i := 0; i < n; i++ {
			seen[int(math.Floor(p[i*dim+d]*n))]++
		}
		for k, c := range seen {
			if c != 1 {
				t.Errorf("dim %d stratum %d holds %d points", d, k, c)
			}
		}
	}
}

// TestSobolScrambledStratified checks that the digital shift keeps the (0, m, 2)-net
// property in 2-D: each of the 16 dyadic boxes of size 1/4×1/4 holds one of the
// first 16 points.
func TestSobolScrambledStratified(t *testing.T) {
	p := Sobol{Scramble: true}.Sample(16, 2, rand.New(rand.NewPCG(3, 4)))
	var box [4][4]int
	for i := 0; i < 16; i++ {
		box[int(p[2*i]*4)][int(p[2*i+1]*4)]++
	}
	for i := range box {
		for j := range box[i] {
			if box[i][j] != 1 {
				t.Errorf("box (%d,%d) holds %d points", i, j, box[i][j])
			}
		}
	}
}
