package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/run"
	"github.com/nats-io/nats.go/jetstream"
)

// Files of a sweep directory besides the run directory's own.
const (
	GridFile    = "grid.json"     // the grid, as validated
	ResultsFile = "results.jsonl" // one Result per cell of the grid, in grid order, at the end
	ServerFile  = "server.json"   // the embedded server's URL while a coordinator or erg sweep serve runs
	StoreDir    = "jetstream"     // the embedded server's file store
)

// ErrLocked is returned when a sweep directory is in use by another process.
var ErrLocked = errors.New("sweep: the directory is in use by another coordinator or erg sweep serve")

// RunConfig configures Run. The zero values of the optional fields are documented
// defaults.
type RunConfig struct {
	// Grid is the sweep's grid; nil to resume the sweep in Dir with its recorded grid.
	Grid *Grid
	// Dir is the sweep directory: a run directory (config.json, summary.json,
	// report.html, ...) holding the grid, the results at the end and, with the
	// embedded server, its store. A directory holding a sweep is resumed: the store
	// remembers every result, so no finished cell runs again. "" makes a new run
	// directory Root/<time>-sweep-<id>.
	Dir  string
	Root string // for Dir == "" ("" means run.DefaultRoot)
	// NATS is the URL of an external server (comma-separated for a cluster); ""
	// starts an embedded server with its store in Dir.
	NATS    string
	Connect ConnectOptions // credentials for NATS (the embedded server requires the same)
	// Listen is the embedded server's address ("" means 127.0.0.1 with a random
	// port; give a fixed one for erg worker processes that must survive a restart of
	// the coordinator).
	Listen string
	// Workers is the number of local worker goroutines (0: none; cells are then run
	// only by erg worker processes).
	Workers int
	// Threads is the number of CPU threads of each local cell (0: cores/Workers).
	Threads  int
	Settings Settings
	// Files, if set, is a directory into which the files of every finished cell are
	// copied at the end (see Cell.Dir).
	Files string
	// Progress gets the progress display (nil: standard error) unless Quiet.
	Progress io.Writer
	Quiet    bool
	// Log, if not nil, gets the local workers' line per cell.
	Log     io.Writer
	NoMeter bool
}

// record is a sweep directory's config.json.
type record struct {
	Sweep    string  `json:"sweep"`
	Grid     string  `json:"grid"`
	Cells    int     `json:"cells"`
	Server   string  `json:"server"` // "embedded", or the external server's URL without credentials
	AckWait  float64 `json:"ack_wait_seconds"`
	Attempts int     `json:"attempts"`
}

// Validate implements run.Config.
func (r *record) Validate() error {
	if !sweepIDRE.MatchString(r.Sweep) {
		return run.Invalid("sweep", r.Sweep, "a sweep id is 1 to 64 letters, digits, '-' or '_'")
	}
	if r.Cells < 1 {
		return run.Invalid("cells", r.Cells, "a sweep has at least one cell")
	}
	if r.AckWait <= 0 {
		return run.Invalid("ack-wait", r.AckWait, "must be positive")
	}
	if r.Attempts < 1 {
		return run.Invalid("attempts", r.Attempts, "must be at least 1")
	}
	return nil
}

func (r *record) settings() Settings {
	return Settings{AckWait: time.Duration(r.AckWait * float64(time.Second)), Attempts: r.Attempts}
}

// Summary is the outcome of Run.
type Summary struct {
	Sweep       string       `json:"sweep"`
	Dir         string       `json:"dir"`
	Server      string       `json:"server"` // the server's URL, without credentials
	Cells       int          `json:"cells"`
	Done        int          `json:"done"`
	Failed      int          `json:"failed"`
	Before      int          `json:"before"`       // cells with a result when this session started
	Seconds     float64      `json:"seconds"`      // this session's wall time
	CellSeconds float64      `json:"cell_seconds"` // the runners' time summed over the grid's results
	Workers     int          `json:"workers"`      // local workers
	Report      string       `json:"report"`
	FailedCells []FailedCell `json:"failed_cells,omitempty"`
	// Results are the grid's results in grid order (also in Dir/results.jsonl).
	Results []Result `json:"-"`
}

// FailedCell is a failed cell of a summary.
type FailedCell struct {
	Cell  string `json:"cell"`
	Error string `json:"error"`
}

