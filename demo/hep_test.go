package demo

import "testing"

func TestDemoHep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Pythia (first use: about a minute) and generates events")
	}
	s := runOne(t, "hep")
	n := s.Result.Numbers
	// 200 events, seed 1: QCD jets of 550-650 GeV have a mean mass of 81.7 GeV
	// (measured on 54201 jets of erg hep generate --events 56000 --seed 1) and about
	// 0.97 jets per event.
	if j := n["jets"].(int); j < 150 || j > 400 {
		t.Errorf("%d jets from 200 events; want about 190", j)
	}
	if m := n["mass_mean"].(float64); m < 60 || m > 105 {
		t.Errorf("mean jet mass %g GeV; want about 82", m)
	}
}
