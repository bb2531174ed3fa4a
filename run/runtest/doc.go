// Package runtest helps test that a run survives being killed: it runs one test of
// the current test binary as a child process, waits until the child has reached a
// state the caller recognises (a checkpoint written, a metric line logged) and kills
// it with SIGKILL, as a power cut or the kernel's OOM killer would. The caller then
// resumes the run in-process and compares it with an uninterrupted one.
//
// The pattern, in package foo's tests:
//
//	func TestTrainChild(t *testing.T) {
//		dir := runtest.ChildEnv(t, "ERG_FOO_KILL_DIR") // skips unless running as the child
//		foo.Train(..., dir)
//	}
//
//	func TestTrainKill9Resume(t *testing.T) {
//		dir := t.TempDir()
//		runtest.KillChild(t, "TestTrainChild", []string{"ERG_FOO_KILL_DIR=" + dir}, time.Minute,
//			func() bool { return checkpointWritten(dir) })
//		... resume from dir and compare ...
//	}
package runtest