// serverInfo is the content of ServerFile.
type serverInfo struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

// Run runs a sweep from start (or resumption) to its end, as one run directory: it
// starts the embedded server (or connects to cfg.NATS), creates or opens the sweep,
// starts cfg.Workers local workers, enqueues every cell without a result, shows
// progress (cells done, running, failed, ETA) until every cell of the grid has a
// result, and writes the results and the summary. A cell that fails is recorded
// failed; Run still finishes (Summary.Failed counts them; erg sweep retry re-runs
// them). A cancelled ctx stops the local workers (their cells go back to the queue)
// and marks the run interrupted: Run on the same Dir resumes it.
func Run(ctx context.Context, cfg RunConfig) (*Summary, error) {
	if cfg.Workers < 0 {
		return nil, run.Invalid("workers", cfg.Workers, "must not be negative")
	}
	if err := cfg.Connect.Check(); err != nil {
		return nil, err
	}
	exp, grid, rec, resumed, unlock, err := startDir(cfg)
	if err != nil {
		return nil, err
	}
	defer unlock()
	sum, err := runSweep(ctx, cfg, exp, grid, rec, resumed)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = fmt.Errorf("%w; continue with the same --dir %s", err, exp.Dir.Path)
		}
		return sum, exp.Fail(err)
	}
	return sum, nil
}

// startDir opens or makes the sweep directory, locked (before anything is written
// to it), and returns its experiment, grid and record.
func startDir(cfg RunConfig) (exp *run.Experiment, grid *Grid, rec *record, resumed bool, unlock func(), err error) {
	unlock = func() {}
	exp, grid, rec, resumed, err = openDir(cfg, func(dir string) error {
		u, err := lockDir(dir)
		if err != nil {
			return fmt.Errorf("%w: %s", err, dir)
		}
		unlock = u
		return nil
	})
	if err != nil {
		unlock()
		return nil, nil, nil, false, func() {}, err
	}
	return exp, grid, rec, resumed, unlock, nil
}

func openDir(cfg RunConfig, lock func(dir string) error) (*run.Experiment, *Grid, *record, bool, error) {
	opt := run.Options{Root: cfg.Root, Progress: cfg.Progress, Quiet: cfg.Quiet, NoMeter: cfg.NoMeter}
	server := "embedded"
	if cfg.NATS != "" {
		server = Redact(cfg.NATS)
	}
	set := cfg.Settings.WithDefaults()
	resumed := false
	if cfg.Dir != "" {
		if _, err := os.Stat(filepath.Join(cfg.Dir, run.ConfigFile)); err == nil {
			resumed = true
		} else if ents, err := os.ReadDir(cfg.Dir); err == nil && len(ents) > 0 && !(len(ents) == 1 && ents[0].Name() == "lock") {
			return nil, nil, nil, false, &run.FieldError{Field: "dir", Value: cfg.Dir, Reason: "exists and is not a sweep directory (no " + run.ConfigFile + ")"}
		}
	}
	grid := cfg.Grid
	if resumed {
		var rec record
		b, err := os.ReadFile(filepath.Join(cfg.Dir, run.ConfigFile))
		if err == nil {
			err = json.Unmarshal(b, &rec)
		}
		if err != nil {
			return nil, nil, nil, false, fmt.Errorf("sweep: %s: %w", cfg.Dir, err)
		}
		if (rec.Server == "embedded") != (cfg.NATS == "") {
			was := "the embedded server (no --nats)"
			if rec.Server != "embedded" {
				was = rec.Server
			}
			return nil, nil, nil, false, &run.FieldError{Field: "nats", Value: server,
				Reason: fmt.Sprintf("the sweep in %s lives on %s: resume it there", cfg.Dir, was)}
		}
		if grid == nil {
			g, err := ReadGrid(filepath.Join(cfg.Dir, GridFile))
			if err != nil {
				return nil, nil, nil, false, err
			}
			grid = g
		} else if grid.ID != rec.Sweep {
			return nil, nil, nil, false, &run.FieldError{Field: "id", Value: grid.ID, File: grid.File,
				Reason: fmt.Sprintf("the sweep in %s is %q: give its grid, or a new --dir", cfg.Dir, rec.Sweep)}
		}
		if err := grid.Validate(); err != nil {
			return nil, nil, nil, false, err
		}
		if err := lock(cfg.Dir); err != nil {
			return nil, nil, nil, false, err
		}
		opt.Resume = cfg.Dir
		exp, err := run.Start(opt, "sweep", &rec, func() {
			rec.Cells = len(grid.Cells)
			rec.Server = server
			if grid.File != "" && grid.File != filepath.Join(cfg.Dir, GridFile) {
				rec.Grid = grid.File
			}
		})
		if err != nil {
			return nil, nil, nil, false, err
		}
		return exp, grid, &rec, true, nil
	}
	if grid == nil {
		return nil, nil, nil, false, &run.FieldError{Field: "grid", Reason: "no grid given, and no sweep to resume"}
	}
	if err := grid.Validate(); err != nil {
		return nil, nil, nil, false, err
	}
	rec := &record{Sweep: grid.ID, Grid: grid.File, Cells: len(grid.Cells), Server: server, AckWait: set.AckWait.Seconds(), Attempts: set.Attempts}
	if err := rec.Validate(); err != nil {
		return nil, nil, nil, false, err
	}
	if cfg.Dir == "" {
		opt.Name = "sweep-" + grid.ID
		exp, err := run.Start(opt, "sweep", rec, nil)
		if err == nil {
			if err = lock(exp.Dir.Path); err != nil {
				exp.Fail(err)
			}
		}
		return exp, grid, rec, false, err
	}
	// A new sweep in the directory asked for: make it a run directory there.
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, nil, nil, false, fmt.Errorf("sweep: %w", err)
	}
	if err := lock(cfg.Dir); err != nil {
		return nil, nil, nil, false, err
	}
	if _, err := os.Stat(filepath.Join(cfg.Dir, run.ConfigFile)); err == nil {
		return nil, nil, nil, false, fmt.Errorf("%w: %s (a sweep was started there at the same time)", ErrLocked, cfg.Dir)
	}
	d := &run.Dir{Path: cfg.Dir}
	if err := d.WriteJSON(run.ConfigFile, rec); err != nil {
		return nil, nil, nil, false, err
	}
	opt.Resume = cfg.Dir
	exp, err := run.Start(opt, "sweep", rec, nil)
	return exp, grid, rec, false, err
}

