package ergdata

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDirFromEnv(t *testing.T) {
	d := t.TempDir()
	t.Setenv("ERG_DATA", d)
	got, err := Dir()
	if err != nil || got != d {
		t.Fatalf("Dir() = %q, %v; want %q", got, err, d)
	}
	if _, err := Path("nope"); err == nil {
		t.Errorf("Path(nope) succeeded on an empty data dir")
	}
	os.Mkdir(filepath.Join(d, "ucr"), 0o755)
	if p, err := Path("ucr"); err != nil || p != filepath.Join(d, "ucr") {
		t.Errorf("Path(ucr) = %q, %v", p, err)
	}
}

func TestDirBadEnv(t *testing.T) {
	t.Setenv("ERG_DATA", "/definitely/not/here")
	if _, err := Dir(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Dir() error = %v; want ErrNotFound", err)
	}
}

func TestSharedDataPresent(t *testing.T) {
	t.Setenv("ERG_DATA", "")
	d, err := Dir()
	if err != nil {
		t.Skipf("shared data absent: %v", err)
	}
	if _, err := os.Stat(filepath.Join(d, "ucr", "GunPoint", "GunPoint_TRAIN.ts")); err != nil {
		t.Errorf("shared data at %s lacks GunPoint: %v", d, err)
	}
}
