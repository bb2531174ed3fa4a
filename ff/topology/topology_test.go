package topology

import (
	"fmt"
	"testing"
)

// Counts checked by hand (and equal to what espaloma's heterograph builder gives
// for these graphs: n2, n3, n4 counts are graph-theoretic).
func TestCounts(t *testing.T) {
	for _, c := range []struct {
		name                                string
		n                                   int
		bonds                               [][2]int
		nb, na, np, nimp, n14, nexcl, nnonb int
	}{
		{"methane", 5, [][2]int{{0, 1}, {0, 2}, {0, 3}, {0, 4}}, 4, 6, 0, 0, 0, 10, 0},
		{"water", 3, [][2]int{{0, 1}, {0, 2}}, 2, 1, 0, 0, 0, 3, 0},
		{"ethyne", 4, [][2]int{{0, 1}, {0, 2}, {1, 3}}, 3, 2, 1, 0, 1, 5, 0},
		// ethane: 7 bonds, 12 angles, 9 propers, 9 1-4 pairs, 28 pairs in all
		{"ethane", 8, [][2]int{{0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 5}, {1, 6}, {1, 7}}, 7, 12, 9, 0, 9, 19, 0},
		// formaldehyde: C centre with 3 neighbours -> 3 trefoil impropers
		{"formaldehyde", 4, [][2]int{{0, 1}, {0, 2}, {0, 3}}, 3, 3, 0, 3, 0, 6, 0},
		// cyclopropane carbons only: a 3-ring has no 1-4 pairs
		{"c3ring", 3, [][2]int{{0, 1}, {1, 2}, {0, 2}}, 3, 3, 0, 0, 0, 3, 0},
		// cyclobutane carbons: 4 propers around the ring, 1-4 pairs are bonded
		{"c4ring", 4, [][2]int{{0, 1}, {1, 2}, {2, 3}, {0, 3}}, 4, 4, 4, 0, 0, 6, 0},
	} {
		tp := New(c.n, c.bonds)
		got := []int{len(tp.Bonds), len(tp.Angles), len(tp.Propers), len(tp.Impropers), len(tp.Pairs14), len(tp.Excluded), len(tp.NonbondedPairs())}
		want := []int{c.nb, c.na, c.np, c.nimp, c.n14, c.nexcl, c.nnonb}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: bonds/angles/propers/impropers/1-4/excluded/nonbonded = %v, want %v", c.name, got, want)
		}
	}
}

func TestTrefoil(t *testing.T) {
	tp := New(4, [][2]int{{0, 1}, {0, 2}, {0, 3}})
	want := [][4]int{{1, 0, 2, 3}, {2, 0, 3, 1}, {3, 0, 1, 2}}
	if fmt.Sprint(tp.Impropers) != fmt.Sprint(want) {
		t.Errorf("impropers %v, want %v", tp.Impropers, want)
	}
}

func ExampleNew() {
	// ethanol heavy atoms C-C-O plus the hydroxyl H
	tp := New(4, [][2]int{{0, 1}, {1, 2}, {2, 3}})
	fmt.Println(tp.Bonds, tp.Angles, tp.Propers, tp.Pairs14)
	// Output: [[0 1] [1 2] [2 3]] [[0 1 2] [1 2 3]] [[0 1 2 3]] [[0 3]]
}
