package backend

import (
	"os"
	"strings"
	"testing"
)

func TestNameResolution(t *testing.T) {
	t.Setenv("ERG_BACKEND", "")
	t.Setenv("GOMLX_BACKEND", "")
	if got := Name(""); got != Default {
		t.Errorf("Name(\"\") = %q, want %q", got, Default)
	}
	t.Setenv("GOMLX_BACKEND", "gx")
	if got := Name(""); got != "gx" {
		t.Errorf("Name with GOMLX_BACKEND = %q, want gx", got)
	}
	t.Setenv("ERG_BACKEND", "ex")
	if got := Name(""); got != "ex" {
		t.Errorf("Name with ERG_BACKEND = %q, want ex", got)
	}
	if got := Name("flag"); got != "flag" {
		t.Errorf("Name(flag) = %q, want flag", got)
	}
}

func TestNewGoAndUnknown(t *testing.T) {
	b, err := New("go")
	if err != nil {
		t.Fatalf("New(go): %v", err)
	}
	if b2, _ := New("go"); b2 != b {
		t.Errorf("New(go) twice gave different backends")
	}
	if _, err := New("nosuchbackend"); err == nil {
		t.Errorf("New(nosuchbackend) succeeded")
	}
}

// TestSIMDBuildTag checks that SIMD follows the build: under GOEXPERIMENT=simd (as
// make builds and tests) it must be true.
func TestSIMDBuildTag(t *testing.T) {
	if strings.Contains(os.Getenv("GOEXPERIMENT"), "simd") && !SIMD {
		t.Error("built with GOEXPERIMENT=simd but SIMD is false")
	}
	if !strings.Contains(os.Getenv("GOEXPERIMENT"), "simd") && SIMD {
		t.Error("SIMD is true without GOEXPERIMENT=simd")
	}
}
