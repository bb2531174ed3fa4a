package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ergml/erg/bench/peers"
)

// Python is the interpreter *.py peers run with: Debian's Python packages
// (python3-torch, python3-dolfinx-real, ...) load only with it.
const Python = "/usr/bin/python3"

// Rscript is the interpreter *.R peers run with, looked up on $PATH.
const Rscript = "Rscript"

// ErrPeerUnavailable is wrapped by RunPeer's error when the peer's interpreter, or a
// module or package its script loads, is not installed (scripts/install-peers.sh
// installs them). Any other failure is the peer's fault or the machine's.
var ErrPeerUnavailable = errors.New("peer unavailable")

// PeerResult is the JSON line a peer script prints last: its name and version,
// milliseconds per workload, and anything else it reports (kept in Info).
type PeerResult struct {
	Peer string             `json:"peer"`
	MS   map[string]float64 `json:"ms"`
	Info map[string]any     `json:"-"`
}

// Figures returns the peer's per-workload figures under key of its JSON line (an
// object of numbers, like "ms"), or nil if p is nil or has none.
func (p *PeerResult) Figures(key string) map[string]float64 {
	if p == nil {
		return nil
	}
	m, _ := p.Info[key].(map[string]any)
	var out map[string]float64
	for k, v := range m {
		if f, ok := v.(float64); ok {
			if out == nil {
				out = map[string]float64{}
			}
			out[k] = f
		}
	}
	return out
}

// Peer is one run of a peer program, for RunPeer.
type Peer struct {
	// Script names the peer script embedded in package bench/peers ("core.py",
	// "modes.R"). Its extension chooses the interpreter: Python for .py, Rscript for .R.
	Script string
	// Path, if set, runs this file instead of the embedded script (the --peer-script
	// override, for developing a peer).
	Path string
	// Source, if set, is run instead of the embedded script (tests).
	Source []byte
	// Interpreter overrides the interpreter chosen from the extension.
	Interpreter string
	Args        []string
	Timeout     time.Duration // 0: none besides ctx's
}

func (p Peer) interpreter() string {
	if p.Interpreter != "" {
		return p.Interpreter
	}
	name := p.Script
	if p.Path != "" {
		name = p.Path
	}
	if strings.EqualFold(filepath.Ext(name), ".r") {
		return Rscript
	}
	return Python
}

// RunPeer runs a peer program: the script (embedded, or p.Path) with its interpreter
// and p.Args under p.Timeout, and parses the last line of its standard output that
// starts with '{' as a PeerResult. Every `erg bench` suite starts its peer with it.
//
// A missing interpreter, or a script that fails on a missing module (Python's
// ModuleNotFoundError / ImportError, R's "there is no package called"), gives an
// error wrapping ErrPeerUnavailable. Other failures (non-zero exit, time-out, no
// JSON line, no "ms" figures) give a plain error quoting the end of the script's
// standard error.
func RunPeer(ctx context.Context, p Peer) (*PeerResult, error) {
	name := p.Script
	if p.Path != "" {
		name = p.Path
	}
	if name == "" {
		name = "peer"
	}
	fail := func(format string, a ...any) (*PeerResult, error) {
		return nil, fmt.Errorf("bench: %s: "+format, append([]any{name}, a...)...)
	}
	interp, err := exec.LookPath(p.interpreter())
	if err != nil {
		return fail("%w: %s not installed (%v)", ErrPeerUnavailable, p.interpreter(), err)
	}
	path := p.Path
	if path == "" {
		src := p.Source
		if src == nil {
			if src = peers.Script(p.Script); len(src) == 0 {
				return fail("no such embedded peer script (have %s)", strings.Join(peers.Names(), ", "))
			}
		}
		// All of bench/peers goes into one directory, so that a script imports the
		// shared modules beside it (ergpeer.py, visionzoo.py).
		dir, err := os.MkdirTemp("", "erg-peer-*")
		if err != nil {
			return fail("%w", err)
		}
		defer os.RemoveAll(dir)
		if err := os.CopyFS(dir, peers.FS); err != nil {
			return fail("unpacking the peer scripts into %s: %w", dir, err)
		}
		path = filepath.Join(dir, filepath.Base(name))
		if err := os.WriteFile(path, src, 0o644); err != nil {
			return fail("writing %s: %w", path, err)
		}
	}
	if p.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.Timeout)
		defer cancel()
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, interp, append([]string{path}, p.Args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second // do not hang on pipes kept open by the peer's children
	err = cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return fail("timed out after %v", p.Timeout)
	}
	if err := ctx.Err(); err != nil {
		return fail("%w", err)
	}
	if err != nil {
		tail := lastLines(stderr.String(), 3)
		if tail == "" {
			tail = lastLines(stdout.String(), 3)
		}
		if missingModule(stderr.String()) {
			return fail("%w: %s", ErrPeerUnavailable, tail)
		}
		return fail("%v: %s", err, tail)
	}
	r, err := ParsePeer(name, stdout.Bytes())
	if err != nil && stderr.Len() > 0 {
		err = fmt.Errorf("%w (stderr: %s)", err, lastLines(stderr.String(), 3))
	}
	return r, err
}

