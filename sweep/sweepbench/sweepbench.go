// Package sweepbench is the `erg bench sweep` suite: what package sweep costs per cell
// on one machine, and how a CPU-bound grid scales from one worker to two.
//
// Workloads, on an embedded NATS server with JetStream (file store in a temporary
// directory) and workers connected over loopback TCP as erg worker processes are:
//
//   - overhead: a no-op cell enqueued alone with an idle worker waiting, timed from
//     the publish to the coordinator's notice of its stored result (the worker's
//     pull, its result check, the key-value Create and the acknowledgement included);
//     the median over Config.Cells cells, target ≤ 5 ms;
//   - throughput: Config.Cells no-op cells enqueued at once for two workers, wall
//     time per cell;
//   - scaling: a grid of Config.SpinCells CPU-bound "spin" cells of about
//     Config.SpinMS each, run by one worker and then by two; the ratio of the wall
//     times is the speed-up (2 at best on a 2-core machine with nothing else running).
//
// There is no peer program: the report's peer_error is "no peer".
package sweepbench

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/sweep"
)

// Config configures Run; zero values are documented defaults.
type Config struct {
	Cells     int // no-op cells for the overhead and throughput (0: 200)
	SpinCells int // CPU-bound cells of the scaling grid (0: 8)
	SpinMS    int // about how long one spin cell runs, in milliseconds (0: 200)
}

// TargetOverheadMS is the overhead per cell aimed at (median, loopback).
const TargetOverheadMS = 5

// Run runs the suite.
func Run(ctx context.Context, cfg Config) (*bench.Report, error) {
	if cfg.Cells <= 0 {
		cfg.Cells = 200
	}
	if cfg.SpinCells <= 0 {
		cfg.SpinCells = 8
	}
	if cfg.SpinMS <= 0 {
		cfg.SpinMS = 200
	}
	rep := bench.Start("sweep", "erg sweep: embedded nats-server 2.15.3 with JetStream (file store), workers over loopback TCP")
	rep.PeerError = "no peer"
	tmp, err := os.MkdirTemp("", "erg-bench-sweep-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	srv, err := sweep.StartServer(sweep.ServerConfig{StoreDir: filepath.Join(tmp, "js")})
	if err != nil {
		return nil, err
	}
	defer srv.Shutdown()
	coord, err := sweep.Connect(srv.URL(), sweep.ConnectOptions{Name: "bench coordinator"})
	if err != nil {
		return nil, err
	}
	defer coord.Close()

	// Overhead: one cell at a time.
	lat, err := overhead(ctx, coord, srv.URL(), cfg.Cells)
	if err != nil {
		return nil, err
	}
	med, p90 := quantile(lat, 0.5), quantile(lat, 0.9)
	rep.Add(bench.Figure{Name: "overhead", Title: "no-op cell alone, enqueue -> result stored (median ms)", ErgMS: med})
	verdict := "met"
	if med > TargetOverheadMS {
		verdict = "NOT met"
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("overhead per cell: median %.2f ms, 90%% %.2f ms, min %.2f ms over %d cells; target <= %d ms %s",
		med, p90, slices.Min(lat), len(lat), TargetOverheadMS, verdict))
	rep.SetExtra("overhead_ms", map[string]any{"median": med, "p90": p90, "min": slices.Min(lat), "max": slices.Max(lat), "cells": len(lat), "target": TargetOverheadMS})

	// Throughput: all at once, two workers.
	wall, err := grid(ctx, coord, srv.URL(), "throughput", noops(cfg.Cells), 2)
	if err != nil {
		return nil, err
	}
	rep.Add(bench.Figure{Name: "throughput", Title: fmt.Sprintf("%d no-op cells at once, 2 workers (ms per cell)", cfg.Cells), ErgMS: wall / float64(cfg.Cells)})

	// Scaling of a CPU-bound grid.
	iters := calibrate(cfg.SpinMS)
	// 1, 2, 1, 2 workers; the faster of each pair counts (the least disturbed by
	// other programs).
	walls := [2]float64{math.Inf(1), math.Inf(1)}
	for rep := range 2 {
		for k := 1; k <= 2; k++ {
			cells := make([]sweep.Cell, cfg.SpinCells)
			for i := range cells {
				b, _ := json.Marshal(sweep.SpinConfig{Iterations: iters})
				cells[i] = sweep.Cell{ID: fmt.Sprintf("spin%03d", i), Capability: "spin", Seed: uint64(i + 1), Config: b}
			}
			wall, err := grid(ctx, coord, srv.URL(), fmt.Sprintf("scaling-%d-%d", k, rep), cells, k)
			if err != nil {
				return nil, err
			}
			walls[k-1] = math.Min(walls[k-1], wall)
		}
	}
	for k := 1; k <= 2; k++ {
		rep.Add(bench.Figure{Name: fmt.Sprintf("spin_%dworker", k), Title: fmt.Sprintf("%d CPU-bound cells of ~%d ms, %d worker(s) (ms wall, best of 2)", cfg.SpinCells, cfg.SpinMS, k), ErgMS: walls[k-1]})
	}
	ratio := walls[0] / walls[1]
	rep.Notes = append(rep.Notes, fmt.Sprintf("scaling from 1 to 2 workers: wall time ratio %.2f (2.00 is perfect on 2 free cores)", ratio))
	rep.SetExtra("scaling_1_to_2", ratio)
	rep.SetExtra("spin_iterations", iters)
	rep.Finish()
	return rep, nil
}

func noops(n int) []sweep.Cell {
	cells := make([]sweep.Cell, n)
	for i := range cells {
		cells[i] = sweep.Cell{ID: fmt.Sprintf("noop%04d", i), Capability: "noop", Seed: uint64(i)}
	}
	return cells
}

// startWorkers starts k workers of sweep id, each on its own loopback connection.
func startWorkers(ctx context.Context, url, id string, k int) (stop func(), err error) {
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{}, k)
	var conns []*sweep.Conn
	for i := range k {
		c, err := sweep.Connect(url, sweep.ConnectOptions{Name: fmt.Sprintf("bench worker %d", i)})
		if err != nil {
			cancel()
			return nil, err
		}
		conns = append(conns, c)
		w := &sweep.Worker{Conn: c, Sweep: id, Name: fmt.Sprintf("bench/%d", i), Threads: 1, Poll: 300 * time.Millisecond}
		go func() { w.Run(wctx); done <- struct{}{} }()
	}
	return func() {
		cancel()
		for range k {
			<-done
		}
		for _, c := range conns {
			c.Close()
		}
	}, nil
}

