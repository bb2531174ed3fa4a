package pythia6

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// DriverSource is the Fortran source of erg's driver.
//
//go:embed fortran/driver.f
var DriverSource []byte

// DefaultSource is where Debian's hepmc3-doc package installs the Pythia 6.4.28 source.
const DefaultSource = "/usr/share/doc/hepmc3-doc/examples/Pythia6Example/pythia-6.4.28.f.gz"

// ErrUnavailable reports that gfortran or the Pythia source is missing.
var ErrUnavailable = errors.New("pythia6: needs Debian packages gfortran and hepmc3-doc")

// Source returns the path of the gzipped Pythia source: $ERG_PYTHIA6_SRC or DefaultSource.
func Source() string {
	if s := os.Getenv("ERG_PYTHIA6_SRC"); s != "" {
		return s
	}
	return DefaultSource
}

// CacheDir returns the directory of built drivers: $ERG_CACHE/pythia6, or
// erg/pythia6 under the user cache directory ($XDG_CACHE_HOME, ~/.cache).
func CacheDir() (string, error) {
	if d := os.Getenv("ERG_CACHE"); d != "" {
		return filepath.Join(d, "pythia6"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("pythia6: %w", err)
	}
	return filepath.Join(d, "erg", "pythia6"), nil
}

// Available reports whether Build can work (gfortran on PATH, Pythia source present).
func Available() error {
	if _, err := exec.LookPath("gfortran"); err != nil {
		return fmt.Errorf("%w: gfortran not found", ErrUnavailable)
	}
	if _, err := os.Stat(Source()); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

// Build returns the path of the compiled driver, compiling Pythia (once per source
// hash, about a minute) and the driver if the cache lacks them. log, if not nil,
// receives a line when compilation starts. Concurrent builds are safe: files are
// written under temporary names and renamed.
func Build(ctx context.Context, log io.Writer) (string, error) {
	if err := Available(); err != nil {
		return "", err
	}
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("pythia6: %w", err)
	}
	gz, err := os.ReadFile(Source())
	if err != nil {
		return "", fmt.Errorf("pythia6: %w", err)
	}
	hp := sha256.Sum256(gz)
	obj := filepath.Join(dir, "pythia-"+hex.EncodeToString(hp[:8])+".o")
	h := sha256.New()
	h.Write(hp[:])
	h.Write(DriverSource)
	exe := filepath.Join(dir, "ergpy6-"+hex.EncodeToString(h.Sum(nil)[:8]))
	if _, err := os.Stat(exe); err == nil {
		return exe, nil
	}
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", fmt.Errorf("pythia6: %w", err)
	}
	defer os.RemoveAll(tmp)
	if _, err := os.Stat(obj); err != nil {
		if log != nil {
			fmt.Fprintf(log, "pythia6: compiling Pythia 6.4.28 from %s into %s (first use, about a minute)\n", Source(), dir)
		}
		src := filepath.Join(tmp, "pythia.f")
		if err := gunzip(Source(), src); err != nil {
			return "", err
		}
		o := filepath.Join(tmp, "pythia.o")
		if err := gfortran(ctx, tmp, "-c", src, "-o", o); err != nil {
			return "", err
		}
		if err := os.Rename(o, obj); err != nil {
			return "", fmt.Errorf("pythia6: %w", err)
		}
	}
	drv := filepath.Join(tmp, "driver.f")
	if err := os.WriteFile(drv, DriverSource, 0o644); err != nil {
		return "", fmt.Errorf("pythia6: %w", err)
	}
	out := filepath.Join(tmp, "ergpy6")
	if err := gfortran(ctx, tmp, drv, obj, "-o", out); err != nil {
		return "", err
	}
	if err := os.Rename(out, exe); err != nil {
		return "", fmt.Errorf("pythia6: %w", err)
	}
	return exe, nil
}

// Flags are the gfortran flags of the build.
var Flags = []string{"-O2", "-std=legacy", "-w"}

func gfortran(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "gfortran", append(append([]string{}, Flags...), args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pythia6: gfortran: %w\n%s", err, out)
	}
	return nil
}

func gunzip(from, to string) error {
	f, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("pythia6: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("pythia6: %s: %w", from, err)
	}
	w, err := os.Create(to)
	if err != nil {
		return fmt.Errorf("pythia6: %w", err)
	}
	if _, err := io.Copy(w, zr); err != nil {
		w.Close()
		return fmt.Errorf("pythia6: %s: %w", from, err)
	}
	return w.Close()
}
