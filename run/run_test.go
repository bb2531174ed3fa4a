package run

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunLifecycle(t *testing.T) {
	root := t.TempDir()
	d, err := Create(root, "toy", map[string]any{"command": "erg test", "lr": 0.01})
	if err != nil {
		t.Fatal(err)
	}
	for s := 1; s <= 5; s++ {
		if err := d.Log(Metric{"step": s, "loss": 1.0 / float64(s), "lr": 0.01}); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.TruncateMetrics(3); err != nil {
		t.Fatal(err)
	}
	ms, err := d.Metrics()
	if err != nil || len(ms) != 3 {
		t.Fatalf("after TruncateMetrics(3): %d metrics, %v; want 3", len(ms), err)
	}
	d.Log(Metric{"step": 4, "loss": 0.2})
	d.Close()
	// A torn last line (killed process) is ignored.
	f, _ := os.OpenFile(d.File(MetricsFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"step": 5, "lo`)
	f.Close()
	if ms, err = d.Metrics(); err != nil || len(ms) != 4 {
		t.Fatalf("torn line: %d metrics, %v; want 4", len(ms), err)
	}
	if err := d.WriteJSON(SummaryFile, Summary{"steps": 4, "loss": 0.2, "headline": "ok"}); err != nil {
		t.Fatal(err)
	}
	p, err := d.Report()
	if err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(p)
	for _, want := range []string{"loss.png", "erg run: toy", "headline"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if st, err := os.Stat(d.File("loss.png")); err != nil || st.Size() < 1000 {
		t.Errorf("loss.png missing or tiny: %v", err)
	}
	infos, err := List(root)
	if err != nil || len(infos) != 1 || infos[0].Name != "toy" || infos[0].Steps != 4 || infos[0].Status != "finished" {
		t.Fatalf("List = %+v, %v", infos, err)
	}
	r, err := Resolve(root, "toy")
	if err != nil || filepath.Clean(r.Path) != filepath.Clean(d.Path) {
		t.Errorf("Resolve(toy) = %v, %v", r, err)
	}
	if _, err := Resolve(root, "nope"); err == nil {
		t.Errorf("Resolve(nope) succeeded")
	}
}

func TestCreateBadName(t *testing.T) {
	if _, err := Create(t.TempDir(), "a/b", nil); err == nil {
		t.Errorf("Create with name a/b succeeded")
	}
}

func TestMetricsCorruptMiddleLine(t *testing.T) {
	d, _ := Create(t.TempDir(), "x", nil)
	os.WriteFile(d.File(MetricsFile), []byte("{\"step\":1}\nnot json\n{\"step\":2}\n"), 0o644)
	if _, err := d.Metrics(); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("corrupt middle line: err = %v; want one naming line 2", err)
	}
}
