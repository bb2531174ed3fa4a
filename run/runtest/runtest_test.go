package runtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestChild is the child of TestKillChild: it writes a file, then sleeps until killed.
func TestChild(t *testing.T) {
	dir := ChildEnv(t, "ERG_RUNTEST_DIR")
	os.WriteFile(filepath.Join(dir, "ready"), []byte("1"), 0o644)
	time.Sleep(time.Minute)
	os.WriteFile(filepath.Join(dir, "finished"), []byte("1"), 0o644)
}

func TestKillChild(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	KillChild(t, "TestChild", []string{"ERG_RUNTEST_DIR=" + dir}, 30*time.Second, func() bool {
		_, err := os.Stat(filepath.Join(dir, "ready"))
		return err == nil
	})
	if _, err := os.Stat(filepath.Join(dir, "finished")); err == nil || time.Since(start) > 50*time.Second {
		t.Error("the child was not killed: it finished")
	}
}

// TestKillChildNotReady checks that a child that exits before it is ready fails the
// parent (through a fake testing.TB that records the failure).
func TestKillChildNotReady(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// No such test: the child exits at once.
		KillChild(f, "TestNoSuchChild", nil, 30*time.Second, func() bool { return false })
	}()
	<-done
	if !strings.Contains(f.msg, "exited") {
		t.Errorf("failure %q; want one saying the child exited", f.msg)
	}
}

type fakeTB struct {
	testing.TB
	msg string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, a ...any) {
	f.msg = format
	runtime.Goexit() // as t.Fatalf ends the goroutine running KillChild
}

func TestStopAfter(t *testing.T) {
	ctx := StopAfter(context.Background(), 3)
	for i := range 3 {
		if err := ctx.Err(); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if err := ctx.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("call 4: %v, want context.Canceled", err)
	}
}
