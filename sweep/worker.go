package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Worker pulls cells of one sweep, or of every sweep in the registry, runs them with
// the registered runners and stores their results. Run it with Run; several workers
// may share a connection.
type Worker struct {
	Conn  *Conn
	Sweep string // the sweep to work on; "" for every sweep in the registry
	// Name identifies the worker in results ("" means host:pid).
	Name string
	// WorkDir holds the cells' scratch directories ("" means a directory in the
	// system's temporary directory, removed at the end).
	WorkDir string
	// Threads is the number of CPU threads a cell may use (0: all cores).
	Threads int
	// Log, if not nil, gets one line per cell.
	Log io.Writer
	// ExitWhenDone (with Sweep set) makes Run return once every cell of the sweep
	// has a result, or once the server has been unreachable for 5 s after the
	// worker last saw nothing queued (the embedded server of a coordinator stops
	// when its sweep is done).
	ExitWhenDone bool
	// Poll is how long one pull waits for a cell (0: 1 s): the longest a stopping
	// worker or a worker of several sweeps waits on an idle queue.
	Poll time.Duration

	mu    sync.Mutex
	stats WorkerStats
}

// WorkerStats counts what a worker did.
type WorkerStats struct {
	Worker  string `json:"worker"`
	Ran     int    `json:"ran"`     // cells run to the end (done or failed)
	Done    int    `json:"done"`    // results stored as done
	Failed  int    `json:"failed"`  // results stored as failed
	Retried int    `json:"retried"` // failed attempts given back for another run
	Skipped int    `json:"skipped"` // delivered cells that already had a result
	Lost    int    `json:"lost"`    // cells run to the end whose result another worker stored first
	Stopped int    `json:"stopped"` // cells given back because the worker stopped
}

// Stats returns the worker's counts so far.
func (w *Worker) Stats() WorkerStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}

func (w *Worker) count(f func(s *WorkerStats)) {
	w.mu.Lock()
	f(&w.stats)
	w.mu.Unlock()
}

func (w *Worker) logf(format string, a ...any) {
	if w.Log != nil {
		fmt.Fprintf(w.Log, "%s %s: "+format+"\n", append([]any{time.Now().Format("15:04:05"), w.Name}, a...)...)
	}
}

// DefaultWorkerName is host:pid.
func DefaultWorkerName() string {
	h, _ := os.Hostname()
	if h == "" {
		h = "worker"
	}
	return fmt.Sprintf("%s:%d", h, os.Getpid())
}

