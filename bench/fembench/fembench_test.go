package fembench

import (
	"context"
	"strings"
	"testing"

	"github.com/ergml/erg/bench/peers"
)

// TestPeerScript checks that the embedded FEniCS peer solves the same problem, with
// PETSc CG + ICC(0), takes the flags Run passes and names its figures as Run expects.
func TestPeerScript(t *testing.T) {
	s := string(peers.Script(PeerScript))
	for _, want := range []string{"dolfinx", "create_unit_square", "DiagonalType.right", `"icc"`, `"ms"`,
		`"iterations"`, `"umax"`, "--n", "--reps", `"poisson2d-p1-%d"`} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q", PeerScript, want)
		}
	}
	if Name(64) != "poisson2d-p1-64" {
		t.Errorf("Name(64) = %q", Name(64))
	}
}

func TestRunNoPeer(t *testing.T) {
	rep, err := Run(context.Background(), Options{Sizes: []int{8}, Reps: 2, NoPeer: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Figures) != 2 || rep.Figures[0].Name != "poisson2d-p1-8" || rep.Figures[1].Name != "poisson2d-p1-8-ic0" ||
		!(rep.Figures[0].ErgMS > 0) || rep.PeerError == "" {
		t.Errorf("report %+v", rep)
	}
	if rep.Extra["dofs"].(map[string]int)["poisson2d-p1-8"] != 81 {
		t.Errorf("extra %+v", rep.Extra)
	}
}
