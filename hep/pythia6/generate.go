package pythia6

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
)

// Process is a hard process of the driver.
type Process int

// The driver's processes.
const (
	QCD Process = 1 // QCD 2→2 (MSEL=1)
	Top Process = 2 // tt̄ (MSEL=6), W → qq̄
	W   Process = 3 // W+jet, qq̄′→gW (MSUB(16)) and qg→q′W (MSUB(31)), W → qq̄
)

// String returns the process's name on the command line.
func (p Process) String() string {
	switch p {
	case QCD:
		return "qcd"
	case Top:
		return "top"
	case W:
		return "w"
	}
	return fmt.Sprintf("Process(%d)", int(p))
}

// ParseProcess parses qcd, top or w.
func ParseProcess(s string) (Process, error) {
	switch strings.ToLower(s) {
	case "qcd":
		return QCD, nil
	case "top", "ttbar":
		return Top, nil
	case "w", "wjet":
		return W, nil
	}
	return 0, fmt.Errorf("unknown process %q (want qcd, top or w)", s)
}

// MaxSeed is the largest seed of a driver process (Pythia's MRPY(1) < 900 000 000).
const MaxSeed = 899_999_999

// Config selects what one driver process generates.
type Config struct {
	Process      Process
	Events       int
	Seed         int     // MRPY(1), in [0, MaxSeed]
	PtMin, PtMax float64 // p̂T window of the hard process (CKIN(3), CKIN(4)), GeV
	ECM          float64 // centre-of-mass energy, GeV
}

// Input returns the driver's standard-input line for c.
func (c Config) Input() string {
	return fmt.Sprintf("%d %d %d %.6f %.6f %.6f\n", int(c.Process), c.Events, c.Seed, c.PtMin, c.PtMax, c.ECM)
}

// Run runs the driver exe for c and calls fn with each event (the Event is reused
// between calls). It returns the settings the driver reports. An error from fn
// stops the driver.
func Run(ctx context.Context, exe string, c Config, fn func(*Event) error) ([]Setting, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Stdin = strings.NewReader(c.Input())
	var stderr strings.Builder
	cmd.Stderr = &limitWriter{w: &stderr, n: 4096}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("pythia6: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pythia6: %w", err)
	}
	r := NewReader(bufio.NewReaderSize(out, 1<<20), fmt.Sprintf("pythia6 %s seed %d", c.Process, c.Seed))
	var ev Event
	var rerr error
	for {
		if err := r.Next(&ev); err != nil {
			if !errors.Is(err, io.EOF) {
				rerr = err
			}
			break
		}
		if err := fn(&ev); err != nil {
			rerr = err
			break
		}
	}
	if rerr != nil {
		cancel()
		io.Copy(io.Discard, out)
		cmd.Wait()
		return r.Settings(), rerr
	}
	if err := cmd.Wait(); err != nil {
		return r.Settings(), fmt.Errorf("pythia6: driver: %w: %s", err, stderr.String())
	}
	return r.Settings(), nil
}

// Generate runs one driver process per configuration in parallel and calls fn(k, ev)
// with the events of process k; calls for one k are sequential, calls for different
// k concurrent. It returns each process's settings.
func Generate(ctx context.Context, exe string, cfgs []Config, fn func(k int, ev *Event) error) ([][]Setting, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	settings := make([][]Setting, len(cfgs))
	errs := make([]error, len(cfgs))
	var wg sync.WaitGroup
	for k := range cfgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			settings[k], errs[k] = Run(ctx, exe, cfgs[k], func(ev *Event) error { return fn(k, ev) })
			if errs[k] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return settings, err
		}
	}
	return settings, ctx.Err()
}

type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		q := p
		if len(q) > l.n {
			q = q[:l.n]
		}
		l.n -= len(q)
		l.w.Write(q)
	}
	return len(p), nil
}
