package bench

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParsePeer(t *testing.T) {
	out := []byte("warming up\n{\"peer\": \"P 1.0\", \"threads\": 2, \"ms\": {\"a\": 2.5, \"b\": 10}}\n\n")
	r, err := ParsePeer("x", out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Peer != "P 1.0" || r.MS["a"] != 2.5 || r.MS["b"] != 10 || r.Info["threads"] != 2.0 {
		t.Errorf("parsed %+v", r)
	}
	for _, bad := range []string{"", "not json", `{"peer": "p"}`} {
		if _, err := ParsePeer("x", []byte(bad)); err == nil {
			t.Errorf("ParsePeer(%q) succeeded", bad)
		}
	}
}

func TestReport(t *testing.T) {
	r := &Report{Suite: "s", Erg: "go", Figures: []Figure{
		{Name: "a", Title: "workload A", ErgMS: 3, Goal: 1}, {Name: "c", Title: "workload C", ErgMS: 1}}}
	r.SetPeer(&PeerResult{Peer: "P", MS: map[string]float64{"a": 2}}, nil)
	if got := r.Figures[0].Ratio; got != 1.5 {
		t.Errorf("ratio %g, want 1.5", got)
	}
	if r.Figures[1].PeerMS != 0 || r.Figures[1].Ratio != 0 {
		t.Errorf("workload without peer figure got %+v", r.Figures[1])
	}
	var b strings.Builder
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"workload A", "1.50x", "<=1x", "workload C"} {
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
	if desc, _ := Machine(); !strings.Contains(desc, "CPUs") {
		t.Errorf("Machine() = %q", desc)
	}
	r2 := &Report{Suite: "s"}
	r2.SetPeer(nil, errors.New("boom"))
	if r2.PeerError != "boom" {
		t.Errorf("PeerError %q", r2.PeerError)
	}
}

func TestRunPython(t *testing.T) {
	if _, err := os.Stat(Python); err != nil {
		t.Skipf("%s not installed", Python)
	}
	ctx := context.Background()
	script := []byte("import sys, json\nprint('noise')\nprint(json.dumps({'peer': 'py', 'ms': {'w': float(sys.argv[1])}}))\n")
	r, err := RunPython(ctx, "t.py", script, []string{"4.5"}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if r.Peer != "py" || r.MS["w"] != 4.5 {
		t.Errorf("got %+v", r)
	}
	_, err = RunPython(ctx, "t.py", []byte("import no_such_module_erg\n"), nil, time.Minute)
	if !errors.Is(err, ErrPeerUnavailable) {
		t.Errorf("missing module: got %v, want ErrPeerUnavailable", err)
	}
	_, err = RunPython(ctx, "t.py", []byte("raise SystemExit('bad input')\n"), nil, time.Minute)
	if err == nil || errors.Is(err, ErrPeerUnavailable) || !strings.Contains(err.Error(), "bad input") {
		t.Errorf("failing script: got %v", err)
	}
	_, err = RunPython(ctx, "t.py", []byte("import time\ntime.sleep(30)\n"), nil, 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("slow script: got %v", err)
	}
}
