package bench

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ergml/erg/bench/peers"
)

func TestParsePeer(t *testing.T) {
	out := []byte("warming up\n{\"peer\": \"P 1.0\", \"threads\": 2, \"ms\": {\"a\": 2.5, \"b\": 10}}\n\nbye\n")
	r, err := ParsePeer("x", out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Peer != "P 1.0" || r.MS["a"] != 2.5 || r.MS["b"] != 10 || r.Info["threads"] != 2.0 {
		t.Errorf("parsed %+v", r)
	}
	if f := r.Figures("threads"); f != nil {
		t.Errorf("Figures of a number: %v", f)
	}
	if f := (*PeerResult)(nil).Figures("x"); f != nil {
		t.Errorf("Figures of nil: %v", f)
	}
	if r2, _ := ParsePeer("x", []byte(`{"peer": "p", "ms": {"a": 1}, "its": {"a": 7, "b": "x"}}`)); r2.Figures("its")["a"] != 7 || len(r2.Figures("its")) != 1 {
		t.Errorf("Figures(its) = %v", r2.Figures("its"))
	}
	if _, ok := r.Info["ms"]; ok {
		t.Errorf("Info keeps \"ms\": %v", r.Info)
	}
	for _, bad := range []string{"", "not json", `{"peer": "p"}`, `{"peer": "p", "ms": `} {
		if _, err := ParsePeer("x", []byte(bad)); err == nil {
			t.Errorf("ParsePeer(%q) succeeded", bad)
		}
	}
}

// TestReportJSON pins the JSON schema of a Report, the one every suite prints.
func TestReportJSON(t *testing.T) {
	r := &Report{Suite: "s", Machine: "2 CPUs", Load: Load{0.5, 1.5}, Peer: "P",
		Figures: []Figure{{Name: "a", Title: "A", ErgMS: 2, PeerMS: 1, Ratio: 2, Goal: 1, PeerKey: "k"}}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"busy", "load", "machine", "peer", "suite", "workloads"} // always present
	if got := keys(m); !slices.Equal(got, want) {
		t.Errorf("report keys %v, want %v", got, want)
	}
	if got := keys(m["load"].(map[string]any)); !slices.Equal(got, []string{"after", "before"}) {
		t.Errorf("load keys %v", got)
	}
	w := m["workloads"].([]any)[0].(map[string]any)
	if got := keys(w); !slices.Equal(got, []string{"erg_ms", "goal", "name", "peer_ms", "ratio", "title"}) {
		t.Errorf("workload keys %v", got)
	}
	// The optional fields, when set.
	r.PeerError, r.Erg, r.PeerInfo, r.Notes, r.Extra = "e", "go", map[string]any{"x": 1}, []string{"n"}, map[string]any{"y": 2}
	b, _ = json.Marshal(r)
	m = nil
	json.Unmarshal(b, &m)
	want = []string{"busy", "erg", "extra", "load", "machine", "notes", "peer", "peer_error", "peer_info", "suite", "workloads"}
	if got := keys(m); !slices.Equal(got, want) {
		t.Errorf("full report keys %v, want %v", got, want)
	}
	// A report without workloads still has a "workloads" array.
	b, _ = json.Marshal(Start("s", ""))
	if !strings.Contains(string(b), `"workloads":[]`) {
		t.Errorf("empty report: %s", b)
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestReport(t *testing.T) {
	r := &Report{Suite: "s", Erg: "go", Load: Load{0.25, 3.5}, Figures: []Figure{
		{Name: "a", Title: "workload A", ErgMS: 3, Goal: 1}, {Name: "c", Title: "workload C", ErgMS: 1},
		{Name: "a2", Title: "workload A again", ErgMS: 6, PeerKey: "a"}}}
	r.SetPeer(&PeerResult{Peer: "P", MS: map[string]float64{"a": 2}}, nil)
	if got := r.Figures[0].Ratio; got != 1.5 {
		t.Errorf("ratio %g, want 1.5", got)
	}
	if r.Figures[1].PeerMS != 0 || r.Figures[1].Ratio != 0 {
		t.Errorf("workload without peer figure got %+v", r.Figures[1])
	}
	if f := r.Figures[2]; f.PeerMS != 2 || f.Ratio != 3 {
		t.Errorf("workload with PeerKey got %+v", f)
	}
	r.Notes = []string{"a note"}
	var b strings.Builder
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"workload A", "1.50x", "<=1x", "workload C", "load average 0.25 before, 3.50 after", "a note"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	r.Busy = true
	b.Reset()
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "warning: the machine was busy") {
		t.Errorf("busy report lacks the warning:\n%s", b.String())
	}
	r2 := &Report{Suite: "s"}
	r2.SetPeer(nil, errors.New("boom"))
	if r2.PeerError != "boom" || r2.Peer != "" {
		t.Errorf("PeerError %q, Peer %q", r2.PeerError, r2.Peer)
	}
}

// TestLoad checks that Start and Finish record the load before and after and that
// busy means the load exceeded the CPU count at either point.
func TestLoad(t *testing.T) {
	if !strings.Contains(MachineName(), "CPUs") {
		t.Errorf("MachineName() = %q", MachineName())
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "loadavg")
	oldFile, oldCPU := loadavgFile, numCPU
	t.Cleanup(func() { loadavgFile, numCPU = oldFile, oldCPU })
	loadavgFile, numCPU = file, func() int { return 2 }
	setLoad := func(s string) {
		if err := os.WriteFile(file, []byte(s+" 0.50 0.25 1/100 4242\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		before, after string
		busy          bool
	}{{"0.10", "1.90", false}, {"2.50", "1.00", true}, {"1.00", "2.01", true}, {"2.00", "2.00", false}} {
		setLoad(c.before)
		r := Start("s", "erg")
		setLoad(c.after)
		r.Finish()
		if got := (Load{parse(c.before), parse(c.after)}); r.Load != got || r.Busy != c.busy {
			t.Errorf("load %s then %s: got %+v busy %v, want busy %v", c.before, c.after, r.Load, r.Busy, c.busy)
		}
	}
	loadavgFile = filepath.Join(dir, "missing")
	if l := LoadAverage(); l != 0 {
		t.Errorf("LoadAverage without /proc/loadavg = %g, want 0", l)
	}
}

func parse(s string) float64 {
	var v float64
	json.Unmarshal([]byte(s), &v)
	return v
}

// TestRunPeer runs fake peers through the launcher: a good one, one that fails, one
// that prints no JSON, one that imports a missing module, a slow one, and one whose
// interpreter is missing.
func TestRunPeer(t *testing.T) {
	if _, err := os.Stat(Python); err != nil {
		t.Skipf("%s not installed", Python)
	}
	ctx := context.Background()
	run := func(src string, args ...string) (*PeerResult, error) {
		return RunPeer(ctx, Peer{Script: "fake.py", Source: []byte(src), Args: args, Timeout: time.Minute})
	}
	r, err := run("import sys, json\nprint('noise')\nprint(json.dumps({'peer': 'py', 'threads': 2, 'ms': {'w': float(sys.argv[1])}}))\nprint('done')\n", "4.5")
	if err != nil {
		t.Fatal(err)
	}
	if r.Peer != "py" || r.MS["w"] != 4.5 || r.Info["threads"] != 2.0 {
		t.Errorf("good peer: got %+v", r)
	}
	_, err = run("import sys\nsys.stderr.write('bad input\\n')\nsys.exit(1)\n")
	if err == nil || errors.Is(err, ErrPeerUnavailable) || !strings.Contains(err.Error(), "bad input") || !strings.Contains(err.Error(), "fake.py") {
		t.Errorf("failing peer: got %v, want an error quoting its stderr", err)
	}
	_, err = run("print('hello')\n")
	if err == nil || errors.Is(err, ErrPeerUnavailable) || !strings.Contains(err.Error(), "no JSON") {
		t.Errorf("peer without JSON: got %v", err)
	}
	_, err = run("print('{\"peer\": \"p\"}')\n")
	if err == nil || !strings.Contains(err.Error(), `no "ms"`) {
		t.Errorf("peer without figures: got %v", err)
	}
	_, err = run("import no_such_module_erg\n")
	if !errors.Is(err, ErrPeerUnavailable) {
		t.Errorf("missing module: got %v, want ErrPeerUnavailable", err)
	}
	_, err = RunPeer(ctx, Peer{Script: "slow.py", Source: []byte("import time\ntime.sleep(30)\n"), Timeout: 200 * time.Millisecond})
	if err == nil || errors.Is(err, ErrPeerUnavailable) || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("slow peer: got %v", err)
	}
	_, err = RunPeer(ctx, Peer{Script: "core.py", Interpreter: filepath.Join(t.TempDir(), "no-python")})
	if !errors.Is(err, ErrPeerUnavailable) {
		t.Errorf("missing interpreter: got %v, want ErrPeerUnavailable", err)
	}
	_, err = RunPeer(ctx, Peer{Script: "nonesuch.py"})
	if err == nil || !strings.Contains(err.Error(), "no such embedded peer script") {
		t.Errorf("unknown script: got %v", err)
	}
	// --peer-script: a file on disk instead of the embedded script.
	path := filepath.Join(t.TempDir(), "dev.py")
	os.WriteFile(path, []byte("import json\nprint(json.dumps({'peer': 'dev', 'ms': {'w': 1}}))\n"), 0o644)
	if r, err := RunPeer(ctx, Peer{Script: "core.py", Path: path}); err != nil || r.Peer != "dev" {
		t.Errorf("peer from a path: got %+v, %v", r, err)
	}
}

// TestRunPeerR runs fake R peers, when R is installed.
func TestRunPeerR(t *testing.T) {
	if _, err := exec.LookPath(Rscript); err != nil {
		t.Skipf("%s not installed (Debian r-base-core)", Rscript)
	}
	ctx := context.Background()
	r, err := RunPeer(ctx, Peer{Script: "fake.R", Source: []byte(`cat('{"peer": "R", "ms": {"w": 2}}\n')`), Timeout: time.Minute})
	if err != nil || r.MS["w"] != 2 {
		t.Errorf("good R peer: got %+v, %v", r, err)
	}
	_, err = RunPeer(ctx, Peer{Script: "fake.R", Source: []byte("library(noSuchPackageErg)\n"), Timeout: time.Minute})
	if !errors.Is(err, ErrPeerUnavailable) {
		t.Errorf("missing R package: got %v, want ErrPeerUnavailable", err)
	}
	_, err = RunPeer(ctx, Peer{Script: "fake.R", Source: []byte("stop('bad input')\n"), Timeout: time.Minute})
	if err == nil || errors.Is(err, ErrPeerUnavailable) || !strings.Contains(err.Error(), "bad input") {
		t.Errorf("failing R peer: got %v", err)
	}
}

// TestEmbeddedPeers checks that every suite's peer script is embedded.
func TestEmbeddedPeers(t *testing.T) {
	for _, name := range []string{"core.py", "tsc.py", "ebm.py", "fem.py", "modes.R"} {
		if s := peers.Script(name); !strings.Contains(string(s), `"ms"`) {
			t.Errorf("peer script %s missing or without an \"ms\" figure (%d bytes)", name, len(s))
		}
	}
}
