package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// run runs erg with args and returns the exit code, stdout and stderr.
func runErg(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := executeTo(args, &out, &errb)
	return code, out.String(), errb.String()
}

// leaves returns the command paths (without "erg") of every runnable leaf command.
func leaves(c *cobra.Command, prefix []string) [][]string {
	var out [][]string
	for _, s := range c.Commands() {
		if s.Hidden || s.Name() == "help" || s.Name() == "completion" {
			continue
		}
		p := append(append([]string(nil), prefix...), s.Name())
		if s.HasSubCommands() {
			out = append(out, leaves(s, p)...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

// TestEveryLeafCommand runs every leaf command with --help, an unknown flag and a bad
// value of one of its numeric flags, with and without --json, and checks the exit
// codes, the messages and that the JSON parses.
func TestEveryLeafCommand(t *testing.T) {
	all := leaves(newRootCmd(), nil)
	if len(all) < 20 {
		t.Fatalf("only %d leaf commands found", len(all))
	}
	for _, path := range all {
		name := strings.Join(path, " ")
		code, out, _ := runErg(append(path, "--help")...)
		if code != exitOK || !strings.Contains(out, "Usage:") || !strings.Contains(out, "Examples:") {
			t.Errorf("erg %s --help: exit %d, example section %v", name, code, strings.Contains(out, "Examples:"))
		}
		code, _, stderr := runErg(append(path, "--no-such-flag")...)
		if code != exitUsage || !strings.Contains(stderr, "no-such-flag") || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
			t.Errorf("erg %s --no-such-flag: exit %d, stderr %q; want 64 and one line naming the flag", name, code, stderr)
		}
		code, out, _ = runErg(append(path, "--no-such-flag", "--json")...)
		var je jsonError
		if err := json.Unmarshal([]byte(out), &je); err != nil || je.Code != exitUsage || code != exitUsage || je.Error == "" {
			t.Errorf("erg %s --no-such-flag --json: exit %d, stdout %q (%v); want one JSON error object with code 64", name, code, out, err)
		}
		// A bad value of the first numeric flag.
		var numeric *pflag.Flag
		c, _, _ := newRootCmd().Find(path)
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if numeric == nil && (f.Value.Type() == "int" || f.Value.Type() == "float64" || f.Value.Type() == "uint64") {
				numeric = f
			}
		})
		if numeric == nil {
			continue
		}
		code, out, _ = runErg(append(path, "--"+numeric.Name, "abc", "--json")...)
		je = jsonError{}
		if err := json.Unmarshal([]byte(out), &je); err != nil || code != exitUsage || !strings.Contains(je.Error, numeric.Name) {
			t.Errorf("erg %s --%s abc --json: exit %d, stdout %q; want code 64 naming the flag", name, numeric.Name, code, out)
		}
	}
}

// TestBadValuesLeaveNoRun: values the flag parser accepts but the configuration does
// not exit 64 with a message naming the flag, and leave no run directory.
func TestBadValuesLeaveNoRun(t *testing.T) {
	cases := []struct {
		args []string
		flag string
	}{
		{[]string{"ebm", "train", "--data", "pinwheel", "--steps", "0"}, "steps"},
		{[]string{"ebm", "train", "--data", "pinwheel", "--activation", "foo"}, "activation"},
		{[]string{"ebm", "train", "--data", "nosuchdensity"}, "data"},
		{[]string{"ebm", "train", "--data", "pinwheel", "--loss", "nce"}, "loss"},
		{[]string{"pde", "pinn", "poisson2d", "--activation", "foo"}, "activation"},
		{[]string{"pde", "pddlvm", "train", "poisson1d", "--steps", "-3"}, "steps"},
	}
	for _, c := range cases {
		root := t.TempDir()
		args := append(append([]string(nil), c.args...), "--root", root, "--json")
		code, out, _ := runErg(args...)
		var je jsonError
		if err := json.Unmarshal([]byte(out), &je); err != nil {
			t.Errorf("erg %s: stdout %q is not one JSON object: %v", strings.Join(args, " "), out, err)
			continue
		}
		if code != exitUsage || je.Code != exitUsage || je.Field != c.flag || !strings.Contains(je.Error, c.flag) {
			t.Errorf("erg %s: exit %d, %+v; want 64 naming --%s", strings.Join(c.args, " "), code, je, c.flag)
		}
		if ents, _ := os.ReadDir(root); len(ents) != 0 {
			t.Errorf("erg %s: left %d entries in the run root", strings.Join(c.args, " "), len(ents))
		}
	}
}

// TestFreshTree: flags of one invocation do not leak into the next.
func TestFreshTree(t *testing.T) {
	if code, out, _ := runErg("version", "--json"); code != 0 || !json.Valid([]byte(out)) {
		t.Fatalf("erg version --json: exit %d, %q", code, out)
	}
	if code, out, _ := runErg("version"); code != 0 || json.Valid([]byte(out)) {
		t.Errorf("erg version after a --json call printed JSON (global flag state): %q", out)
	}
}

// TestUsageErrorField: usage errors of commands that check flags themselves name the
// flag in the JSON error's field.
func TestUsageErrorField(t *testing.T) {
	csv := t.TempDir() + "/x.csv"
	os.WriteFile(csv, []byte("x\n1\n2\n3\n4\n5\n6\n7\n8\n"), 0o644)
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"modes", "estimate", csv, "--method", "bayes", "--kmax", "0"}, "kmax"},
		{[]string{"bench", "core", "--rounds", "0"}, "rounds"},
	} {
		code, out, _ := runErg(append(c.args, "--json")...)
		var je jsonError
		if err := json.Unmarshal([]byte(out), &je); err != nil || code != exitUsage || je.Field != c.flag {
			t.Errorf("erg %s --json: exit %d, %q; want 64 with field %q", strings.Join(c.args, " "), code, out, c.flag)
		}
	}
}
