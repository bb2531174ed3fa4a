package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Python is the interpreter peers run with: Debian's Python packages (python3-torch,
// ...) load only with it.
const Python = "/usr/bin/python3"

// ErrPeerUnavailable is wrapped by RunPython's error when the interpreter or a
// module the script imports is missing.
var ErrPeerUnavailable = errors.New("peer unavailable")

// PeerResult is the JSON line a peer script prints: its name, milliseconds per
// workload and anything else it reports (kept in Info).
type PeerResult struct {
	Peer string             `json:"peer"`
	MS   map[string]float64 `json:"ms"`
	Info map[string]any     `json:"-"`
}

// RunPython writes script to a temporary file, runs it with Python and args under
// a timeout, and parses the last non-empty line of its standard output as a
// PeerResult. A missing interpreter or a ModuleNotFoundError gives an error wrapping
// ErrPeerUnavailable; other failures quote the end of the script's standard error.
func RunPython(ctx context.Context, name string, script []byte, args []string, timeout time.Duration) (*PeerResult, error) {
	if _, err := os.Stat(Python); err != nil {
		return nil, fmt.Errorf("bench: %s: %w: %v", name, ErrPeerUnavailable, err)
	}
	f, err := os.CreateTemp("", "erg-bench-*.py")
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", name, err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(script); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: %s: writing %s: %w", name, f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("bench: %s: writing %s: %w", name, f.Name(), err)
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, Python, append([]string{f.Name()}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("bench: %s: timed out after %v", name, timeout)
	}
	if err != nil {
		tail := lastLines(stderr.String(), 3)
		if strings.Contains(stderr.String(), "ModuleNotFoundError") {
			return nil, fmt.Errorf("bench: %s: %w: %s", name, ErrPeerUnavailable, tail)
		}
		return nil, fmt.Errorf("bench: %s: %w: %s", name, err, tail)
	}
	return ParsePeer(name, stdout.Bytes())
}

// ParsePeer parses the last non-empty line of out as a PeerResult.
func ParsePeer(name string, out []byte) (*PeerResult, error) {
	line := lastLines(string(out), 1)
	if line == "" {
		return nil, fmt.Errorf("bench: %s: no output", name)
	}
	var r PeerResult
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		return nil, fmt.Errorf("bench: %s: last output line: %w", name, err)
	}
	if err := json.Unmarshal([]byte(line), &r.Info); err != nil {
		return nil, fmt.Errorf("bench: %s: last output line: %w", name, err)
	}
	delete(r.Info, "peer")
	delete(r.Info, "ms")
	if len(r.MS) == 0 {
		return nil, fmt.Errorf("bench: %s: output has no \"ms\" figures: %s", name, line)
	}
	return &r, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.TrimSpace(strings.Join(lines, " | "))
}

// Figure is one workload's comparison. Milliseconds are per step (or per the
// workload's unit); PeerMS and Ratio are zero when the peer did not run.
type Figure struct {
	Name   string  `json:"name"`
	Title  string  `json:"title"`
	ErgMS  float64 `json:"erg_ms"`
	PeerMS float64 `json:"peer_ms,omitempty"`
	Ratio  float64 `json:"ratio,omitempty"` // ErgMS / PeerMS
	Goal   float64 `json:"goal,omitempty"`  // the ratio aimed at (at most), 0 if none
}

// Report is the outcome of one `erg bench` subcommand.
type Report struct {
	Suite     string         `json:"suite"`
	Erg       string         `json:"erg"`            // erg's configuration (backend, ...)
	Machine   string         `json:"machine"`        // CPUs and load, see Machine
	Busy      bool           `json:"busy,omitempty"` // the load exceeded the CPU count at some point
	Peer      string         `json:"peer,omitempty"` // the peer's name and version
	PeerError string         `json:"peer_error,omitempty"`
	PeerInfo  map[string]any `json:"peer_info,omitempty"`
	Figures   []Figure       `json:"workloads"`
}

// SetPeer records the peer's result (nil if it failed with err) and fills in the
// peer figures and ratios of the workloads it reports.
func (r *Report) SetPeer(p *PeerResult, err error) {
	if err != nil {
		r.PeerError = err.Error()
		return
	}
	r.Peer, r.PeerInfo = p.Peer, p.Info
	for i := range r.Figures {
		f := &r.Figures[i]
		if ms, ok := p.MS[f.Name]; ok && ms > 0 && !math.IsInf(ms, 0) {
			f.PeerMS = ms
			f.Ratio = f.ErgMS / ms
		}
	}
}

// Machine describes the machine for a report: the CPU count and the one-minute load
// average (from /proc/loadavg where available), and whether the load exceeds the CPU
// count. Figures taken on a busy machine are slowed by other programs, unevenly
// between erg and its peer (PyTorch's OpenMP threads suffer most).
func Machine() (desc string, busy bool) {
	desc = fmt.Sprintf("%d CPUs", runtime.NumCPU())
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			desc += ", load average " + f[0]
			if load, err := strconv.ParseFloat(f[0], 64); err == nil && load > float64(runtime.NumCPU()) {
				busy = true
			}
		}
	}
	return desc, busy
}

// WriteTable writes the report as an aligned text table.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "erg bench %s on %s\nerg (%s) vs ", r.Suite, r.Machine, r.Erg)
	if r.PeerError != "" {
		fmt.Fprintf(&b, "peer unavailable (%s)\n", r.PeerError)
	} else {
		fmt.Fprintf(&b, "%s\n", r.Peer)
		if blas, ok := r.PeerInfo["blas"].(string); ok {
			fmt.Fprintf(&b, "peer BLAS: %s\n", blas)
		}
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "workload\terg ms\tpeer ms\terg/peer\tgoal\t")
	for _, f := range r.Figures {
		peer, ratio, goal := "-", "-", "-"
		if f.PeerMS > 0 {
			peer, ratio = fmt.Sprintf("%.3g", f.PeerMS), fmt.Sprintf("%.2fx", f.Ratio)
		}
		if f.Goal > 0 {
			goal = fmt.Sprintf("<=%.2gx", f.Goal)
		}
		fmt.Fprintf(tw, "%s\t%.3g\t%s\t%s\t%s\t\n", f.Title, f.ErgMS, peer, ratio, goal)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Busy {
		fmt.Fprintln(&b, "warning: the machine was busy (load above its CPU count): the figures and ratios are unreliable")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
