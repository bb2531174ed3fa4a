package hsi

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// Values from scikit-learn 1.2.1: accuracy_score, recall_score(average="macro"),
// cohen_kappa_score and f1_score(average=None) of these labels.
func TestEvaluateMatchesSklearn(t *testing.T) {
	truth := []int{1, 1, 1, 2, 2, 3, 3, 3, 3, 1}
	pred := []int{1, 2, 1, 2, 3, 3, 3, 1, 3, 1}
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	m := Evaluate(pred, truth, idx, 3)
	const tol = 1e-12
	want := []float64{0.75, 0.5, 0.75}
	if math.Abs(m.OA-0.7) > tol || math.Abs(m.AA-2.0/3) > tol || math.Abs(m.Kappa-0.53125) > tol {
		t.Errorf("OA %v AA %v κ %v, want 0.7, 0.6667, 0.53125", m.OA, m.AA, m.Kappa)
	}
	for k := range want {
		if math.Abs(m.F1[k]-want[k]) > tol {
			t.Errorf("F1[%d] = %v, want %v", k, m.F1[k], want[k])
		}
	}
}

// toyScene is a 20×20 scene of 2 classes in 4 fields (quadrants), one band.
func toyScene() *Scene {
	s := &Scene{Lines: 20, Samples: 20, Bands: 1, Classes: []string{"a", "b"}}
	s.Data = make([]float64, 400)
	s.Labels = make([]int, 400)
	s.Fields = make([]int, 400)
	for p := range s.Labels {
		l, c := p/20, p%20
		q := 2*(l/10) + c/10 // quadrant 0..3
		s.Fields[p] = q + 1
		s.Labels[p] = q%2 + 1
		s.Data[p] = float64(s.Labels[p])
	}
	return s
}

func TestSplits(t *testing.T) {
	s := toyScene()
	for _, mode := range SplitModes {
		sp, err := NewSplit(s, SplitConfig{Mode: mode, Labels: 5, Guard: 2, Seed: 3})
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		per := map[int]int{}
		for _, p := range sp.Train {
			per[s.Labels[p]]++
			if slices.Contains(sp.Test, p) {
				t.Fatalf("%s: pixel %d in train and test", mode, p)
			}
		}
		if mode != Random && (per[1] != 5 || per[2] != 5) {
			t.Errorf("%s: train per class %v, want 5 each", mode, per)
		}
		switch mode {
		case Disjoint:
			trainFields := map[int]bool{}
			for _, p := range sp.Train {
				trainFields[s.Fields[p]] = true
			}
			for _, p := range sp.Test {
				if trainFields[s.Fields[p]] {
					t.Errorf("disjoint: test pixel %d in training field %d", p, s.Fields[p])
				}
				// guard: no test pixel within Chebyshev 2 of a training field.
				l, c := p/20, p%20
				for dl := -2; dl <= 2; dl++ {
					for dc := -2; dc <= 2; dc++ {
						if ll, cc := l+dl, c+dc; ll >= 0 && ll < 20 && cc >= 0 && cc < 20 && trainFields[s.Fields[ll*20+cc]] {
							t.Fatalf("disjoint: test pixel (%d,%d) within the guard band of field %d", l, c, s.Fields[ll*20+cc])
						}
					}
				}
			}
			if len(sp.Test) == 0 {
				t.Error("disjoint: empty test set")
			}
		case RowCut:
			// every training pixel of a class lies above every test pixel of it.
			for _, p := range sp.Train {
				for _, q := range sp.Test {
					if s.Labels[p] == s.Labels[q] && p/20 >= q/20 {
						t.Fatalf("rowcut: train row %d not above test row %d", p/20, q/20)
					}
				}
			}
		case Fixed:
			if len(sp.Train)+len(sp.Test) != 400 {
				t.Errorf("fixed: %d + %d pixels, want 400", len(sp.Train), len(sp.Test))
			}
		}
	}
	if _, err := NewSplit(s, SplitConfig{Mode: Fixed, Labels: 201}); err == nil || !strings.Contains(err.Error(), `class 1 "a": 201 labels asked, only 200`) {
		t.Errorf("too many labels: %v", err)
	}
}

// DeepHyperX's row cut with a fraction (its only mode): for class a (rows 0–9, columns
// 0–9 and rows 10–19, 10–19 hold class b...), the first row where the fraction of
// the class above exceeds 0.9·f.
func TestRowCutFraction(t *testing.T) {
	s := toyScene()
	sp, err := NewSplit(s, SplitConfig{Mode: RowCut, Fraction: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	// class a has 200 pixels, 10 per row over rows 0–19; 0.9·0.3·200 = 54 → the first
	// row boundary after > 54 pixels is row 6 (60 pixels above).
	n := 0
	for _, p := range sp.Train {
		if s.Labels[p] == 1 {
			n++
			if p/20 >= 6 {
				t.Errorf("row %d in train", p/20)
			}
		}
	}
	if n != 60 {
		t.Errorf("class a: %d training pixels, want 60", n)
	}
}
