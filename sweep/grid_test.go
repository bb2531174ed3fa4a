package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ergml/erg/run"
)

const goodGrid = `{
  "id": "demo",
  "cells": [
    {"id": "a", "capability": "sleep", "seed": 1, "config": {"ms": 1}},
    {"id": "b", "capability": "noop", "seed": 2}
  ]
}
`

func TestParseGrid(t *testing.T) {
	g, err := ParseGrid("demo.json", []byte(goodGrid))
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != "demo" || len(g.Cells) != 2 || g.Cells[0].Seed != 1 || string(g.Cells[0].Config) != `{"ms": 1}` || g.Cells[1].Capability != "noop" {
		t.Errorf("grid %+v", g)
	}
	g, err = ParseGrid("dir/my grid.json", []byte(`{"cells": [{"id": "x", "capability": "noop", "seed": 0}]}`))
	if err != nil || g.ID != "my_grid" {
		t.Errorf("id from the file name: %+v, %v", g, err)
	}
}

// TestGridErrors: every bad grid is refused with a *run.FieldError naming the
// file, the line and the field.
func TestGridErrors(t *testing.T) {
	cases := []struct {
		name, grid string
		line       int
		field, msg string
	}{
		{"unknown capability", `{"cells": [
  {"id": "a", "capability": "noop", "seed": 1},
  {"id": "b",
   "capability": "nosuch", "seed": 2}
]}`, 4, "cells[1].capability", "unknown capability"},
		{"missing seed", `{"cells": [
  {"id": "a", "capability": "noop", "seed": 1},

  {"id": "b", "capability": "noop"}
]}`, 4, "cells[1].seed", "missing"},
		{"missing id", `{"cells": [{"capability": "noop", "seed": 1}]}`, 1, "cells[0].id", "missing"},
		{"duplicate id", `{"cells": [
  {"id": "a", "capability": "noop", "seed": 1},
  {"id": "b", "capability": "noop", "seed": 2},
  {"id": "a", "capability": "noop", "seed": 3}
]}`, 4, "cells[2].id", "first on line 2"},
		{"bad seed", `{"cells": [
  {"id": "a", "capability": "noop", "seed": -1}]}`, 2, "cells[0].seed", "non-negative integer"},
		{"bad id", `{"cells": [{"id": "a b", "capability": "noop", "seed": 1}]}`, 1, "cells[0].id", "a cell id is"},
		{"unknown cell field", `{"cells": [
  {"id": "a", "capability": "noop", "seed": 1,
   "sede": 2}]}`, 3, "cells[0].sede", "unknown field"},
		{"config checked", `{"cells": [
  {"id": "a", "capability": "sleep", "seed": 1, "config": {
     "runlog": "x",
     "ms": -5}}]}`, 4, "cells[0].config.ms", "must not be negative"},
		{"no cells", `{"id": "x", "cells": []}`, 1, "cells", "no cells"},
		{"not JSON", "{\"cells\": [\n  {\"id\": \"a\",,}\n]}", 2, "grid", "not valid JSON"},
		{"bad sweep id", `{"id": "a.b", "cells": []}`, 1, "id", "sweep id"},
	}
	for _, c := range cases {
		_, err := ParseGrid("g.json", []byte(c.grid))
		var fe *run.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: error %v, want a *run.FieldError", c.name, err)
			continue
		}
		if fe.File != "g.json" || fe.Line != c.line || fe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %q (file %q line %d field %q); want g.json line %d field %q containing %q", c.name, err, fe.File, fe.Line, fe.Field, c.line, c.field, c.msg)
		}
	}
}

// TestBadGridEnqueuesNothing: a grid that fails validation makes no sweep
// directory and no stream.
func TestBadGridEnqueuesNothing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	g := sleepGrid("bad", 3, 1, "")
	g.Cells[2].Capability = "nosuch"
	dir := filepath.Join(t.TempDir(), "sw")
	if _, err := Run(ctx, RunConfig{Grid: g, Dir: dir, Workers: 1, Quiet: true, NoMeter: true}); err == nil {
		t.Fatal("Run accepted a grid with an unknown capability")
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("Run made %s for a bad grid", dir)
	}
	srv, conn := testServer(t)
	defer srv.Shutdown()
	defer conn.Close()
	if _, err := conn.CreateSweep(ctx, g, Settings{}); err == nil {
		t.Fatal("CreateSweep accepted a bad grid")
	}
	if _, err := conn.JS.Stream(ctx, StreamName("bad")); err == nil {
		t.Error("a stream was made for a bad grid")
	}
}

