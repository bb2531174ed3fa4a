package ebmbench

import (
	"context"
	"strings"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/bench/peers"
)

// TestPeerScript checks that the embedded PyTorch peer has the workloads and the
// flags Run passes.
func TestPeerScript(t *testing.T) {
	s := string(peers.Script(PeerScript))
	for _, want := range []string{"import torch", `"ms"`, "energy_discrepancy", "contrastive_divergence",
		"--activation", "--steps", "--k", "--batch", "--hidden", "--threads", `"ed"`} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q", PeerScript, want)
		}
	}
}

func TestRunNoPeer(t *testing.T) {
	be := backend.Must("go:ops_sequential")
	if _, err := Run(context.Background(), Options{Backend: be, Activation: "gelu", NoPeer: true}); err == nil {
		t.Error("unknown activation accepted")
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	rep, err := Run(context.Background(), Options{Backend: be, Steps: 8, NoPeer: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Figures) != 2 || !(rep.Figures[0].ErgMS > 0) || !(rep.Figures[1].ErgMS > 0) || rep.PeerError == "" {
		t.Errorf("report %+v", rep)
	}
}
