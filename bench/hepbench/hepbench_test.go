package hepbench

import (
	"testing"

	"github.com/ergml/erg/hep/jet"
)

func TestReadEvents(t *testing.T) {
	evs, err := ReadEvents(FastJetExamples)
	if err != nil {
		t.Skipf("needs Debian package fastjet-examples: %v", err)
	}
	// The file holds 10 events (#END-separated) of 5460 particles in all.
	n := 0
	for _, e := range evs {
		n += len(e)
	}
	if len(evs) != 10 || n != 5460 {
		t.Errorf("%d events, %d particles; want 10, 5460", len(evs), n)
	}
}

func TestSamePts(t *testing.T) {
	js := []jet.Jet{{P: [4]float64{300, 400, 0, 600}}}
	if !samePts(js, []float64{500}) || samePts(js, []float64{500 * (1 + 1e-8)}) || samePts(js, nil) {
		t.Error("samePts tolerance or length check is wrong")
	}
}
