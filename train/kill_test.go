package train

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/run"
	"github.com/gomlx/gomlx/ml/model"
)

const killSteps = 3000

// TestKillChild is the child half of TestKill9Resume: it trains until killed.
func TestKillChild(t *testing.T) {
	dir := os.Getenv("ERG_TRAIN_KILL_CHILD")
	if dir == "" {
		t.Skip("child process of TestKill9Resume only")
	}
	rd, err := run.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := trainCfg(killSteps)
	cfg.CheckpointEvery = 40
	tr, _ := New(backend.Must("go"), model.NewStore(), mlpLoss, cfg)
	tr.Fit(context.Background(), newData(t), rd)
}

// TestKill9Resume trains in a child process, kills it with SIGKILL mid-run, resumes
// from the run directory and checks the final parameters against an uninterrupted run.
func TestKill9Resume(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	root := t.TempDir()
	rd, err := run.Create(root, "kill9", map[string]any{"test": true})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ERG_TRAIN_KILL_CHILD="+rd.Path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ckpt := rd.File(CheckpointFile)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if st, err := os.Stat(ckpt); err == nil && st.Size() > 0 {
			if ms, _ := rd.Metrics(); len(ms) > 0 && ms[len(ms)-1]["step"].(float64) >= 130 {
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child made no checkpoint in 60 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	st, _, err := LoadCheckpoint(ckpt, model.NewStore())
	if err != nil {
		t.Fatal(err)
	}
	if st.Step >= killSteps {
		t.Fatalf("child finished (step %d) before the kill; the test proves nothing", st.Step)
	}
	leftovers, _ := filepath.Glob(filepath.Join(rd.Path, ".*tmp*"))
	t.Logf("killed at checkpoint step %d; temp files left: %d", st.Step, len(leftovers))

	cfg := trainCfg(killSteps)
	cfg.CheckpointEvery = 40
	be := backend.Must("go")
	trR, _ := New(be, model.NewStore(), mlpLoss, cfg)
	if _, err := trR.Resume(context.Background(), newData(t), rd); err != nil {
		t.Fatal(err)
	}
	trU, _ := New(be, model.NewStore(), mlpLoss, cfg)
	if _, err := trU.Fit(context.Background(), newData(t), nil); err != nil {
		t.Fatal(err)
	}
	pr, pu := trR.Params(), trU.Params()
	for k, vu := range pu {
		for i := range vu {
			if pr[k][i] != vu[i] {
				t.Fatalf("param %s[%d]: uninterrupted %v, killed+resumed %v", k, i, vu[i], pr[k][i])
			}
		}
	}
}
