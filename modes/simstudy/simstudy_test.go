package simstudy

import (
	"strings"
	"testing"
)

// A tiny study: the separated bimodal density (#7) at n = 200 is easy for the
// critical-bandwidth and dip tests; the table must count estimates consistently.
func TestRunSmall(t *testing.T) {
	tb, err := Run(Config{Densities: []int{1, 7}, Ns: []int{200}, Reps: 3, Methods: []string{"silverman", "dip"}, B: 40, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Cells) != 4 {
		t.Fatalf("%d cells, want 4", len(tb.Cells))
	}
	for _, c := range tb.Cells {
		tot := c.Failures
		for _, v := range c.Estimates {
			tot += v
		}
		if tot != c.Reps || c.Reps != 3 {
			t.Errorf("%+v: estimates do not add up", c)
		}
		if c.Density == 7 && c.Accuracy < 0.6 {
			t.Errorf("separated bimodal, %s: accuracy %g", c.Method, c.Accuracy)
		}
	}
	md := tb.Markdown(200)
	if !strings.Contains(md, "| 7 | Separated bimodal | 2 |") || !strings.Contains(md, "**mean**") {
		t.Errorf("markdown:\n%s", md)
	}
	// same seed, different workers: identical table
	tb2, _ := Run(Config{Densities: []int{1, 7}, Ns: []int{200}, Reps: 3, Methods: []string{"silverman", "dip"}, B: 40, Seed: 3, Workers: 1})
	for i := range tb.Cells {
		if tb.Cells[i].Correct != tb2.Cells[i].Correct {
			t.Errorf("cell %d differs across workers", i)
		}
	}
	if _, err := Run(Config{Methods: []string{"nope"}}); err == nil {
		t.Error("unknown method: no error")
	}
}
