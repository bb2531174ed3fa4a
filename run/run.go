package run

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ergml/erg/internal/atomicfile"
)

// DefaultRoot is the directory under which runs are created when no root is given.
const DefaultRoot = "runs"

// File names inside a run directory.
const (
	ConfigFile  = "config.json"
	MetricsFile = "metrics.jsonl"
	EnergyFile  = "energy.json"
	SummaryFile = "summary.json"
	FiguresFile = "figures.json"
	ReportFile  = "report.html"
)

// Dir is one run directory.
type Dir struct {
	Path string // directory path
	Name string // the user's name for the run (the part after the time stamp)

	mu      sync.Mutex
	metrics *os.File
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// Create makes a new run directory root/<YYYYmmdd-HHMMSS>-<name> and writes config to
// config.json. An empty root means DefaultRoot. The name may hold letters, digits, '.',
// '_' and '-'.
func Create(root, name string, config any) (*Dir, error) {
	if root == "" {
		root = DefaultRoot
	}
	if name == "" {
		name = "run"
	}
	if !nameRE.MatchString(name) {
		return nil, fmt.Errorf("run: bad run name %q: use letters, digits, '.', '_' and '-'", name)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	stamp := time.Now().Format("20060102-150405")
	var path string
	for i := 0; ; i++ {
		path = filepath.Join(root, stamp+"-"+name)
		if i > 0 {
			path = filepath.Join(root, fmt.Sprintf("%s-%s.%d", stamp, name, i))
		}
		err := os.Mkdir(path, 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("run: %w", err)
		}
	}
	d := &Dir{Path: path, Name: name}
	if err := d.WriteJSON(ConfigFile, config); err != nil {
		return nil, err
	}
	return d, nil
}

// Open opens an existing run directory (one holding config.json).
func Open(path string) (*Dir, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("run: %s is not a directory", path)
	}
	if _, err := os.Stat(filepath.Join(path, ConfigFile)); err != nil {
		return nil, fmt.Errorf("run: %s is not a run directory (no %s)", path, ConfigFile)
	}
	base := filepath.Base(filepath.Clean(path))
	name := base
	if len(base) > 16 && base[8] == '-' && base[15] == '-' {
		name = base[16:]
	}
	return &Dir{Path: path, Name: name}, nil
}

// File returns the path of name inside the run directory.
func (d *Dir) File(name string) string { return filepath.Join(d.Path, name) }

// WriteFile writes data to name inside the run directory, atomically.
func (d *Dir) WriteFile(name string, data []byte) error {
	return atomicfile.Write(d.File(name), data)
}

// WriteJSON writes v as indented JSON to name inside the run directory, atomically.
func (d *Dir) WriteJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("run: encoding %s: %w", name, err)
	}
	return d.WriteFile(name, append(b, '\n'))
}

// ReadJSON decodes name inside the run directory into v.
func (d *Dir) ReadJSON(name string, v any) error {
	b, err := os.ReadFile(d.File(name))
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("run: %s: %w", d.File(name), err)
	}
	return nil
}

// Metric is one line of metrics.jsonl. Step is required; everything else is free-form
// (loss, lr, seconds, joules, per-capability figures).
type Metric map[string]any

// Log appends one metric line to metrics.jsonl and flushes it.
func (d *Dir) Log(m Metric) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.metrics == nil {
		f, err := os.OpenFile(d.File(MetricsFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("run: %w", err)
		}
		d.metrics = f
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("run: encoding metric: %w", err)
	}
	_, err = d.metrics.Write(append(b, '\n'))
	return err
}

// Close closes the metrics file.
func (d *Dir) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.metrics == nil {
		return nil
	}
	err := d.metrics.Close()
	d.metrics = nil
	return err
}

