package sweep

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The child halves of the process tests: the test binary re-executed as an erg
// worker (ERG_SWEEP_CHILD=worker) or as a coordinator (=coordinator).
func TestChild(t *testing.T) {
	role := os.Getenv("ERG_SWEEP_CHILD")
	if role == "" {
		t.Skip("child process of the process tests only")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	// Never outlive the test: exit when the parent is gone, or after 2 minutes.
	go func() {
		parent, deadline := os.Getppid(), time.Now().Add(2*time.Minute)
		for os.Getppid() == parent && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		os.Exit(3)
	}()
	switch role {
	case "worker":
		conn, err := Connect(os.Getenv("ERG_SWEEP_URL"), ConnectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		w := &Worker{Conn: conn, Sweep: os.Getenv("ERG_SWEEP_ID"), ExitWhenDone: true, Poll: 200 * time.Millisecond, Log: os.Stderr}
		if err := w.Run(ctx); err != nil {
			t.Fatal(err)
		}
	case "coordinator":
		g, err := ReadGrid(os.Getenv("ERG_SWEEP_GRID"))
		if err != nil {
			t.Fatal(err)
		}
		// The default ack wait (30 s): a restarted coordinator must not wait for it
		// to run the cells its killed workers held.
		_, err = Run(ctx, RunConfig{Grid: g, Dir: os.Getenv("ERG_SWEEP_DIR"), Workers: 3, Quiet: true, NoMeter: true})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func child(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	if testing.Verbose() {
		cmd.Stdout = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// runLogLine is one line of a sleep cell's run log.
type runLogLine struct {
	what, cell string
	attempt    int
	pid        int
	at         int64
}

func readRunLog(t *testing.T, path string) []runLogLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []runLogLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l runLogLine
		f := strings.Fields(sc.Text())
		if len(f) != 5 {
			continue
		}
		l.what, l.cell = f[0], f[1]
		l.attempt, l.pid, l.at = atoi(f[2]), atoi(f[3]), int64(atoi(f[4]))
		out = append(out, l)
	}
	return out
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func count(lines []runLogLine, what string) int {
	n := 0
	for _, l := range lines {
		if l.what == what {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// reference runs g in this process (one coordinator, local workers) and returns
// the outputs by cell.
func reference(t *testing.T, ctx context.Context, g *Grid) map[string]string {
	t.Helper()
	sum, err := Run(ctx, RunConfig{Grid: g, Dir: filepath.Join(t.TempDir(), "ref"), Workers: 6, Quiet: true, NoMeter: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range sum.Results {
		out[r.Cell] = string(r.Output)
	}
	return out
}

// checkStore opens the finished sweep in dir and checks that every cell of g has
// one result, written once, equal to want.
func checkStore(t *testing.T, ctx context.Context, dir string, g *Grid, want map[string]string) map[string]Result {
	t.Helper()
	sw, closeSweep, err := OpenDir(ctx, dir, ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeSweep()
	res, err := sw.Results(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(g.Cells) {
		t.Errorf("%d results, want %d", len(res), len(g.Cells))
	}
	for _, c := range g.Cells {
		r, ok := res[c.ID]
		if !ok {
			t.Errorf("cell %s: no result", c.ID)
			continue
		}
		if r.Status != StatusDone || string(r.Output) != want[c.ID] {
			t.Errorf("cell %s: %s %s, want done %s (one-process run)", c.ID, r.Status, r.Output, want[c.ID])
		}
		if n, err := sw.ResultRevisions(ctx, c.ID); err != nil || n != 1 {
			t.Errorf("cell %s: result written %d times (%v), want once", c.ID, n, err)
		}
	}
	return res
}

// TestWorkerProcesses: an embedded server and three erg-worker-like processes on a
// 30-cell grid; one worker is SIGKILLed mid-cell, another stopped with SIGTERM and
// restarted. Every result is present once and equal to a one-process run's.
func TestWorkerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	tmp := t.TempDir()
	runlog := filepath.Join(tmp, "runs.log")
	g := sleepGrid("procs", 30, 300, runlog)
	want := reference(t, ctx, sleepGrid("procs", 30, 300, ""))
	os.Remove(runlog)

	dir := filepath.Join(tmp, "sweep")
	done := make(chan error, 1)
	var sum *Summary
	go func() {
		var err error
		sum, err = Run(ctx, RunConfig{Grid: g, Dir: dir, Workers: 0, Quiet: true, NoMeter: true,
			Settings: Settings{AckWait: 2 * time.Second, Attempts: 3}})
		done <- err
	}()
	var url string
	waitFor(t, "the server", 20*time.Second, func() bool {
		var si serverInfo
		b, err := os.ReadFile(filepath.Join(dir, ServerFile))
		if err == nil && json.Unmarshal(b, &si) == nil {
			url = si.URL
		}
		return url != ""
	})
	env := []string{"ERG_SWEEP_CHILD=worker", "ERG_SWEEP_URL=" + url, "ERG_SWEEP_ID=procs"}
	workers := map[int]*exec.Cmd{}
	for range 3 {
		c := child(t, env...)
		workers[c.Process.Pid] = c
	}
	defer func() {
		for _, c := range workers {
			c.Process.Kill()
			c.Wait()
		}
	}()

	// SIGKILL a worker in the middle of a cell.
	waitFor(t, "5 finished cells", 30*time.Second, func() bool { return count(readRunLog(t, runlog), "end") >= 5 })
	var victim int
	var victimCell string
	waitFor(t, "a worker mid-cell", 10*time.Second, func() bool {
		last := map[int]runLogLine{}
		for _, l := range readRunLog(t, runlog) {
			last[l.pid] = l
		}
		for pid, l := range last {
			if l.what == "start" && workers[pid] != nil && time.Since(time.Unix(0, l.at)) < 150*time.Millisecond {
				victim, victimCell = pid, l.cell
				return true
			}
		}
		return false
	})
	workers[victim].Process.Signal(syscall.SIGKILL)
	workers[victim].Wait()
	delete(workers, victim)
	t.Logf("killed worker %d while it ran %s", victim, victimCell)

	// Stop another gracefully and start a new one.
	var stopped int
	for pid := range workers {
		stopped = pid
		break
	}
	workers[stopped].Process.Signal(syscall.SIGTERM)
	if err := workers[stopped].Wait(); err != nil {
		t.Errorf("worker stopped with SIGTERM: %v (want a clean exit)", err)
	}
	delete(workers, stopped)
	c := child(t, env...)
	workers[c.Process.Pid] = c

	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("sweep did not finish")
	}
	// The coordinator's server is gone with it: the workers stop on SIGTERM.
	for pid, c := range workers {
		c.Process.Signal(syscall.SIGTERM)
		if err := c.Wait(); err != nil {
			t.Errorf("worker %d: %v", pid, err)
		}
		delete(workers, pid)
	}
	if sum.Done != 30 || sum.Failed != 0 {
		t.Errorf("summary: %d done, %d failed", sum.Done, sum.Failed)
	}
	res := checkStore(t, ctx, dir, g, want)
	lines := readRunLog(t, runlog)
	starts := 0
	for _, l := range lines {
		if l.what == "start" && l.cell == victimCell {
			starts++
		}
	}
	if starts < 2 || res[victimCell].Attempt < 2 {
		t.Errorf("cell %s of the killed worker: %d starts, result from attempt %d; want a redelivery", victimCell, starts, res[victimCell].Attempt)
	}
	t.Logf("%d cell starts for 30 cells", count(lines, "start"))
}

// TestCoordinatorKilled: a coordinator (embedded server, local workers) SIGKILLed
// halfway and restarted on the same sweep directory completes, and no cell that had
// a result at the kill runs again.
func TestCoordinatorKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	tmp := t.TempDir()
	runlog := filepath.Join(tmp, "runs.log")
	g := sleepGrid("coord", 30, 200, runlog)
	want := reference(t, ctx, sleepGrid("coord", 30, 200, ""))
	os.Remove(runlog)
	gridFile := filepath.Join(tmp, "coord.json")
	f, _ := os.Create(gridFile)
	WriteGrid(f, g)
	f.Close()
	dir := filepath.Join(tmp, "sweep")
	env := []string{"ERG_SWEEP_CHILD=coordinator", "ERG_SWEEP_GRID=" + gridFile, "ERG_SWEEP_DIR=" + dir}

	c := child(t, env...)
	waitFor(t, "12 finished cells", 30*time.Second, func() bool { return count(readRunLog(t, runlog), "end") >= 12 })
	c.Process.Signal(syscall.SIGKILL)
	c.Wait()

	// What was finished at the kill, and the run log then.
	sw, closeSweep, err := OpenDir(ctx, dir, ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before, err := sw.Results(ctx)
	closeSweep()
	if err != nil {
		t.Fatal(err)
	}
	snapshot := len(readRunLog(t, runlog))
	if len(before) == 0 || len(before) == 30 {
		t.Fatalf("%d results at the kill; want some but not all", len(before))
	}
	t.Logf("killed the coordinator with %d of 30 results", len(before))

	restart := time.Now()
	c = child(t, env...)
	if err := c.Wait(); err != nil {
		t.Fatalf("restarted coordinator: %v", err)
	}
	if d := time.Since(restart); d > 20*time.Second {
		t.Errorf("the restarted coordinator took %v: it waited for the ack wait of the killed workers' cells", d)
	}
	checkStore(t, ctx, dir, g, want)
	for _, l := range readRunLog(t, runlog)[snapshot:] {
		if _, ok := before[l.cell]; ok && l.what == "start" {
			t.Errorf("cell %s had a result before the restart and ran again", l.cell)
		}
	}
}
