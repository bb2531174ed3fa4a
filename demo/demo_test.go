package demo

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
)

func TestDemoTSC(t *testing.T) {
	rep, err := Run(context.Background(), Options{Root: t.TempDir(), Only: []string{"tsc"}, Seed: 1, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sections) != 1 {
		t.Fatalf("%d sections; want 1", len(rep.Sections))
	}
	s := rep.Sections[0]
	if s.Result.Skipped != "" {
		t.Skipf("tsc step skipped: %s", s.Result.Skipped)
	}
	acc := s.Result.Numbers["GunPoint"].(map[string]float64)["accuracy"]
	if acc < 0.98 {
		t.Errorf("GunPoint MiniRocket accuracy %.4f; want >= 0.98 (published 0.9924)", acc)
	}
	html, err := os.ReadFile(rep.Report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "confusion-GunPoint.png") {
		t.Errorf("index.html lacks the GunPoint confusion figure")
	}
}