// overhead enqueues n no-op cells one at a time, each once the previous one's
// result is stored, and returns the milliseconds from publish to stored.
func overhead(ctx context.Context, coord *sweep.Conn, url string, n int) ([]float64, error) {
	cells := noops(n)
	sw, err := coord.CreateSweep(ctx, &sweep.Grid{ID: "overhead", Cells: cells}, sweep.Settings{})
	if err != nil {
		return nil, err
	}
	stop, err := startWorkers(ctx, url, sw.ID, 1)
	if err != nil {
		return nil, err
	}
	defer stop()
	results, stopWatch, err := sw.WatchResults(ctx)
	if err != nil {
		return nil, err
	}
	defer stopWatch()
	time.Sleep(100 * time.Millisecond) // the worker's first pull is waiting
	var lat []float64
	for i, c := range cells {
		t0 := time.Now()
		if _, err := sw.Publish(ctx, c, ""); err != nil {
			return nil, err
		}
		select {
		case r, ok := <-results:
			if !ok {
				return nil, fmt.Errorf("sweepbench: results watch closed")
			}
			if r.Cell != c.ID {
				return nil, fmt.Errorf("sweepbench: result of %s while waiting for %s", r.Cell, c.ID)
			}
		case <-time.After(10 * time.Second):
			return nil, fmt.Errorf("sweepbench: no result for %s in 10 s", c.ID)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if i >= 5 { // the first few warm up the connections
			lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		}
	}
	return lat, nil
}

// grid runs cells as sweep id with k workers and returns the wall milliseconds from
// the first publish to the last result stored.
func grid(ctx context.Context, coord *sweep.Conn, url, id string, cells []sweep.Cell, k int) (float64, error) {
	sw, err := coord.CreateSweep(ctx, &sweep.Grid{ID: id, Cells: cells}, sweep.Settings{})
	if err != nil {
		return 0, err
	}
	stop, err := startWorkers(ctx, url, id, k)
	if err != nil {
		return 0, err
	}
	defer stop()
	results, stopWatch, err := sw.WatchResults(ctx)
	if err != nil {
		return 0, err
	}
	defer stopWatch()
	time.Sleep(100 * time.Millisecond)
	t0 := time.Now()
	for _, c := range cells {
		if _, err := sw.Publish(ctx, c, ""); err != nil {
			return 0, err
		}
	}
	seen := map[string]bool{}
	timeout := time.After(5 * time.Minute)
	for len(seen) < len(cells) {
		select {
		case r, ok := <-results:
			if !ok {
				return 0, fmt.Errorf("sweepbench: results watch closed")
			}
			if r.Status != sweep.StatusDone {
				return 0, fmt.Errorf("sweepbench: cell %s failed: %s", r.Cell, r.Error)
			}
			seen[r.Cell] = true
		case <-timeout:
			return 0, fmt.Errorf("sweepbench: %s: %d of %d results after 5 minutes", id, len(seen), len(cells))
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return float64(time.Since(t0).Microseconds()) / 1000, nil
}

// calibrate returns the spin iterations of about ms milliseconds on this machine.
func calibrate(ms int) int {
	const probe = 20_000_000
	b, _ := json.Marshal(sweep.SpinConfig{Iterations: probe})
	t0 := time.Now()
	sweep.Spin.Run(context.Background(), sweep.Cell{Seed: 1, Config: b})
	perIter := time.Since(t0).Seconds() / probe
	return max(1, int(float64(ms)/1000/perIter))
}

func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := q * float64(len(s)-1)
	lo := int(i)
	if lo+1 >= len(s) {
		return s[lo]
	}
	f := i - float64(lo)
	return s[lo]*(1-f) + s[lo+1]*f
}