// Metrics reads metrics.jsonl. A torn last line (from a killed process) is ignored.
func (d *Dir) Metrics() ([]Metric, error) {
	f, err := os.Open(d.File(MetricsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("run: %s: %w", d.File(MetricsFile), err)
	}
	var out []Metric
	for i, l := range lines {
		b := bytes.TrimSpace(l)
		if len(b) == 0 {
			continue
		}
		var m Metric
		if err := json.Unmarshal(b, &m); err != nil {
			if i == len(lines)-1 { // torn final line of a killed process
				break
			}
			return nil, fmt.Errorf("run: %s line %d: %w", d.File(MetricsFile), i+1, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// TruncateMetrics drops the metric lines whose "step" is greater than step (lines logged
// after the checkpoint a run resumes from), rewriting metrics.jsonl atomically.
func (d *Dir) TruncateMetrics(step int) error {
	ms, err := d.Metrics()
	if err != nil {
		return err
	}
	d.Close()
	var buf bytes.Buffer
	for _, m := range ms {
		if s, ok := m["step"].(float64); ok && int(s) > step {
			continue
		}
		b, _ := json.Marshal(m)
		buf.Write(append(b, '\n'))
	}
	return d.WriteFile(MetricsFile, buf.Bytes())
}

// Figure is an image in the run directory shown in the report.
type Figure struct {
	File    string `json:"file"`
	Caption string `json:"caption"`
}

// AddFigure records an image file (already written inside the run directory) to be shown
// in report.html. Adding the same file again replaces its caption.
func (d *Dir) AddFigure(file, caption string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	figs, _ := d.figures()
	for i := range figs {
		if figs[i].File == file {
			figs[i].Caption = caption
			return d.WriteJSON(FiguresFile, figs)
		}
	}
	figs = append(figs, Figure{File: file, Caption: caption})
	return d.WriteJSON(FiguresFile, figs)
}

func (d *Dir) figures() ([]Figure, error) {
	var figs []Figure
	if _, err := os.Stat(d.File(FiguresFile)); err != nil {
		return nil, nil
	}
	err := d.ReadJSON(FiguresFile, &figs)
	return figs, err
}

// Figures lists the figures recorded with AddFigure.
func (d *Dir) Figures() ([]Figure, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.figures()
}

// Summary is a run's headline: the figures a capability reports at its end.
type Summary map[string]any

// Info describes one run for listings.
type Info struct {
	Path     string    `json:"path"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Command  string    `json:"command,omitempty"`
	Steps    int       `json:"steps"`
	Loss     *float64  `json:"loss,omitempty"`
	Joules   *float64  `json:"joules,omitempty"`
	Status   string    `json:"status"` // "finished", "running/killed", "failed"
	Energy   string    `json:"energy_status,omitempty"`
	Headline string    `json:"headline,omitempty"`
}

// List returns the runs under root, oldest first.
func List(root string) ([]Info, error) {
	if root == "" {
		root = DefaultRoot
	}
	ents, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	var out []Info
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		d, err := Open(filepath.Join(root, e.Name()))
		if err != nil {
			continue
		}
		out = append(out, d.Info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Info summarises the run.
func (d *Dir) Info() Info {
	inf := Info{Path: d.Path, Name: d.Name, Status: "running/killed"}
	if st, err := os.Stat(d.File(ConfigFile)); err == nil {
		inf.Created = st.ModTime()
	}
	var cfg map[string]any
	if d.ReadJSON(ConfigFile, &cfg) == nil {
		if c, ok := cfg["command"].(string); ok {
			inf.Command = c
		}
	}
	var sum Summary
	if d.ReadJSON(SummaryFile, &sum) == nil {
		if s, ok := sum["status"].(string); ok {
			inf.Status = s
		} else {
			inf.Status = "finished"
		}
		if s, ok := sum["steps"].(float64); ok {
			inf.Steps = int(s)
		}
		if l, ok := sum["loss"].(float64); ok {
			inf.Loss = &l
		}
		if h, ok := sum["headline"].(string); ok {
			inf.Headline = h
		}
	} else if ms, _ := d.Metrics(); len(ms) > 0 {
		last := ms[len(ms)-1]
		if s, ok := last["step"].(float64); ok {
			inf.Steps = int(s)
		}
		if l, ok := last["loss"].(float64); ok {
			inf.Loss = &l
		}
	}
	var en map[string]any
	if d.ReadJSON(EnergyFile, &en) == nil {
		if j, ok := en["joules"].(float64); ok {
			inf.Joules = &j
		}
		if s, ok := en["status"].(string); ok {
			inf.Energy = s
		}
	}
	return inf
}

// Resolve finds a run given a path or a unique suffix of a run directory name under root.
func Resolve(root, ref string) (*Dir, error) {
	if d, err := Open(ref); err == nil {
		return d, nil
	}
	infos, err := List(root)
	if err != nil {
		return nil, err
	}
	var match []string
	for _, inf := range infos {
		if strings.HasSuffix(inf.Path, ref) || strings.Contains(filepath.Base(inf.Path), ref) {
			match = append(match, inf.Path)
		}
	}
	switch len(match) {
	case 0:
		return nil, fmt.Errorf("run: no run %q (not a run directory, nor a name under %s)", ref, root)
	case 1:
		return Open(match[0])
	}
	return nil, fmt.Errorf("run: %q matches %d runs: %s", ref, len(match), strings.Join(match, ", "))
}
