package ebmsweep

import (
	"testing"

	"github.com/ergml/erg/ebm"
)

func TestGridAndCheck(t *testing.T) {
	base := ebm.Config{Steps: 10}
	g, err := Grid("c", ebm.CompareConfig{Data: []string{"pinwheel", "moons"}, Losses: []string{"ed", "dsm"}, Seeds: 2, Base: base}, ebm.EvalConfig{Grid: 32}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cells) != 8 || g.Cells[0].ID != "pinwheel-ed-s1" || g.Cells[1].Seed != 2 {
		t.Fatalf("cells %+v", g.Cells[:2])
	}
	if err := g.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if err := (Runner{}).Check([]byte(`{"data": "pinwheel", "loss": "nce"}`)); err == nil {
		t.Error("an unknown loss passed the check")
	}
}
