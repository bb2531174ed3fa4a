package ebm

import (
	"slices"
	"testing"
)

// TestCheckClaim scores a made-up comparison: ED best on a and b, CD best on c by less
// than CD's grid error (uncertain), DSM best on d; CD takes twice ED's time.
func TestCheckClaim(t *testing.T) {
	cell := func(d, l string, nll, err, sec float64) *CompareCell {
		return &CompareCell{Data: d, Loss: l, NLL: []float64{nll}, NLLErr: []float64{err}, Seconds: []float64{sec}}
	}
	var cells []*CompareCell
	for _, r := range []struct {
		d           string
		ed, dsm, cd float64
		cdErr       float64
	}{{"a", 1, 2, 3, 0}, {"b", 1, 1, 1.5, 0}, {"c", 2, 2.5, 1.9, 0.5}, {"d", 2, 1, 3, 0}} {
		cells = append(cells, cell(r.d, "ed", r.ed, 1e-4, 10), cell(r.d, "dsm", r.dsm, 1e-4, 5), cell(r.d, "cd", r.cd, r.cdErr, 20))
	}
	cl := checkClaim(cells)
	if cl.Densities != 4 || cl.EDBest != 2 || !slices.Equal(cl.EDBestNames, []string{"a", "b"}) {
		t.Errorf("claim %+v; want ED best on a, b of 4", cl)
	}
	if !slices.Equal(cl.Uncertain, []string{"b", "c"}) {
		t.Errorf("uncertain %v; want [b c] (b: a tie, c: within CD's grid error)", cl.Uncertain)
	}
	if cl.TimeRatio != 2 || cl.Holds {
		t.Errorf("time ratio %g, holds %v; want 2, false (2 of 4 < 3/4)", cl.TimeRatio, cl.Holds)
	}
}
