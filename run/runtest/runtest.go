package runtest

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// ChildEnv returns the value of the environment variable key, which the parent test
// sets for its child; when it is empty the test is not running as a child and is
// skipped.
func ChildEnv(t testing.TB, key string) string {
	t.Helper()
	v := os.Getenv(key)
	if v == "" {
		t.Skipf("child process only (%s not set)", key)
	}
	return v
}

// KillChild runs the test named child (a test of the current binary, matched
// exactly) in a child process with env added to its environment, polls ready every
// few milliseconds and, as soon as it returns true, kills the child with SIGKILL and
// waits for it. It fails t when the child does not become ready within timeout, or
// exits before it does. Under -short it skips t: it spawns a process.
func KillChild(t testing.TB, child string, env []string, timeout time.Duration, ready func() bool) {
	t.Helper()
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(timeout)
	for !ready() {
		select {
		case err := <-exited:
			t.Fatalf("child %s exited (%v) before it was ready to be killed", child, err)
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			t.Fatalf("child %s not ready to be killed within %v", child, timeout)
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
}
