package rdata

import (
	"errors"
	"math"
	"os"
	"testing"
)

// Needs R with MASS, mclust and locfit (Debian r-base-core r-cran-mass r-cran-mclust
// r-cran-locfit); skips otherwise. Checks sizes and summary values published with the
// data: sizes from the package documentation, ranges as exported by R 4.2 on Debian 12.
func TestExportAndLoad(t *testing.T) {
	t.Setenv("ERG_CACHE", t.TempDir())
	if err := Export(Dir()); err != nil {
		if errors.Is(err, ErrNoR) {
			t.Skipf("skipping: %v", err)
		}
		t.Fatal(err)
	}
	cases := []struct {
		name, col string
		n         int
		min, max  float64
	}{
		{"galaxies", "", 82, 9172, 34279},
		{"faithful", "eruptions", 272, 1.6, 5.1},
		{"faithful", "waiting", 272, 43, 96},
		{"geyser", "", 299, 43, 108},
		{"acidity", "", 155, 2.928, 7.105},
		{"stamps", "", 486, 0.060, 0.131},
	}
	for _, c := range cases {
		x, err := Load(c.name, c.col)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range x {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if len(x) != c.n || math.Abs(lo-c.min) > 1e-3 || math.Abs(hi-c.max) > 1e-3 {
			t.Errorf("%s %s: n=%d range [%g, %g], want n=%d [%g, %g]", c.name, c.col, len(x), lo, hi, c.n, c.min, c.max)
		}
	}
	if _, err := os.Stat(Dir()); err != nil {
		t.Error(err)
	}
	if _, err := Lookup("nope"); err == nil {
		t.Error("unknown set: no error")
	}
}
