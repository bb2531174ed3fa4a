package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// sleepGrid returns a grid of n "sleep" cells of ms milliseconds, seeds 100+i.
func sleepGrid(id string, n, ms int, runlog string) *Grid {
	g := &Grid{ID: id}
	for i := range n {
		cfg, _ := json.Marshal(SleepConfig{MS: ms, RunLog: runlog})
		g.Cells = append(g.Cells, Cell{ID: fmt.Sprintf("c%02d", i), Capability: "sleep", Seed: uint64(100 + i), Config: cfg})
	}
	return g
}

func TestRunLocal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sw")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	g := sleepGrid("local", 12, 20, "")
	sum, err := Run(ctx, RunConfig{Grid: g, Dir: dir, Workers: 3, Quiet: true, NoMeter: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 12 || sum.Failed != 0 || len(sum.Results) != 12 {
		t.Fatalf("summary %+v", sum)
	}
	for i, r := range sum.Results {
		var out SleepOutput
		if err := json.Unmarshal(r.Output, &out); err != nil || out.Seed != uint64(100+i) {
			t.Errorf("cell %d: output %s (%v)", i, r.Output, err)
		}
	}
	// Resuming a finished sweep runs nothing.
	sum, err = Run(ctx, RunConfig{Dir: dir, Workers: 2, Quiet: true, NoMeter: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Before != 12 || sum.Done != 12 {
		t.Errorf("resumed summary %+v", sum)
	}
}

// TestWorkerOfEverySweep: a worker without a sweep id runs the cells of sweeps made
// after it started, from the registry.
func TestWorkerOfEverySweep(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	srv, conn := testServer(t)
	defer srv.Shutdown()
	defer conn.Close()
	wctx, stop := context.WithCancel(ctx)
	w := &Worker{Conn: conn, Poll: 200 * time.Millisecond}
	done := make(chan struct{})
	go func() { w.Run(wctx); close(done) }()
	for _, id := range []string{"first", "second"} {
		g := sleepGrid(id, 3, 1, "")
		sw, err := conn.CreateSweep(ctx, g, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := sw.Enqueue(ctx, g.Cells, ""); n != 3 || err != nil {
			t.Fatalf("Enqueue: %d, %v", n, err)
		}
		for {
			st, err := sw.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Done == 3 {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("sweep %s: %+v", id, st)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	stop()
	<-done
	if s := w.Stats(); s.Done != 6 {
		t.Errorf("worker stats %+v, want 6 done", s)
	}
}