func testServer(t *testing.T) (*Server, *Conn) {
	t.Helper()
	srv, err := StartServer(ServerConfig{StoreDir: filepath.Join(t.TempDir(), "js")})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := Connect(srv.URL(), ConnectOptions{})
	if err != nil {
		srv.Shutdown()
		t.Fatal(err)
	}
	return srv, conn
}

// TestStoreOnce: a second result for a cell (a redelivered cell racing a slow
// worker) is not stored; the first stays.
func TestStoreOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, conn := testServer(t)
	defer srv.Shutdown()
	defer conn.Close()
	sw, err := conn.CreateSweep(ctx, sleepGrid("dup", 2, 1, ""), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	first := Result{Cell: "c00", Status: StatusDone, Output: json.RawMessage(`{"v":1}`), Worker: "slow"}
	second := Result{Cell: "c00", Status: StatusDone, Output: json.RawMessage(`{"v":2}`), Worker: "fast"}
	if ok, err := sw.Store(ctx, first); !ok || err != nil {
		t.Fatalf("first Store: %v, %v", ok, err)
	}
	if ok, err := sw.Store(ctx, second); ok || err != nil {
		t.Fatalf("second Store: stored %v, %v; want not stored, no error", ok, err)
	}
	r, err := sw.Result(ctx, "c00")
	if err != nil || r == nil || string(r.Output) != `{"v":1}` || r.Worker != "slow" {
		t.Errorf("stored result %+v (%v); want the first", r, err)
	}
	if n, _ := sw.ResultRevisions(ctx, "c00"); n != 1 {
		t.Errorf("result written %d times, want once", n)
	}
	// Enqueueing twice puts one message per cell on the queue.
	if n, err := sw.Enqueue(ctx, sleepGrid("dup", 2, 1, "").Cells, ""); n != 1 || err != nil {
		t.Errorf("Enqueue: %d, %v; want 1 (c00 has a result)", n, err)
	}
	if n, err := sw.Enqueue(ctx, sleepGrid("dup", 2, 1, "").Cells, ""); n != 0 || err != nil {
		t.Errorf("second Enqueue: %d, %v; want 0", n, err)
	}
	if ok, err := sw.publish(ctx, sleepGrid("dup", 2, 1, "").Cells[1], "other"); ok || err != nil {
		t.Errorf("publishing a queued cell: %v, %v; want refused", ok, err)
	}
	st, err := sw.Status(ctx)
	if err != nil || st.Cells != 2 || st.Done != 1 || st.Queued != 1 {
		t.Errorf("status %+v, %v", st, err)
	}
	// A changed cell is refused.
	g := sleepGrid("dup", 2, 1, "")
	g.Cells[1].Seed = 99
	if _, err := conn.CreateSweep(ctx, g, Settings{}); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("a changed cell: %v", err)
	}
}

// TestFailAndRetry: a cell failing every attempt is recorded failed with its error
// after Attempts runs; Retry runs it again.
func TestFailAndRetry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	tmp := t.TempDir()
	flag := filepath.Join(tmp, "fail")
	os.WriteFile(flag, nil, 0o644)
	runlog := filepath.Join(tmp, "runs.log")
	g := sleepGrid("retry", 3, 1, "")
	cfg, _ := json.Marshal(SleepConfig{MS: 1, FailIfExists: flag, RunLog: runlog})
	g.Cells[1].Config = cfg
	dir := filepath.Join(tmp, "sw")
	sum, err := Run(ctx, RunConfig{Grid: g, Dir: dir, Workers: 2, Quiet: true, NoMeter: true, Settings: Settings{Attempts: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 2 || sum.Failed != 1 || len(sum.FailedCells) != 1 || !strings.Contains(sum.FailedCells[0].Error, "failing as asked") {
		t.Fatalf("summary %+v", sum)
	}
	if n := count(readRunLog(t, runlog), "start"); n != 2 {
		t.Errorf("the failing cell ran %d times, want 2 (Attempts)", n)
	}
	os.Remove(flag)
	sw, closeSweep, err := OpenDir(ctx, dir, ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := sw.Retry(ctx)
	closeSweep()
	if err != nil || len(ids) != 1 || ids[0] != "c01" {
		t.Fatalf("Retry: %v, %v", ids, err)
	}
	sum, err = Run(ctx, RunConfig{Dir: dir, Workers: 1, Quiet: true, NoMeter: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 3 || sum.Failed != 0 || sum.Before != 2 {
		t.Errorf("after retry: %+v", sum)
	}
}
