package train

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/run/runtest"
	"github.com/gomlx/gomlx/ml/model"
)

const killSteps = 3000

// TestKillChild is the child half of TestKill9Resume: it trains until killed.
func TestKillChild(t *testing.T) {
	dir := runtest.ChildEnv(t, "ERG_TRAIN_KILL_CHILD")
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
	root := t.TempDir()
	rd, err := run.Create(root, "kill9", map[string]any{"test": true})
	if err != nil {
		t.Fatal(err)
	}
	ckpt := rd.File(CheckpointFile)
	runtest.KillChild(t, "TestKillChild", []string{"ERG_TRAIN_KILL_CHILD=" + rd.Path}, 60*time.Second, func() bool {
		if st, err := os.Stat(ckpt); err != nil || st.Size() == 0 {
			return false
		}
		ms, _ := rd.Metrics()
		return len(ms) > 0 && ms[len(ms)-1]["step"].(float64) >= 130
	})
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
