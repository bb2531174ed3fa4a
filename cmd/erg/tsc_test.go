package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ergml/erg/internal/ergdata"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/tsc"
)

// TestTscCommands runs the tsc command group end to end on GunPoint: info, train with
// --save and --confusion, predict from the saved model, bench (and its resume), cd on
// a hand-written results file, and fetch from a local server.
func TestTscCommands(t *testing.T) {
	gp, err := ergdata.Path("ucr", "GunPoint")
	if err != nil {
		t.Skipf("UCR data not available (set ERG_DATA): %v", err)
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "gp.model")
	ok := func(args ...string) {
		t.Helper()
		if code := execute(args); code != 0 {
			t.Fatalf("erg %v exited %d", args, code)
		}
	}
	ok("tsc", "info", gp)
	ok("tsc", "train", "--data", gp, "--model", "minirocket", "--save", model, "--confusion", filepath.Join(dir, "cm.png"), "--root", filepath.Join(dir, "runs"))
	ok("tsc", "predict", "--model-file", model, "--data", filepath.Join(gp, "GunPoint_TEST.ts"), "--out", filepath.Join(dir, "pred.csv"))
	out := filepath.Join(dir, "results.csv")
	ok("tsc", "bench", "--data", filepath.Dir(gp), "--datasets", "GunPoint", "--models", "minirocket", "--runs", "2", "--out", out)
	res, err := tsc.ReadResults(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Accuracy < 0.98 {
		t.Errorf("bench results %+v", res)
	}
	rc := filepath.Join(dir, "r.csv")
	os.WriteFile(rc, []byte("dataset,model,accuracy\nA,x,0.9\nA,y,0.8\nA,z,0.7\nB,x,0.95\nB,y,0.9\nB,z,0.8\nC,x,0.7\nC,y,0.71\nC,z,0.6\n"), 0o644)
	ok("tsc", "cd", rc, "--out", filepath.Join(dir, "cd.png"))
	for _, f := range []string{"cm.png", "pred.csv", "cd.png", "cd.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"GunPoint_TRAIN.ts", "GunPoint_TEST.ts"} {
		b, _ := os.ReadFile(filepath.Join(gp, name))
		w, _ := zw.Create("GunPoint/" + name)
		w.Write(b)
	}
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(buf.Bytes()) }))
	defer srv.Close()
	ok("tsc", "fetch", "GunPoint", "--dest", dir, "--url", srv.URL)
	if _, err := os.Stat(filepath.Join(dir, "GunPoint", "GunPoint_TRAIN.ts")); err != nil {
		t.Error(err)
	}
	if code := execute([]string{"tsc", "train", "--data", gp, "--model", "no-such-model", "--root", filepath.Join(dir, "runs")}); code != 64 {
		t.Errorf("unknown model exited %d, want 64", code)
	}
}

// writeTscProblem writes a small two-class problem NAME (NAME_TRAIN.ts, NAME_TEST.ts)
// under dir and returns its directory.
func writeTscProblem(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, split := range []string{"TRAIN", "TEST"} {
		var b strings.Builder
		b.WriteString("@problemName " + name + "\n@classLabel true a b\n@data\n")
		for i := 0; i < 12; i++ {
			sign, label := 1, "a"
			if i%2 == 1 {
				sign, label = -1, "b"
			}
			for k := 0; k < 16; k++ {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%d", sign*k*(1+i%3)+(i*7+k*3)%5)
			}
			b.WriteString(":" + label + "\n")
		}
		if err := os.WriteFile(filepath.Join(p, name+"_"+split+".ts"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// TestTscTrainRunDir: erg tsc train makes a run directory with the files of every
// capability, finds a bare dataset name under $ERG_DATA/ucr and resumes with --resume.
func TestTscTrainRunDir(t *testing.T) {
	dataRoot := t.TempDir()
	writeTscProblem(t, filepath.Join(dataRoot, "ucr"), "Tiny")
	t.Setenv("ERG_DATA", dataRoot)
	root := filepath.Join(t.TempDir(), "runs")
	var out, errb bytes.Buffer
	if code := executeTo([]string{"tsc", "train", "--data", "Tiny", "--model", "minirocket", "--set", "num_features=168", "--root", root, "--name", "tiny", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	var res tsc.TrainOutcome
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	rd, err := run.Resolve(root, "tiny")
	if err != nil || res.Dir != rd.Path {
		t.Fatalf("run directory %v, outcome says %q (%v)", rd, res.Dir, err)
	}
	for _, f := range []string{run.ConfigFile, run.MetricsFile, run.EnergyFile, run.SummaryFile, run.ReportFile, tsc.ConfusionFile, tsc.ModelFile} {
		if _, err := os.Stat(rd.File(f)); err != nil {
			t.Error(err)
		}
	}
	var cfg tsc.TrainConfig
	if err := rd.ReadJSON(run.ConfigFile, &cfg); err != nil || cfg.Data != filepath.Join(dataRoot, "ucr", "Tiny") || !strings.HasPrefix(cfg.Command, "erg ") {
		t.Errorf("config %+v (%v): want the resolved data directory and the command line", cfg, err)
	}
	if code := execute([]string{"tsc", "train", "--resume", "tiny", "--root", root}); code != 0 {
		t.Errorf("--resume exited %d", code)
	}
	if ents, _ := os.ReadDir(root); len(ents) != 2 { // the run and emissions.csv
		t.Errorf("%d entries under the root after resuming, want the one run and emissions.csv", len(ents))
	}
}

// TestTscTrainBadValues: bad values exit 64 naming the flag, and leave no run directory.
func TestTscTrainBadValues(t *testing.T) {
	data := writeTscProblem(t, t.TempDir(), "Tiny")
	t.Setenv("ERG_DATA", t.TempDir())
	for _, c := range []struct {
		field string
		args  []string
	}{
		{"runs", []string{"--data", data, "--runs", "0"}},
		{"model", []string{"--data", data, "--model", "nosuch"}},
		{"data", []string{"--data", filepath.Join(data, "missing")}},
		{"data", []string{"--data", "NoSuchProblem"}},
		{"data", []string{"--model", "fcn"}},
		{"set", []string{"--data", data, "--set", "bogus=1"}},
		{"set", []string{"--data", data, "--set", "novalue"}},
		{"epochs", []string{"--data", data, "--model", "fcn", "--epochs", "-1"}},
		{"threads", []string{"--data", data, "--threads", "-1"}},
		{"confusion", []string{"--data", data, "--confusion", "cm.jpg"}},
		{"model", []string{"--resume", "nosuch", "--model", "fcn"}},
		{"resume", []string{"--resume", "nosuch"}},
	} {
		root := filepath.Join(t.TempDir(), "runs")
		var out, errb bytes.Buffer
		args := append([]string{"tsc", "train", "--root", root, "--json"}, c.args...)
		code := executeTo(args, &out, &errb)
		var je jsonError
		json.Unmarshal(out.Bytes(), &je)
		if code != exitUsage || je.Code != exitUsage || je.Field != c.field {
			t.Errorf("%v: exit %d, field %q (%s); want %d, field %q", c.args, code, je.Field, strings.TrimSpace(out.String()), exitUsage, c.field)
		}
		if _, err := os.Stat(root); err == nil {
			t.Errorf("%v: left %s", c.args, root)
		}
	}
}
