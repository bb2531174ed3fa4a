package core

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/bench/peers"
)

// TestWorkloadsTrain checks that each workload's training step runs and lowers its
// loss (Adam on a fixed batch must fit it).
func TestWorkloadsTrain(t *testing.T) {
	be := backend.Must("")
	for _, w := range Workloads() {
		t.Run(w.Name, func(t *testing.T) {
			st, err := NewStepper(be, w)
			if err != nil {
				t.Fatal(err)
			}
			first, err := st.Step()
			if err != nil {
				t.Fatal(err)
			}
			last := first
			for range 15 {
				if last, err = st.Step(); err != nil {
					t.Fatal(err)
				}
			}
			if math.IsNaN(last) || last >= first {
				t.Errorf("loss went from %g to %g in 16 Adam steps, want a decrease", first, last)
			}
		})
	}
}

// TestRunNoPeer runs a scaled-down benchmark without the peer.
func TestRunNoPeer(t *testing.T) {
	rep, err := Run(context.Background(), Options{Only: []string{"mlp"}, Rounds: 1, Scale: 0.02, NoPeer: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Figures) != 1 || rep.Figures[0].Name != "mlp" || !(rep.Figures[0].ErgMS > 0) {
		t.Fatalf("figures %+v, want one positive mlp figure", rep.Figures)
	}
	if rep.Figures[0].PeerMS != 0 || rep.PeerError == "" {
		t.Errorf("peer figures %+v / error %q without a peer", rep.Figures[0], rep.PeerError)
	}
	var b strings.Builder
	if err := rep.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "MLP 2-128-128-1") {
		t.Errorf("table lacks the workload:\n%s", b.String())
	}
	if _, err := Run(context.Background(), Options{Only: []string{"gru"}, NoPeer: true}); err == nil {
		t.Error("unknown workload accepted")
	}
}

// TestRunWithPeer runs a scaled-down benchmark with the PyTorch peer, when installed.
func TestRunWithPeer(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	rep, err := Run(context.Background(), Options{Only: []string{"mlp"}, Rounds: 1, Scale: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	if rep.PeerError != "" {
		if strings.Contains(rep.PeerError, bench.ErrPeerUnavailable.Error()) {
			t.Skipf("PyTorch peer not installed (python3-torch): %s", rep.PeerError)
		}
		t.Fatalf("peer failed: %s", rep.PeerError)
	}
	f := rep.Figures[0]
	if !(f.PeerMS > 0) || math.Abs(f.Ratio-f.ErgMS/f.PeerMS) > 1e-12 {
		t.Errorf("figure %+v: want a positive peer time and ratio erg/peer", f)
	}
}

// TestPeerScript checks that the embedded PyTorch peer knows the workloads and the
// flags Run passes.
func TestPeerScript(t *testing.T) {
	s := string(peers.Script(PeerScript))
	for _, want := range []string{"import torch", `"ms"`, "--rounds", "--threads", "--only", "-warmup", "-steps"} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q", PeerScript, want)
		}
	}
	for _, w := range Workloads() {
		if !strings.Contains(s, `"`+w.Name+`"`) {
			t.Errorf("%s lacks workload %q", PeerScript, w.Name)
		}
	}
}
