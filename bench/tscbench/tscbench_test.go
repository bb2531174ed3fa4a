package tscbench

import (
	"context"
	"strings"
	"testing"

	"github.com/ergml/erg/bench/peers"
	"github.com/ergml/erg/internal/ergdata"
)

// TestPeerScript checks that the embedded PyTorch peer has the models and the flags
// Run passes.
func TestPeerScript(t *testing.T) {
	s := string(peers.Script(PeerScript))
	for _, want := range []string{"import torch", `"ms"`, "--data", "--only", "--warmup", "--epochs", `"fcn"`, "ResNet"} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q", PeerScript, want)
		}
	}
}

func TestRunNoPeer(t *testing.T) {
	if _, err := Run(context.Background(), Options{Only: []string{"gru"}, NoPeer: true}); err == nil || !strings.Contains(err.Error(), "unknown model") {
		t.Errorf("unknown model: got %v", err)
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	gp, err := ergdata.Path("ucr", "GunPoint")
	if err != nil {
		t.Skipf("UCR data not available (set ERG_DATA): %v", err)
	}
	rep, err := Run(context.Background(), Options{Data: gp, Only: []string{"fcn"}, Epochs: 1, NoPeer: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Suite != "tsc" || len(rep.Figures) != 1 || !(rep.Figures[0].ErgMS > 0) || rep.PeerError == "" {
		t.Errorf("report %+v", rep)
	}
}