func runSweep(ctx context.Context, cfg RunConfig, exp *run.Experiment, grid *Grid, rec *record, resumed bool) (*Summary, error) {
	start := time.Now()
	dir := exp.Dir.Path
	sum := &Summary{Sweep: grid.ID, Dir: dir, Cells: len(grid.Cells), Workers: cfg.Workers}
	var g bytes.Buffer
	if err := WriteGrid(&g, &Grid{ID: grid.ID, Cells: grid.Cells}); err != nil {
		return sum, err
	}
	if err := atomicfile.Write(filepath.Join(dir, GridFile), g.Bytes()); err != nil {
		return sum, err
	}
	var conn *Conn
	if cfg.NATS == "" {
		srv, err := StartServer(ServerConfig{StoreDir: filepath.Join(dir, StoreDir), Listen: cfg.Listen,
			User: cfg.Connect.User, Password: cfg.Connect.Password, Token: cfg.Connect.Token})
		if err != nil {
			return sum, err
		}
		defer srv.Shutdown()
		sum.Server = srv.URL()
		b, _ := json.Marshal(serverInfo{URL: srv.URL(), PID: os.Getpid()})
		if err := atomicfile.Write(filepath.Join(dir, ServerFile), b); err != nil {
			return sum, err
		}
		defer os.Remove(filepath.Join(dir, ServerFile))
		if conn, err = srv.Connect(cfg.Connect); err != nil {
			return sum, err
		}
	} else {
		sum.Server = Redact(cfg.NATS)
		var err error
		if conn, err = Connect(cfg.NATS, cfg.Connect); err != nil {
			return sum, err
		}
	}
	defer conn.Close()
	sw, err := conn.CreateSweep(ctx, grid, rec.settings())
	if err != nil {
		return sum, err
	}
	if cfg.NATS == "" && resumed {
		// The embedded server just started: cells its workers held when the last
		// coordinator stopped or died run again now, not after the ack wait.
		if err := sw.redeliverNow(ctx); err != nil {
			return sum, err
		}
	}
	var p *run.Progress // made once the results before this session are known

	// Local workers.
	wctx, stopWorkers := context.WithCancel(ctx)
	var wg sync.WaitGroup
	threads := cfg.Threads
	if threads <= 0 && cfg.Workers > 0 {
		threads = max(1, runtime.NumCPU()/cfg.Workers)
	}
	host := DefaultWorkerName()
	for i := range cfg.Workers {
		wk := &Worker{Conn: conn, Sweep: grid.ID, Name: fmt.Sprintf("%s/%d", host, i), WorkDir: filepath.Join(dir, "work"), Threads: threads, Log: cfg.Log, Poll: 500 * time.Millisecond}
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk.Run(wctx)
		}()
	}
	defer func() {
		stopWorkers()
		wg.Wait()
	}()

	// Watch the results first, so that none is missed, then enqueue.
	watch, err := sw.kv.Watch(ctx, "result.>")
	if err != nil {
		return sum, fmt.Errorf("sweep %s: watching results: %w", grid.ID, err)
	}
	defer watch.Stop()
	want := make(map[string]bool, len(grid.Cells))
	for _, c := range grid.Cells {
		want[c.ID] = true
	}
	results := map[string]Result{}
	initial := true
	apply := func(e jetstream.KeyValueEntry) {
		id := strings.TrimPrefix(e.Key(), "result.")
		if e.Operation() != jetstream.KeyValuePut {
			delete(results, id)
			return
		}
		var r Result
		if json.Unmarshal(e.Value(), &r) != nil || !want[r.Cell] {
			return
		}
		_, had := results[r.Cell]
		results[r.Cell] = r
		if !had && !initial && r.Status == StatusFailed && p != nil {
			p.Printf("cell %s FAILED: %s", r.Cell, oneLine(r.Error))
		}
	}
	for initial {
		select {
		case e := <-watch.Updates():
			if e == nil {
				initial = false
				break
			}
			apply(e)
		case <-ctx.Done():
			return sum, ctx.Err()
		}
	}
	sum.Before = len(results)
	p = exp.Progress("cell", len(grid.Cells), sum.Before)
	defer p.Finish()
	p.Printf("sweep %s: %d cells, server %s, %d local workers", grid.ID, len(grid.Cells), sum.Server, cfg.Workers)
	if resumed && sum.Before > 0 {
		p.Printf("resuming: %d of %d cells have results already", sum.Before, len(grid.Cells))
	}
	if _, err := sw.Enqueue(ctx, grid.Cells, ""); err != nil {
		return sum, err
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var stuckSince time.Time
	set := rec.settings()
	for len(results) < len(grid.Cells) {
		select {
		case <-ctx.Done():
			return sum, ctx.Err()
		case e, ok := <-watch.Updates():
			if !ok {
				return sum, fmt.Errorf("sweep %s: the results watch ended", grid.ID)
			}
			if e != nil {
				apply(e)
			}
			continue
		case <-tick.C:
		}
		failed := 0
		for _, r := range results {
			if r.Status == StatusFailed {
				failed++
			}
		}
		ci, err := sw.consumer.Info(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
			continue
		}
		detail := fmt.Sprintf("running %d, queued %d", ci.NumAckPending, ci.NumPending)
		if failed > 0 {
			detail = fmt.Sprintf("(%d failed) %s", failed, detail)
		}
		p.Update(len(results), detail, false)
		// Cells no worker will deliver again: recorded failed (or enqueued anew).
		if ci.NumAckPending == 0 && ci.NumPending == 0 {
			if stuckSince.IsZero() {
				stuckSince = time.Now()
			} else if time.Since(stuckSince) > max(set.AckWait, 3*time.Second)+2*time.Second {
				var missing []Cell
				for _, c := range grid.Cells {
					if _, ok := results[c.ID]; !ok {
						missing = append(missing, c)
					}
				}
				sw.unstick(ctx, missing)
				stuckSince = time.Time{}
			}
		} else {
			stuckSince = time.Time{}
		}
	}
	stopWorkers()
	wg.Wait()
	os.Remove(filepath.Join(dir, "work")) // the local workers' scratch directory, empty now
	p.Update(len(results), "", true)
	p.Finish()

	// The results, in grid order.
	var buf bytes.Buffer
	for _, c := range grid.Cells {
		r := results[c.ID]
		sum.Results = append(sum.Results, r)
		sum.CellSeconds += r.Seconds
		if r.Status == StatusDone {
			sum.Done++
		} else {
			sum.Failed++
			sum.FailedCells = append(sum.FailedCells, FailedCell{Cell: c.ID, Error: r.Error})
		}
		b, _ := json.Marshal(r)
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if err := atomicfile.Write(filepath.Join(dir, ResultsFile), buf.Bytes()); err != nil {
		return sum, err
	}
	if cfg.Files != "" {
		for _, r := range sum.Results {
			if r.Status == StatusDone {
				if err := sw.FetchFiles(ctx, r, cfg.Files); err != nil {
					return sum, err
				}
			}
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	head := fmt.Sprintf("sweep %s: %d cells, %d done, %d failed; %d had results before; %.1f s (cells %.1f s)",
		grid.ID, sum.Cells, sum.Done, sum.Failed, sum.Before, sum.Seconds, sum.CellSeconds)
	rs := run.Summary{"sweep": grid.ID, "cells": sum.Cells, "done": sum.Done, "failed": sum.Failed, "before": sum.Before,
		"cell_seconds": sum.CellSeconds, "server": sum.Server, "workers": sum.Workers, "headline": head}
	if len(sum.FailedCells) > 0 {
		rs["failed_cells"] = sum.FailedCells
	}
	rep, err := exp.Finish(rs)
	if err != nil {
		return sum, err
	}
	sum.Report = rep
	return sum, nil
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// OpenDir opens the sweep of a sweep directory for status, results and retry: on
// its coordinator's embedded server when one is running, on the external server it
// used (opt's credentials), or else on an embedded server started on its store with
// no port, which close stops.
func OpenDir(ctx context.Context, dir string, opt ConnectOptions) (sw *Sweep, close func(), err error) {
	var rec record
	b, err := os.ReadFile(filepath.Join(dir, run.ConfigFile))
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	if err != nil {
		return nil, nil, &run.FieldError{Field: "dir", Value: dir, Reason: "not a sweep directory: " + err.Error()}
	}
	var conn *Conn
	closers := []func(){}
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	switch {
	case rec.Server != "" && rec.Server != "embedded":
		if conn, err = Connect(rec.Server, opt); err != nil {
			return nil, nil, err
		}
	default:
		unlock, lerr := lockDir(dir)
		if errors.Is(lerr, ErrLocked) {
			var si serverInfo
			b, err := os.ReadFile(filepath.Join(dir, ServerFile))
			if err == nil {
				err = json.Unmarshal(b, &si)
			}
			if err != nil || si.URL == "" {
				return nil, nil, fmt.Errorf("sweep: %s is in use but has no %s: %v", dir, ServerFile, err)
			}
			if conn, err = Connect(si.URL, opt); err != nil {
				return nil, nil, err
			}
			break
		} else if lerr != nil {
			return nil, nil, lerr
		}
		closers = append(closers, unlock)
		srv, err := StartServer(ServerConfig{StoreDir: filepath.Join(dir, StoreDir), NoListen: true, User: opt.User, Password: opt.Password, Token: opt.Token})
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		closers = append(closers, srv.Shutdown)
		if conn, err = srv.Connect(opt); err != nil {
			closeAll()
			return nil, nil, err
		}
	}
	closers = append(closers, conn.Close)
	sw, err = conn.OpenSweep(ctx, rec.Sweep)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return sw, closeAll, nil
}

// Serve runs an embedded server for other machines' coordinators and workers with
// its store in dir until ctx is cancelled; ready, if not nil, gets its URL once it
// accepts clients.
func Serve(ctx context.Context, dir string, cfg ServerConfig, ready func(url string)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return fmt.Errorf("%w: %s", err, dir)
	}
	defer unlock()
	cfg.StoreDir = filepath.Join(dir, StoreDir)
	srv, err := StartServer(cfg)
	if err != nil {
		return err
	}
	defer srv.Shutdown()
	b, _ := json.Marshal(serverInfo{URL: srv.URL(), PID: os.Getpid()})
	if err := atomicfile.Write(filepath.Join(dir, ServerFile), b); err != nil {
		return err
	}
	defer os.Remove(filepath.Join(dir, ServerFile))
	if ready != nil {
		ready(srv.URL())
	}
	<-ctx.Done()
	return nil
}