// missingModule reports whether a peer's standard error shows that a module or
// package it loads is not installed.
func missingModule(stderr string) bool {
	for _, s := range []string{"ModuleNotFoundError", "ImportError", "No module named", "there is no package called"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

// ParsePeer parses the last line of out that starts with '{' as a PeerResult; name
// is the peer's, for messages.
func ParsePeer(name string, out []byte) (*PeerResult, error) {
	var line string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "{") {
			line = l
		}
	}
	if line == "" {
		if s := lastLines(string(out), 1); s != "" {
			return nil, fmt.Errorf("bench: %s: no JSON line in its output (last line: %s)", name, s)
		}
		return nil, fmt.Errorf("bench: %s: no output", name)
	}
	var r PeerResult
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		return nil, fmt.Errorf("bench: %s: last JSON line: %w", name, err)
	}
	if err := json.Unmarshal([]byte(line), &r.Info); err != nil {
		return nil, fmt.Errorf("bench: %s: last JSON line: %w", name, err)
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

// Figure is one workload's comparison, a row of Report's "workloads". Milliseconds
// are per step, per epoch, per solve or per run, as the Title says; PeerMS and
// Ratio are 0 when the peer has no figure for the workload, Goal is 0 when none.
type Figure struct {
	Name   string  `json:"name"`
	Title  string  `json:"title"`
	ErgMS  float64 `json:"erg_ms"`
	PeerMS float64 `json:"peer_ms"`
	Ratio  float64 `json:"ratio"` // ErgMS / PeerMS
	Goal   float64 `json:"goal"`  // the ratio aimed at (at most)
	// PeerKey is the key of the workload's figure in the peer's "ms" (default Name),
	// for workloads sharing one peer figure (bench fem times two erg solvers).
	PeerKey string `json:"-"`
}

// Load is the machine's one-minute load average (0 where the system does not
// report it) when a suite started and when it ended.
type Load struct {
	Before float64 `json:"before"`
	After  float64 `json:"after"`
}

// Report is the outcome of one `erg bench` suite, the same for every suite; with
// --json the suite prints it as its one JSON object:
//
//	{"suite": "core", "machine": "2 CPUs, <model>", "load": {"before": 0.1, "after": 1.9},
//	 "busy": false, "peer": "PyTorch 1.13.1", "peer_error": "...",
//	 "workloads": [{"name", "title", "erg_ms", "peer_ms", "ratio", "goal"}, ...],
//	 "erg": "GoMLX go backend, float32", "peer_info": {...}, "notes": [...], "extra": {...}}
//
// peer_error (present only when the peer did not run: --no-peer, unavailable, or
// failed) and the last four are optional. peer_info holds the peer's JSON keys
// besides "peer" and "ms"; notes are lines of text the table prints under the
// figures; extra holds a suite's machine-readable figures that do not fit a
// workload row (bench fem: dofs and iteration counts; bench modes: targets).
type Report struct {
	Suite     string         `json:"suite"`
	Machine   string         `json:"machine"` // CPU count and model, see MachineName
	Load      Load           `json:"load"`
	Busy      bool           `json:"busy"` // the load exceeded the CPU count before or after
	Peer      string         `json:"peer"` // the peer's name and version; "" if it did not run
	PeerError string         `json:"peer_error,omitempty"`
	Figures   []Figure       `json:"workloads"`
	Erg       string         `json:"erg,omitempty"` // erg's configuration (backend, ...)
	PeerInfo  map[string]any `json:"peer_info,omitempty"`
	Notes     []string       `json:"notes,omitempty"`
	Extra     map[string]any `json:"extra,omitempty"`
}

// Start begins the report of a suite: it records the machine and the load before.
// Call Finish when the suite is done.
func Start(suite, erg string) *Report {
	r := &Report{Suite: suite, Erg: erg, Machine: MachineName(), Figures: []Figure{}}
	r.Load.Before = LoadAverage()
	r.Busy = r.Load.Before > float64(numCPU())
	return r
}

// Finish records the load after the suite and whether the machine was busy.
func (r *Report) Finish() {
	r.Load.After = LoadAverage()
	r.Busy = r.Load.Before > float64(numCPU()) || r.Load.After > float64(numCPU())
}

// Add appends a workload's erg figure.
func (r *Report) Add(f Figure) { r.Figures = append(r.Figures, f) }

// NoPeer is the PeerError of a suite run with --no-peer.
const NoPeer = "not run (--no-peer)"

// SetPeer records the peer's result (nil if it failed with err) and fills in the
// peer figures and ratios of the workloads it reports. Call it after the workloads
// are added.
func (r *Report) SetPeer(p *PeerResult, err error) {
	if err != nil {
		r.PeerError = err.Error()
		return
	}
	r.Peer, r.PeerInfo = p.Peer, p.Info
	for i := range r.Figures {
		f := &r.Figures[i]
		key := f.PeerKey
		if key == "" {
			key = f.Name
		}
		if ms, ok := p.MS[key]; ok && ms > 0 && !math.IsInf(ms, 0) {
			f.PeerMS = ms
			f.Ratio = f.ErgMS / ms
		}
	}
}

// SetExtra sets one key of the report's extra figures.
func (r *Report) SetExtra(key string, v any) {
	if r.Extra == nil {
		r.Extra = map[string]any{}
	}
	r.Extra[key] = v
}

var (
	loadavgFile = "/proc/loadavg"
	numCPU      = runtime.NumCPU
)

// LoadAverage is the machine's one-minute load average, from /proc/loadavg (0 where
// it is not available).
func LoadAverage() float64 {
	b, err := os.ReadFile(loadavgFile)
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0
	}
	return v
}

// MachineName describes the machine: its CPU count and, where /proc/cpuinfo tells,
// the CPU model.
func MachineName() string {
	desc := fmt.Sprintf("%d CPUs", numCPU())
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				desc += ", " + strings.Join(strings.Fields(v), " ")
				break
			}
		}
	}
	return desc
}

// WriteTable writes the report as an aligned text table: the machine and its load
// before and after, erg's and the peer's configurations, one row per workload, the
// notes, and a warning when the machine was busy.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "erg bench %s on %s\n", r.Suite, r.Machine)
	fmt.Fprintf(&b, "load average %.2f before, %.2f after\n", r.Load.Before, r.Load.After)
	fmt.Fprintf(&b, "erg (%s) vs ", r.Erg)
	if r.PeerError != "" {
		fmt.Fprintf(&b, "peer: %s\n", r.PeerError)
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
	for _, n := range r.Notes {
		fmt.Fprintln(&b, n)
	}
	if r.Busy {
		fmt.Fprintln(&b, "warning: the machine was busy (load above its CPU count): the figures and ratios are unreliable")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
