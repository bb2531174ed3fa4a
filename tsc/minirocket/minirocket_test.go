package minirocket

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"strconv"
	"testing"
)

// golden is testdata/golden.json, written by scripts/tsc/minirocket_golden.py: an
// independent numpy implementation of the transform (direct dilated convolution from
// the paper's definition) and scikit-learn's RidgeClassifierCV.
type golden struct {
	Source    string `json:"source"`
	Transform []struct {
		Name                   string        `json:"name"`
		NumFeatures            int           `json:"num_features"`
		Train                  [][][]float64 `json:"train"`
		Test                   [][][]float64 `json:"test"`
		Examples               []int         `json:"examples"`
		ChannelsPerCombination []int         `json:"channels_per_combination"`
		ChannelIndices         []int         `json:"channel_indices"`
		Variable               bool          `json:"variable"`
		Length                 int           `json:"length"`
		Dilations              []int         `json:"dilations"`
		FeaturesPerDilation    []int         `json:"features_per_dilation"`
		Biases                 []float64     `json:"biases"`
		Features               [][]float64   `json:"features"`
	} `json:"transform"`
	DilationsDefault map[string][2][]int `json:"dilations_default"`
	Ridge            []struct {
		Name      string      `json:"name"`
		N         int         `json:"n"`
		P         int         `json:"p"`
		K         int         `json:"k"`
		X         []float64   `json:"x"`
		Y         []int       `json:"y"`
		XTest     []float64   `json:"x_test"`
		Alpha     float64     `json:"alpha"`
		LOOErrors []float64   `json:"loo_errors"`
		Decision  [][]float64 `json:"decision"`
		Predict   []int       `json:"predict"`
	} `json:"ridge"`
}

func loadGolden(t *testing.T) *golden {
	t.Helper()
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

// replay is a randomSource that returns the choices recorded by the golden script.
type replay struct {
	perComb, indices []int
	examples         []int
	next             int
}

func (r *replay) channels(nComb, dims int) ([]int, []int) { return r.perComb, r.indices }
func (r *replay) example(n int) int {
	e := r.examples[r.next]
	r.next++
	return e
}

func TestDilationsMatchNumpy(t *testing.T) {
	g := loadGolden(t)
	for ls, want := range g.DilationsDefault {
		L, _ := strconv.Atoi(ls)
		d, n := fitDilations(L, Config{}.withDefaults())
		if !reflect.DeepEqual(d, want[0]) || !reflect.DeepEqual(n, want[1]) {
			t.Errorf("length %d: dilations %v %v, numpy %v %v", L, d, n, want[0], want[1])
		}
	}
}

// TestTransformMatchesReference compares biases (tolerance 1e-6 relative, float32
// rounding) and features (exact: the inputs are small integers, so every
// convolution output is exact) with the golden script.
func TestTransformMatchesReference(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Transform {
		t.Run(c.Name, func(t *testing.T) {
			src := &replay{perComb: c.ChannelsPerCombination, indices: c.ChannelIndices, examples: c.Examples}
			tr, err := fit(c.Train, Config{NumFeatures: c.NumFeatures}, src)
			if err != nil {
				t.Fatal(err)
			}
			if src.next != len(c.Examples) {
				t.Errorf("used %d example draws, the reference %d", src.next, len(c.Examples))
			}
			if tr.Variable != c.Variable || tr.Length != c.Length || !reflect.DeepEqual(tr.Dilations, c.Dilations) || !reflect.DeepEqual(tr.FeaturesPerDilation, c.FeaturesPerDilation) {
				t.Fatalf("got variable=%v length=%d dilations %v %v, want %v %d %v %v", tr.Variable, tr.Length, tr.Dilations, tr.FeaturesPerDilation, c.Variable, c.Length, c.Dilations, c.FeaturesPerDilation)
			}
			if len(tr.Biases) != len(c.Biases) {
				t.Fatalf("%d biases, want %d", len(tr.Biases), len(c.Biases))
			}
			for i, b := range c.Biases {
				if d := math.Abs(float64(tr.Biases[i]) - b); d > 1e-6*math.Max(1, math.Abs(b)) {
					t.Fatalf("bias %d = %v, want %v", i, tr.Biases[i], b)
				}
			}
			f, err := tr.Apply(context.Background(), c.Test, nil, 2)
			if err != nil {
				t.Fatal(err)
			}
			nf := tr.NumFeatures()
			bad := 0
			for i, row := range c.Features {
				for j, want := range row {
					if got := f[i*nf+j]; math.Abs(got-want) > 1e-6 {
						if bad < 5 {
							t.Errorf("case %d feature %d = %v, want %v", i, j, got, want)
						}
						bad++
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d features differ", bad, len(c.Features)*nf)
			}
		})
	}
}

// TestRidgeMatchesSklearn compares alpha, the leave-one-out errors per alpha
// (tolerance 1e-8 relative) and the test decision values (1e-6) with
// scikit-learn's RidgeClassifierCV.
func TestRidgeMatchesSklearn(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Ridge {
		t.Run(c.Name, func(t *testing.T) {
			var r Ridge
			if err := r.Fit(c.X, c.N, c.P, c.Y, c.K); err != nil {
				t.Fatal(err)
			}
			if r.Alpha != c.Alpha {
				t.Errorf("alpha %v, sklearn %v", r.Alpha, c.Alpha)
			}
			for i, want := range c.LOOErrors {
				if d := math.Abs(r.LOOErrors[i] - want); d > 1e-8*want {
					t.Errorf("LOO error at alpha %d = %v, sklearn %v", i, r.LOOErrors[i], want)
				}
			}
			for i, want := range c.Decision {
				got := r.Decision(c.XTest[i*c.P : (i+1)*c.P])
				for k := range want {
					if math.Abs(got[k]-want[k]) > 1e-6 {
						t.Errorf("test case %d class %d: decision %v, sklearn %v", i, k, got[k], want[k])
					}
				}
				if p := r.Predict(c.XTest[i*c.P : (i+1)*c.P]); p != c.Predict[i] {
					t.Errorf("test case %d: predicted %d, sklearn %d", i, p, c.Predict[i])
				}
			}
		})
	}
}
