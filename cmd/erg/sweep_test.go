package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ergml/erg/ebm"
	"github.com/ergml/erg/sweep"
	"github.com/ergml/erg/tsc"
)

func writeSleepGrid(t *testing.T, path, id string, n int) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "{\n  \"id\": %q,\n  \"cells\": [\n", id)
	for i := range n {
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    {\"id\": \"c%d\", \"capability\": \"sleep\", \"seed\": %d, \"config\": {\"ms\": 20}}%s\n", i, 10+i, sep)
	}
	b.WriteString("  ]\n}\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runJSON(t *testing.T, v any, args ...string) int {
	t.Helper()
	var out, errb bytes.Buffer
	code := executeTo(append(args, "--json"), &out, &errb)
	if v != nil && code == 0 {
		if err := json.Unmarshal(out.Bytes(), v); err != nil {
			t.Errorf("erg %s: stdout is not one JSON object: %v: %q", strings.Join(args, " "), err, out.String())
		}
	}
	if code != 0 && v != nil {
		t.Logf("erg %s: exit %d: %s %s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return code
}

// TestSweepCommands: erg sweep run, status, results and retry on an embedded server,
// and a grid error naming its file, line and field.
func TestSweepCommands(t *testing.T) {
	tmp := t.TempDir()
	grid := filepath.Join(tmp, "demo.json")
	writeSleepGrid(t, grid, "demo", 6)
	dir := filepath.Join(tmp, "sw")
	var sum sweep.Summary
	if code := runJSON(t, &sum, "sweep", "run", grid, "--dir", dir, "--workers", "2"); code != 0 || sum.Done != 6 || sum.Sweep != "demo" {
		t.Fatalf("sweep run: exit %d, %+v", code, sum)
	}
	var st sweep.Status
	if code := runJSON(t, &st, "sweep", "status", "--dir", dir); code != 0 || st.Done != 6 || st.Cells != 6 {
		t.Errorf("sweep status: exit %d, %+v", code, st)
	}
	var out, errb bytes.Buffer
	if code := executeTo([]string{"sweep", "results", "--dir", dir, "--csv"}, &out, &errb); code != 0 || strings.Count(out.String(), "\n") != 7 || !strings.HasPrefix(out.String(), "cell,capability,seed,status") {
		t.Errorf("sweep results --csv: exit %d, %q", code, out.String())
	}
	var rr struct {
		Retried []string `json:"retried"`
	}
	if code := runJSON(t, &rr, "sweep", "retry", "--dir", dir); code != 0 || len(rr.Retried) != 0 {
		t.Errorf("sweep retry: exit %d, %+v", code, rr)
	}
	// Resuming a finished sweep (no GRID) runs nothing.
	if code := runJSON(t, &sum, "sweep", "run", "--dir", dir, "--workers", "1"); code != 0 || sum.Before != 6 {
		t.Errorf("sweep run (resume): exit %d, %+v", code, sum)
	}

	bad := filepath.Join(tmp, "bad.json")
	os.WriteFile(bad, []byte("{\"cells\": [\n  {\"id\": \"a\", \"capability\": \"noop\", \"seed\": 1},\n  {\"id\": \"b\", \"capability\": \"nosuch\", \"seed\": 2}\n]}\n"), 0o644)
	out.Reset()
	badDir := filepath.Join(tmp, "bad")
	code := executeTo([]string{"sweep", "run", bad, "--dir", badDir, "--json"}, &out, &errb)
	var je jsonError
	if err := json.Unmarshal(out.Bytes(), &je); err != nil || code != exitUsage || je.File != bad || je.Line != 3 || je.Field != "cells[1].capability" {
		t.Errorf("bad grid: exit %d, %s; want 64 naming %s line 3 cells[1].capability", code, out.String(), bad)
	}
	if _, err := os.Stat(badDir); err == nil {
		t.Errorf("a bad grid left %s", badDir)
	}
	for _, args := range [][]string{
		{"sweep", "run"},
		{"sweep", "status"},
		{"sweep", "run", grid, "--workers", "-1"},
		{"sweep", "run", grid, "--attempts", "0"},
		{"worker"},
		{"worker", "--nats", "nats://127.0.0.1:1", "--exit-when-done"},
		{"sweep", "serve"},
	} {
		t.Setenv("NATS_URL", "")
		if code := execute(args); code != exitUsage {
			t.Errorf("erg %s: exit %d, want 64", strings.Join(args, " "), code)
		}
	}
}

// TestSweepWorkerCommand: erg sweep run --nats (no local workers) and erg worker on
// a server of erg sweep serve's kind.
func TestSweepWorkerCommand(t *testing.T) {
	tmp := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	urls := make(chan string, 1)
	served := make(chan error, 1)
	go func() {
		served <- sweep.Serve(ctx, filepath.Join(tmp, "server"), sweep.ServerConfig{Listen: "127.0.0.1:0"}, func(u string) { urls <- u })
	}()
	var url string
	select {
	case url = <-urls:
	case err := <-served:
		t.Fatal(err)
	case <-time.After(20 * time.Second):
		t.Fatal("no server")
	}
	grid := filepath.Join(tmp, "remote.json")
	writeSleepGrid(t, grid, "remote", 5)
	type ran struct {
		code int
		sum  sweep.Summary
	}
	coord := make(chan ran, 1)
	go func() {
		var r ran
		r.code = runJSON(t, &r.sum, "sweep", "run", grid, "--nats", url, "--workers", "0", "--dir", filepath.Join(tmp, "sw"))
		coord <- r
	}()
	var stats sweep.WorkerStats
	if code := runJSON(t, &stats, "worker", "--nats", url, "--sweep", "remote", "--workers", "2", "--exit-when-done"); code != 0 || stats.Done != 5 {
		t.Errorf("erg worker: exit %d, %+v", code, stats)
	}
	select {
	case r := <-coord:
		if r.code != 0 || r.sum.Done != 5 {
			t.Errorf("erg sweep run --nats: exit %d, %+v", r.code, r.sum)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the coordinator did not finish")
	}
	var list struct {
		Sweeps []sweep.Info `json:"sweeps"`
	}
	if code := runJSON(t, &list, "sweep", "status", "--nats", url); code != 0 || len(list.Sweeps) != 1 || list.Sweeps[0].ID != "remote" {
		t.Errorf("sweep status --nats: exit %d, %+v", code, list)
	}
	cancel()
	<-served
}

// TestSweepTscBench: erg tsc bench --sweep writes the same results CSV (accuracies
// and seeds) as erg tsc bench.
func TestSweepTscBench(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	writeTscProblem(t, data, "TinyA")
	writeTscProblem(t, data, "TinyB")
	read := func(path string) []tsc.Result {
		rs, err := tsc.ReadResults(path)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	plain, swept := filepath.Join(tmp, "plain.csv"), filepath.Join(tmp, "swept.csv")
	args := []string{"tsc", "bench", "--data", data, "--models", "minirocket", "--set", "minirocket.num_features=168", "--runs", "2", "--workers", "2"}
	if code := execute(append(args, "--out", plain)); code != 0 {
		t.Fatalf("tsc bench: exit %d", code)
	}
	if code := execute(append(args, "--out", swept, "--sweep")); code != 0 {
		t.Fatalf("tsc bench --sweep: exit %d", code)
	}
	a, b := read(plain), read(swept)
	if len(a) != 4 || len(b) != 4 {
		t.Fatalf("%d and %d results, want 4", len(a), len(b))
	}
	for i := range a {
		if a[i].Dataset != b[i].Dataset || a[i].Model != b[i].Model || a[i].Run != b[i].Run || a[i].Seed != b[i].Seed || a[i].Accuracy != b[i].Accuracy {
			t.Errorf("row %d: bench %+v, bench --sweep %+v", i, a[i], b[i])
		}
	}
	// Resumed: everything is in the CSV already.
	if code := execute(append(args, "--out", swept, "--sweep")); code != 0 || len(read(swept)) != 4 {
		t.Errorf("tsc bench --sweep again: exit %d", code)
	}
}

// TestSweepEbmCompare: erg ebm compare --sweep makes the same table as erg ebm compare.
func TestSweepEbmCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("trains energies")
	}
	tmp := t.TempDir()
	args := []string{"ebm", "compare", "--data", "pinwheel", "--loss", "ed,dsm", "--seeds", "1", "--steps", "30", "--batch", "64",
		"--hidden", "16,16", "--grid", "32", "--samples", "64"}
	var plain, swept ebm.Comparison
	if code := runJSON(t, &plain, append(args, "--root", filepath.Join(tmp, "a"))...); code != 0 {
		t.Fatalf("ebm compare: exit %d", code)
	}
	if code := runJSON(t, &swept, append(args, "--root", filepath.Join(tmp, "b"), "--sweep", "--workers", "2")...); code != 0 {
		t.Fatalf("ebm compare --sweep: exit %d", code)
	}
	if len(plain.Cells) != 2 || len(swept.Cells) != 2 {
		t.Fatalf("cells: %d and %d, want 2", len(plain.Cells), len(swept.Cells))
	}
	for i := range plain.Cells {
		p, s := plain.Cells[i], swept.Cells[i]
		if p.Data != s.Data || p.Loss != s.Loss || len(p.NLL) != 1 || len(s.NLL) != 1 || math.Abs(p.NLL[0]-s.NLL[0]) > 1e-9 {
			t.Errorf("cell %d: compare %s/%s NLL %v, compare --sweep %s/%s NLL %v", i, p.Data, p.Loss, p.NLL, s.Data, s.Loss, s.NLL)
		}
	}
	for _, f := range []string{swept.CSV, swept.Figure, swept.Report} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}
