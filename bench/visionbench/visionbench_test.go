package visionbench

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/bench/peers"
)

// TestPeerScript checks that the embedded PyTorch peer knows the workloads and the
// flags Run passes.
func TestPeerScript(t *testing.T) {
	s := string(peers.Script(PeerScript))
	for _, want := range []string{"import torch", `"ms"`, "--rounds", "--threads", "--only", "--infer-batch", "-warmup", "-iters", "from visionzoo import"} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q", PeerScript, want)
		}
	}
	if zoo := string(peers.Script("visionzoo.py")); !strings.Contains(zoo, "bias=False") || !strings.Contains(zoo, "class ResNet") {
		t.Errorf("visionzoo.py lacks the bias-free ResNet convolutions")
	}
	for _, w := range Workloads() {
		if !strings.Contains(s, `"`+w.Name+`"`) {
			t.Errorf("%s lacks workload %q", PeerScript, w.Name)
		}
	}
}

// TestStepsTrain checks that each model's step lowers the loss on its fixed batch.
func TestStepsTrain(t *testing.T) {
	for _, m := range []string{"lenet5", "resnet8"} {
		st, err := NewStepper(backend.Must(""), m)
		if err != nil {
			t.Fatal(err)
		}
		first, err := st.Step()
		if err != nil {
			t.Fatal(err)
		}
		last := first
		for range 10 {
			if last, err = st.Step(); err != nil {
				t.Fatal(err)
			}
		}
		if math.IsNaN(last) || last >= first {
			t.Errorf("%s: loss went from %g to %g in 11 Adam steps on one batch, want a decrease", m, first, last)
		}
	}
}

// TestRunNoPeer runs a scaled-down suite without the peer.
func TestRunNoPeer(t *testing.T) {
	if _, err := Run(context.Background(), Options{Only: []string{"vgg_step"}, NoPeer: true}); err == nil || !strings.Contains(err.Error(), "unknown workload") {
		t.Errorf("unknown workload: %v", err)
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	rep, err := Run(context.Background(), Options{Only: []string{"lenet5_step", "lenet5_infer"}, Rounds: 1, Scale: 0.01, InferBatch: []int{1000, 500}, NoPeer: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Suite != "vision" || len(rep.Figures) != 2 || !(rep.Figures[0].ErgMS > 0) || !(rep.Figures[1].ErgMS > 0) || rep.PeerError != bench.NoPeer {
		t.Errorf("report %+v", rep)
	}
	if b := rep.Extra["erg_infer_batch"].(map[string]int)["lenet5_infer"]; b != 500 && b != 1000 {
		t.Errorf("inference batch %d", b)
	}
}

// TestRunWithPeer runs one scaled-down workload with the PyTorch peer, when installed.
func TestRunWithPeer(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	rep, err := Run(context.Background(), Options{Only: []string{"lenet5_step"}, Rounds: 1, Scale: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if rep.PeerError != "" {
		if strings.Contains(rep.PeerError, bench.ErrPeerUnavailable.Error()) {
			t.Skipf("PyTorch peer not installed (python3-torch): %s", rep.PeerError)
		}
		t.Fatalf("peer failed: %s", rep.PeerError)
	}
	if f := rep.Figures[0]; !(f.PeerMS > 0) || math.Abs(f.Ratio-f.ErgMS/f.PeerMS) > 1e-12 {
		t.Errorf("figure %+v: want a positive peer time and the ratio", f)
	}
}

func benchmarkStep(b *testing.B, name string) {
	st, err := NewStepper(backend.Must(""), name)
	if err != nil {
		b.Fatal(err)
	}
	for range 3 {
		if _, err := st.Step(); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := st.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
}

// BenchmarkLeNet5Step times erg's LeNet-5 training step (the lenet5_step workload);
// with -cpuprofile it shows which operations dominate.
func BenchmarkLeNet5Step(b *testing.B) { benchmarkStep(b, "lenet5") }

// BenchmarkResNet8Step times erg's ResNet-8 training step (the resnet8_step workload).
func BenchmarkResNet8Step(b *testing.B) { benchmarkStep(b, "resnet8") }
