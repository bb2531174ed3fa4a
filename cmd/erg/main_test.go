package main

import (
	"testing"
)

func TestErrorsAreOneLine(t *testing.T) {
	cases := [][]string{
		{"--no-such-flag"},
		{"version", "extra"},
		{"nosuchcommand"},
	}
	for _, args := range cases {
		if code := execute(args); code == 0 {
			t.Errorf("erg %v exited 0; want non-zero", args)
		}
	}
	if code := execute([]string{"version"}); code != 0 {
		t.Errorf("erg version exited %d", code)
	}
}
