package demo

import "testing"

func TestDemoGreen(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two networks")
	}
	s := runOne(t, "green")
	if s.Result.Skipped != "" {
		t.Skip(s.Result.Skipped)
	}
	n := s.Result.Numbers
	if n["cells"].(int) != 2 || n["ran"].(int) != 2 || n["energy_label"].(string) == "" {
		t.Errorf("numbers %v: want 2 cells run and an energy label", n)
	}
	if f := n["pareto_front"].([]string); len(f) == 0 {
		t.Error("empty Pareto front")
	}
}
