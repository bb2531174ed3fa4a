package modesbench

import (
	"context"
	"strings"
	"testing"

	"github.com/ergml/erg/bench/peers"
)

func TestRunErgOnly(t *testing.T) {
	if _, err := Run(context.Background(), Config{NoPeer: true, Only: "nope"}); err == nil {
		t.Error("unknown workload accepted")
	}
	if testing.Short() {
		t.Skip("short")
	}
	rep, err := Run(context.Background(), Config{NoPeer: true, Reps: 1, Only: "kde"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Figures) != 1 || rep.Figures[0].Name != "kde" || !(rep.Figures[0].ErgMS > 0) || rep.Figures[0].PeerMS != 0 || rep.PeerError == "" {
		t.Errorf("report %+v", rep)
	}
	t.Logf("binned KDE of 1e6 points: %.1f ms", rep.Figures[0].ErgMS)
}

// TestPeerScript checks that the embedded R peer has every workload and the R code
// they time.
func TestPeerScript(t *testing.T) {
	s := string(peers.Script(PeerScript))
	for _, want := range []string{"commandArgs", "system.time", "density(", "library(diptest)", "replicate(500", `"ms"`} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q", PeerScript, want)
		}
	}
	for _, w := range workloads() {
		if !strings.Contains(s, w.name+" = function") {
			t.Errorf("%s lacks workload %q", PeerScript, w.name)
		}
	}
}
