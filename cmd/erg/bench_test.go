package main

import "testing"

// TestBenchCommands runs quick erg-only passes of the bench suites that need no data
// or long compilation, and checks the shared peer flags.
func TestBenchCommands(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"bench", "fem", "--n", "8", "--reps", "1", "--no-peer", "--json"}, 0},
		{[]string{"bench", "modes", "--only", "kde", "--reps", "1", "--no-peer"}, 0},
		{[]string{"bench", "fem", "--no-peer", "--require-peer"}, 64},
		{[]string{"bench", "fem", "--n", "0"}, 64},
		{[]string{"bench", "ebm", "--steps", "0"}, 64},
		{[]string{"bench", "core", "--only", "gru"}, 64},
		{[]string{"bench", "modes", "--reps", "0"}, 64},
	} {
		if code := execute(c.args); code != c.code {
			t.Errorf("erg %v exited %d, want %d", c.args, code, c.code)
		}
	}
}
