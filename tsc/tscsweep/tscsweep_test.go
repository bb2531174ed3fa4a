package tscsweep

import (
	"errors"
	"strings"
	"testing"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/sweep"
	"github.com/ergml/erg/tsc"
	_ "github.com/ergml/erg/tsc/minirocket"
)

func TestGridAndCheck(t *testing.T) {
	cfg := tsc.BenchConfig{Datasets: []string{"/data/ucr/GunPoint", "/data/ucr/Arrow Head"}, Models: []string{"minirocket"}, Runs: 2, Seed: 10}
	g, err := Grid("b", cfg, func(d, m string, r int) bool { return d == "GunPoint" && r == 1 })
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range g.Cells {
		ids = append(ids, c.ID)
	}
	if got, want := strings.Join(ids, " "), "GunPoint.minirocket.0 Arrow_Head.minirocket.0 Arrow_Head.minirocket.1"; got != want {
		t.Errorf("cells %s, want %s", got, want)
	}
	if g.Cells[2].Seed != 11 {
		t.Errorf("seed of run 1: %d, want 11", g.Cells[2].Seed)
	}
	if err := g.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	var fe *run.FieldError
	if err := (Runner{}).Check([]byte(`{"data": "x", "model": "nosuch"}`)); !errors.As(err, &fe) || fe.Field != "model" {
		t.Errorf("unknown model: %v", err)
	}
	if err := (Runner{}).Check([]byte(`{"model": "minirocket"}`)); !errors.As(err, &fe) || fe.Field != "data" {
		t.Errorf("no data: %v", err)
	}
	if sweep.Lookup(Capability) == nil {
		t.Error("capability not registered")
	}
}
