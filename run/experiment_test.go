package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type expConfig struct {
	Steps int     `json:"steps"`
	Noise float64 `json:"noise"`
}

func (c expConfig) Validate() error {
	if c.Steps <= 0 {
		return Invalid("steps", c.Steps, "must be positive")
	}
	return nil
}

func TestExperimentInvalidConfigLeavesNoRun(t *testing.T) {
	root := t.TempDir()
	_, err := Start(Options{Root: root, NoMeter: true}, "bad", &expConfig{Steps: 0}, nil)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "steps" {
		t.Fatalf("error %v; want a FieldError for steps", err)
	}
	if ents, _ := os.ReadDir(root); len(ents) != 0 {
		t.Errorf("an invalid configuration left %d entries under the root", len(ents))
	}
}

func TestExperimentFinishAndResume(t *testing.T) {
	root := t.TempDir()
	cfg := expConfig{Steps: 10, Noise: 0}
	e, err := Start(Options{Root: root, Quiet: true}, "toy", &cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for s := 1; s <= 3; s++ {
		e.Log(Metric{"step": s, "loss": 1 / float64(s)})
	}
	if err := e.Fail(fmt.Errorf("stopped: %w", context.Canceled)); err == nil {
		t.Fatal("Fail returned nil")
	}
	if inf := e.Dir.Info(); inf.Status != "interrupted" {
		t.Errorf("status after an interruption %q; want interrupted", inf.Status)
	}
	// Resume with an override of the steps: config.json is rewritten, the noise of 0 kept.
	var got expConfig
	r, err := Start(Options{Root: root, Resume: filepath.Base(e.Dir.Path), Quiet: true}, "", &got, func() { got.Steps = 20 })
	if err != nil {
		t.Fatal(err)
	}
	if !r.Resumed || got.Steps != 20 || got.Noise != 0 {
		t.Fatalf("resumed %v config %+v; want steps 20, noise 0", r.Resumed, got)
	}
	var disk expConfig
	if err := r.Dir.ReadJSON(ConfigFile, &disk); err != nil || disk.Steps != 20 {
		t.Errorf("config.json after the override: %+v, %v", disk, err)
	}
	r.SetPrior(5, 100, "estimated")
	if j, _ := r.Joules(); j < 100 {
		t.Errorf("Joules %v does not include the earlier sessions' 100 J", j)
	}
	rep, err := r.Finish(Summary{"loss": 0.5, "headline": "toy"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ConfigFile, MetricsFile, EnergyFile, SummaryFile, ReportFile} {
		if _, err := os.Stat(r.Dir.File(f)); err != nil {
			t.Errorf("finished run lacks %s", f)
		}
	}
	if !strings.HasSuffix(rep, ReportFile) {
		t.Errorf("report path %q", rep)
	}
	var en map[string]any
	if err := r.Dir.ReadJSON(EnergyFile, &en); err != nil || !(en["joules"].(float64) >= 100) {
		t.Errorf("energy.json %v (%v): want the earlier 100 J included", en["joules"], err)
	}
	inf := r.Dir.Info()
	if inf.Status != "finished" || inf.Headline != "toy" {
		t.Errorf("info %+v", inf)
	}
	// A bad recorded configuration names the file.
	os.WriteFile(r.Dir.File(ConfigFile), []byte(`{"steps": -1}`), 0o644)
	_, err = Start(Options{Root: root, Resume: r.Dir.Path, NoMeter: true}, "", &got, nil)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.File != r.Dir.File(ConfigFile) || fe.Field != "steps" {
		t.Errorf("bad config.json: %v; want a FieldError naming the file and field", err)
	}
}
