package main

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/ergml/erg/internal/ergdata"
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
	ok("tsc", "train", "--data", gp, "--model", "minirocket", "--save", model, "--confusion", filepath.Join(dir, "cm.png"))
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
	if code := execute([]string{"tsc", "train", "--data", gp, "--model", "no-such-model"}); code != 64 {
		t.Errorf("unknown model exited %d, want 64", code)
	}
}