// Run pulls and runs cells until ctx is cancelled (or, with ExitWhenDone, the sweep
// is complete). A cell running when ctx is cancelled is stopped and given back to
// the queue at once, so that another worker runs it. Run returns nil after a
// cancellation: stopping is the normal end of a worker.
func (w *Worker) Run(ctx context.Context) error {
	if w.Conn == nil {
		return errors.New("sweep: worker without a connection")
	}
	if w.Name == "" {
		w.Name = DefaultWorkerName()
	}
	w.stats.Worker = w.Name
	if w.Poll <= 0 {
		w.Poll = time.Second
	}
	if w.WorkDir == "" {
		d, err := os.MkdirTemp("", "erg-worker-")
		if err != nil {
			return fmt.Errorf("sweep: worker: %w", err)
		}
		defer os.RemoveAll(d)
		w.WorkDir = d
	}
	if w.ExitWhenDone && w.Sweep == "" {
		return errors.New("sweep: worker: ExitWhenDone needs a sweep")
	}
	sweeps := map[string]*Sweep{}
	var order []string
	var refreshed, awaySince time.Time
	idleRound := false // the last round over the sweeps found no cell
	finishing := false // the last status showed nothing queued
	done := func() bool {
		sw := sweeps[w.Sweep]
		if sw == nil {
			return false
		}
		ci, err := sw.consumer.Info(ctx) // one request; the full status only at the end
		if err != nil {
			return false
		}
		finishing = ci.NumPending == 0
		if ci.NumPending > 0 || ci.NumAckPending > 0 {
			return false
		}
		st, err := sw.Status(ctx)
		if err != nil {
			return false
		}
		finishing = st.Queued == 0 && st.Idle == 0
		return st.Cells > 0 && st.Done+st.Failed == st.Cells
	}
	for ctx.Err() == nil {
		if !w.Conn.NC.IsConnected() {
			if awaySince.IsZero() {
				awaySince = time.Now()
			}
			if w.ExitWhenDone && finishing && time.Since(awaySince) > 5*time.Second {
				w.logf("the server went away with sweep %s finishing; exiting", w.Sweep)
				return nil
			}
			sleep(ctx, 200*time.Millisecond)
			continue
		}
		awaySince = time.Time{}
		if since := time.Since(refreshed); since > 5*time.Second || len(order) == 0 || (idleRound && since > time.Second) {
			ids := []string{w.Sweep}
			if w.Sweep == "" {
				ids = nil
				infos, _ := w.Conn.Sweeps(ctx)
				for _, in := range infos {
					ids = append(ids, in.ID)
				}
			}
			order = order[:0]
			for _, id := range ids {
				sw, ok := sweeps[id]
				if !ok {
					var err error
					if sw, err = w.Conn.OpenSweep(ctx, id); err != nil {
						continue
					}
					sweeps[id] = sw
				}
				if w.Sweep == "" {
					// Of every sweep, only those with cells to deliver: finished
					// sweeps cost no pulls.
					ci, err := sw.consumer.Info(ctx)
					if err != nil || ci.NumPending+uint64(ci.NumAckPending) == 0 {
						continue
					}
				}
				order = append(order, id)
			}
			refreshed = time.Now()
		}
		if len(order) == 0 {
			sleep(ctx, w.Poll)
			continue
		}
		got := false
		wait := max(w.Poll/time.Duration(len(order)), 100*time.Millisecond)
		for _, id := range order {
			if ctx.Err() != nil {
				break
			}
			sw := sweeps[id]
			msg, err := sw.consumer.Next(jetstream.FetchMaxWait(wait))
			if err != nil {
				if !isTimeout(err) {
					sleep(ctx, wait)
				}
				continue
			}
			got = true
			if md, err := msg.Metadata(); err == nil && sw.ID == w.Sweep {
				finishing = md.NumPending == 0 // nothing queued behind this cell
			}
			w.handle(ctx, sw, msg)
		}
		idleRound = !got
		if w.ExitWhenDone && done() {
			return nil
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// handle runs one delivered cell.
func (w *Worker) handle(ctx context.Context, sw *Sweep, msg jetstream.Msg) {
	var item workItem
	if err := json.Unmarshal(msg.Data(), &item); err != nil || item.Cell.ID == "" {
		w.logf("dropping a malformed message on %s: %v", msg.Subject(), err)
		msg.Term()
		return
	}
	c := item.Cell
	attempt := 1
	if md, err := msg.Metadata(); err == nil {
		attempt = int(md.NumDelivered)
	}
	set := sw.Info.Settings.WithDefaults()
	if r, err := sw.Result(ctx, c.ID); err == nil && r != nil {
		// Finished before (a redelivery after a worker stored the result but died
		// before acknowledging, or a re-enqueue racing a result): never run again.
		w.count(func(s *WorkerStats) { s.Skipped++ })
		w.logf("%s/%s: has a result already; not run again", sw.ID, c.ID)
		msg.Ack()
		return
	}
	base := Result{Cell: c.ID, Capability: c.Capability, Seed: c.Seed, Worker: w.Name, Attempt: attempt, Enqueued: item.Enqueued}
	if attempt > set.Attempts {
		// The delivery after the last attempt only records the failure: the workers
		// of the earlier ones died or stopped before storing anything.
		r := base
		r.Status, r.Finished = StatusFailed, time.Now().UTC()
		r.Error = fmt.Sprintf("no result after %d attempts (the workers running it died or stopped)", attempt-1)
		if e := sw.lastError(ctx, c.ID); e != "" {
			r.Error = fmt.Sprintf("failed %d attempts; last error: %s", attempt-1, e)
		}
		if stored, err := sw.Store(ctx, r); err == nil {
			if stored {
				w.count(func(s *WorkerStats) { s.Failed++ })
			}
			msg.Ack()
		} else {
			msg.Nak()
		}
		w.logf("%s/%s: FAILED: %s", sw.ID, c.ID, r.Error)
		return
	}
	runner := Lookup(c.Capability)
	if runner == nil {
		w.logf("%s/%s: capability %q is not registered in this worker; giving it back", sw.ID, c.ID, c.Capability)
		msg.NakWithDelay(time.Second)
		return
	}
	dir := filepath.Join(w.WorkDir, sw.ID, fmt.Sprintf("%s.%d", strings.ReplaceAll(c.ID, "/", "_"), attempt))
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.logf("%s/%s: %v", sw.ID, c.ID, err)
		msg.NakWithDelay(time.Second)
		return
	}
	defer func() {
		os.RemoveAll(dir)
		os.Remove(filepath.Dir(dir)) // the sweep's directory, once empty
	}()
	c.Sweep, c.Attempt, c.Dir = sw.ID, attempt, dir
	c.Threads = w.Threads
	if c.Threads <= 0 {
		c.Threads = runtime.NumCPU()
	}

	// Heartbeat: tell the server the cell is in progress every AckWait/3, so that
	// only a dead worker's cell is delivered again.
	cctx, cancel := context.WithCancel(ctx)
	hbDone := make(chan struct{})
	go func() {
		defer close(hbDone)
		t := time.NewTicker(max(set.AckWait/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-cctx.Done():
				return
			case <-t.C:
				msg.InProgress()
			}
		}
	}()
	w.logf("%s/%s: running (%s, attempt %d)", sw.ID, c.ID, c.Capability, attempt)
	started := time.Now()
	out, err := runSafely(cctx, runner, c)
	secs := time.Since(started).Seconds()
	cancel()
	<-hbDone

	if ctx.Err() != nil && err != nil {
		// Stopping: give the cell back at once for another worker.
		msg.Nak()
		w.count(func(s *WorkerStats) { s.Stopped++ })
		w.logf("%s/%s: stopped; given back to the queue", sw.ID, c.ID)
		return
	}
	// A finished cell is stored even when the worker is stopping.
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer scancel()
	ctx = sctx
	r := base
	r.Started, r.Finished, r.Seconds = started.UTC(), time.Now().UTC(), secs
	if err == nil && out != nil && !json.Valid(out) {
		err = fmt.Errorf("runner returned invalid JSON")
	}
	if err != nil {
		if attempt < set.Attempts {
			sw.setLastError(ctx, c.ID, err.Error())
			msg.NakWithDelay(time.Duration(attempt) * time.Second)
			w.count(func(s *WorkerStats) { s.Retried++ })
			w.logf("%s/%s: attempt %d failed (%v); to be run again", sw.ID, c.ID, attempt, err)
			return
		}
		r.Status, r.Error = StatusFailed, err.Error()
	} else {
		r.Status, r.Output = StatusDone, out
		if files, ferr := sw.putFiles(ctx, fmt.Sprintf("%s/%s.%d", c.ID, sanitizeName(w.Name), attempt), dir); ferr != nil {
			w.logf("%s/%s: keeping its files: %v; to be run again", sw.ID, c.ID, ferr)
			msg.NakWithDelay(time.Second)
			return
		} else if len(files) > 0 {
			r.Files, r.FileList = fmt.Sprintf("%s/%s.%d", c.ID, sanitizeName(w.Name), attempt), files
		}
	}
	stored, serr := sw.Store(ctx, r)
	if serr != nil {
		w.logf("%s/%s: %v; to be run again", sw.ID, c.ID, serr)
		msg.NakWithDelay(time.Second)
		return
	}
	w.count(func(s *WorkerStats) {
		s.Ran++
		switch {
		case !stored:
			s.Lost++
		case r.Status == StatusDone:
			s.Done++
		default:
			s.Failed++
		}
	})
	actx, acancel := context.WithTimeout(context.Background(), 5*time.Second)
	msg.DoubleAck(actx)
	acancel()
	switch {
	case !stored:
		w.logf("%s/%s: finished in %.2f s, but another worker stored its result first (kept once)", sw.ID, c.ID, secs)
	case r.Status == StatusDone:
		w.logf("%s/%s: done in %.2f s", sw.ID, c.ID, secs)
	default:
		w.logf("%s/%s: FAILED after %d attempts: %s", sw.ID, c.ID, attempt, r.Error)
	}
}

// runSafely runs the cell, turning a panic into an error.
func runSafely(ctx context.Context, r Runner, c Cell) (out json.RawMessage, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return r.Run(ctx, c)
}

func sanitizeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}
