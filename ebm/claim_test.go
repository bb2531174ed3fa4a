package ebm

import (
	"slices"
	"testing"
)

// TestCheckClaim scores a made-up comparison: ED best on a and b, CD best on c by less
// than CD's grid error (uncertain), DSM best on d; ED best on e although CD's box error
// exceeds the gap (certain: mass beyond the box only raises CD's NLL) and on f where
// CD's grid error exceeds it (uncertain); CD takes twice ED's time.
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
	split := func(d string, nll, grid, box float64) *CompareCell {
		return &CompareCell{Data: d, Loss: "cd", NLL: []float64{nll}, NLLErr: []float64{grid + box},
			NLLGridErr: []float64{grid}, NLLBoxErr: []float64{box}, Seconds: []float64{20}}
	}
	cells = append(cells, cell("e", "ed", 1, 1e-4, 10), cell("e", "dsm", 2, 1e-4, 5), split("e", 1.2, 0, 1),
		cell("f", "ed", 1, 1e-4, 10), cell("f", "dsm", 2, 1e-4, 5), split("f", 1.2, 0.5, 0))
	cl := checkClaim(cells)
	if cl.Densities != 6 || cl.EDBest != 4 || !slices.Equal(cl.EDBestNames, []string{"a", "b", "e", "f"}) {
		t.Errorf("claim %+v; want ED best on a, b, e, f of 6", cl)
	}
	if !slices.Equal(cl.Uncertain, []string{"b", "c", "f"}) {
		t.Errorf("uncertain %v; want [b c f] (b: a tie, c and f: within CD's grid error; not e: box error)", cl.Uncertain)
	}
	if cl.TimeRatio != 2 || cl.Holds {
		t.Errorf("time ratio %g, holds %v; want 2, false (4 of 6 < 3/4)", cl.TimeRatio, cl.Holds)
	}
}
