package meter

import (
	"bufio"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// materialize builds the fake powercap tree described by testdata/powercap/<name>.txt
// in a fresh temporary directory and returns its root.
func materialize(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "powercap", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	root := t.TempDir()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		p, content, ok := strings.Cut(s, " ")
		if !ok {
			t.Fatalf("%s.txt:%d: want <file> <content>", name, line)
		}
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return root
}

func setCounter(t *testing.T, root, zone string, uj uint64) {
	t.Helper()
	p := filepath.Join(root, zone, "energy_uj")
	if err := os.WriteFile(p, []byte(strconv.FormatUint(uj, 10)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeClock is a settable clock for deterministic durations.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fakeProc is a settable Process.
type fakeProc struct {
	mu    sync.Mutex
	u     Usage
	err   error
	calls int
}

func (p *fakeProc) Usage() (Usage, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	return p.u, p.err
}
func (p *fakeProc) set(cpu time.Duration, rss int64) {
	p.mu.Lock()
	p.u = Usage{CPU: cpu, RSS: rss}
	p.mu.Unlock()
}

func findSource(r Report, name string) (Source, bool) {
	for _, s := range r.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

const tolJ = 1e-9 // J; all inputs are exact in µJ

func TestRAPLDelta(t *testing.T) {
	const max = 262143328850
	for _, c := range []struct {
		prev, cur, max uint64
		want           uint64
		wrapped        bool
	}{
		{100, 250, max, 150, false},
		{max - 1000, 500, max, 1500, true}, // one wrap: (max - prev) + cur
		{max, 0, max, 0, true},
		{700, 300, 0, 300, true},               // range unknown: counter restarted from 0
		{max + 5, 10, max, 10, true},           // prev beyond the range: restart
		{5, 5, max, 0, false},                  // no energy
		{0, max, max, max, false},              // a full range without wrap
		{max - 1, max - 2, max, max - 1, true}, // decrease by one µJ = almost a full range
	} {
		got, w := raplDelta(c.prev, c.cur, c.max)
		if got != c.want || w != c.wrapped {
			t.Errorf("raplDelta(%d, %d, %d) = %d, %v; want %d, %v", c.prev, c.cur, c.max, got, w, c.want, c.wrapped)
		}
	}
}

func TestRAPLTwoPackagesWithDRAM(t *testing.T) {
	root := materialize(t, "two-packages")
	proc := &fakeProc{err: errors.New("must not be called: everything is measured")}
	clk := newClock()
	m, err := Start(Config{PowercapRoot: root, ProcRoot: "testdata/proc/xeon-gold-6148", Process: proc,
		DisableGPU: true, Interval: time.Hour, clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	setCounter(t, root, "intel-rapl:0", 1000000+3000000)  // +3 J
	setCounter(t, root, "intel-rapl:1", 5000000+5500000)  // +5.5 J
	setCounter(t, root, "intel-rapl:0:1", 200000+1000000) // dram +1 J
	setCounter(t, root, "intel-rapl:1:1", 300000+250000)  // dram +0.25 J
	setCounter(t, root, "intel-rapl:0:0", 400000+9000000) // core: inside the package, ignored
	setCounter(t, root, "intel-rapl-mmio:0", 99999999999) // MMIO duplicate, ignored
	clk.advance(4 * time.Second)
	r := m.Stop()

	if math.Abs(r.CPUJoules-8.5) > tolJ || math.Abs(r.DRAMJoules-1.25) > tolJ || r.MemJoules != 0 || r.GPUJoules != 0 {
		t.Errorf("CPU, DRAM, Mem, GPU J = %v, %v, %v, %v; want 8.5, 1.25, 0, 0", r.CPUJoules, r.DRAMJoules, r.MemJoules, r.GPUJoules)
	}
	if math.Abs(r.Joules-9.75) > tolJ {
		t.Errorf("Joules = %v, want 9.75", r.Joules)
	}
	if r.Status != StatusMeasured || r.TrackingMode != "machine" {
		t.Errorf("status, mode = %q, %q; want measured, machine", r.Status, r.TrackingMode)
	}
	if r.Seconds != 4 {
		t.Errorf("Seconds = %v, want 4", r.Seconds)
	}
	for name, want := range map[string]float64{
		"rapl:package-0": 3, "rapl:package-1": 5.5, "rapl:package-0:dram": 1, "rapl:package-1:dram": 0.25,
	} {
		s, ok := findSource(r, name)
		if !ok {
			t.Errorf("source %s missing; have %+v", name, r.Sources)
			continue
		}
		if s.Status != StatusMeasured || math.Abs(s.Joules-want) > tolJ {
			t.Errorf("%s: %s %v J, want measured %v J", name, s.Status, s.Joules, want)
		}
		if !strings.Contains(s.Method, "max_energy_range_uj=") {
			t.Errorf("%s: method %q does not name the wrap range", name, s.Method)
		}
	}
	for _, s := range r.Sources {
		if strings.Contains(s.Name, "core") || s.Joules > 100 {
			t.Errorf("source %+v should not be counted", s)
		}
	}
	if proc.calls != 0 {
		t.Errorf("process usage read %d times; nothing is estimated", proc.calls)
	}
	if r.CPUModel != "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz" || r.CPUCount != 4 {
		t.Errorf("cpu = %q x %d", r.CPUModel, r.CPUCount)
	}
}

func TestRAPLWraparound(t *testing.T) {
	root := materialize(t, "laptop-wrap")
	proc := &fakeProc{}
	clk := newClock()
	m, err := Start(Config{PowercapRoot: root, ProcRoot: "testdata/proc/i7-8700k", Process: proc,
		DisableGPU: true, Interval: time.Hour, clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	// Start read 262143000000 of a 262143328850 range; the counter wraps and reads 1000000.
	setCounter(t, root, "intel-rapl:0", 1000000)
	r := m.Read()
	want := (262143328850 - 262143000000 + 1000000) / 1e6 // 1.32885 J
	s, _ := findSource(r, "rapl:package-0")
	if math.Abs(r.CPUJoules-want) > tolJ || s.Wraps != 1 {
		t.Errorf("after one wrap: CPU %v J, wraps %d; want %v J, 1", r.CPUJoules, s.Wraps, want)
	}
	setCounter(t, root, "intel-rapl:0", 3000000) // +2 J, no wrap
	r = m.Stop()
	if math.Abs(r.CPUJoules-(want+2)) > tolJ {
		t.Errorf("CPU J = %v, want %v", r.CPUJoules, want+2)
	}
	// No dram zone: RAM is estimated, so the run is mixed.
	if r.Status != StatusMixed {
		t.Errorf("status %q, want mixed (CPU measured, RAM estimated)", r.Status)
	}
	if ps, ok := findSource(r, "rapl:psys"); !ok || ps.Status != StatusUnavailable {
		t.Errorf("psys zone: %+v, want reported unavailable", ps)
	}
}

func TestRAPLBackgroundTickerCatchesWraps(t *testing.T) {
	root := materialize(t, "laptop-wrap")
	m, err := Start(Config{PowercapRoot: root, ProcRoot: "testdata/proc/i7-8700k", Process: &fakeProc{},
		DisableGPU: true, Interval: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Stop()
	waitPolls := func(n int) {
		t.Helper()
		m.mu.Lock()
		target := m.polls + n
		m.mu.Unlock()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			m.mu.Lock()
			p := m.polls
			m.mu.Unlock()
			if p >= target {
				return
			}
			time.Sleep(time.Millisecond)
		}
		t.Fatalf("background ticker did not sample %d times within 5 s", n)
	}
	// Two wraps with no Read in between: only the ticker can see them.
	setCounter(t, root, "intel-rapl:0", 262143328850-10) // near the top again: delta 328840 µJ
	waitPolls(2)
	setCounter(t, root, "intel-rapl:0", 5) // wrap: 10 + 5 µJ
	waitPolls(2)
	setCounter(t, root, "intel-rapl:0", 262143328850-10) // climb: 262143328835 µJ
	waitPolls(2)
	setCounter(t, root, "intel-rapl:0", 7) // wrap: 17 µJ
	waitPolls(2)
	r := m.Stop()
	s, _ := findSource(r, "rapl:package-0")
	wantUJ := 328840.0 + 15 + 262143328835 + 17
	if s.Wraps != 2 || math.Abs(r.CPUJoules-wantUJ/1e6) > tolJ {
		t.Errorf("wraps %d, CPU %v J; want 2, %v J", s.Wraps, r.CPUJoules, wantUJ/1e6)
	}
}

func TestRAPLPermissionDeniedFallsBack(t *testing.T) {
	root := materialize(t, "two-packages")
	denied := filepath.Join(root, "intel-rapl:1", "energy_uj")
	read := func(p string) ([]byte, error) {
		if p == denied {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
		}
		return os.ReadFile(p)
	}
	proc := &fakeProc{}
	proc.set(time.Second, 0)
	clk := newClock()
	m, err := Start(Config{PowercapRoot: root, ProcRoot: "testdata/proc/xeon-gold-6148", Process: proc,
		DisableGPU: true, Interval: time.Hour, readFile: read, clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	proc.set(3*time.Second, 0)
	setCounter(t, root, "intel-rapl:0", 1000000+50000000) // would be 50 J if (wrongly) counted
	r := m.Stop()
	s, ok := findSource(r, "rapl:package-1")
	if !ok || s.Status != StatusUnavailable || !strings.Contains(s.Note, "permission denied") || !strings.Contains(s.Note, "fell back") {
		t.Errorf("package-1 source = %+v; want unavailable with a permission-denied note", s)
	}
	s0, _ := findSource(r, "rapl:package-0")
	if s0.Status != StatusUnavailable || s0.Joules != 0 {
		t.Errorf("package-0 = %+v; want unavailable (partial package sums are not counted)", s0)
	}
	// Estimate: 2 CPU-seconds × 150 W / 40 threads.
	est, _ := findSource(r, "cpu-time")
	if math.Abs(r.CPUJoules-7.5) > 1e-12 || est.Status != StatusEstimated {
		t.Errorf("CPU = %v J from %+v; want 7.5 J estimated", r.CPUJoules, est)
	}
	if r.Status != StatusEstimated {
		t.Errorf("status %q, want estimated", r.Status)
	}
	if d, _ := findSource(r, "rapl:package-0:dram"); d.Status != StatusUnavailable {
		t.Errorf("dram with an estimated CPU = %+v; want unavailable", d)
	}
}

// TestRAPLUnreadableForReal makes energy_uj fail for real even as root: a directory
// where the file is expected (read(2) gives EISDIR). When not root it also tries a
// mode-000 file, which root could read.
func TestRAPLUnreadableForReal(t *testing.T) {
	cases := []string{"directory"}
	if os.Geteuid() != 0 {
		cases = append(cases, "mode-000")
	}
	for _, c := range cases {
		t.Run(c, func(t *testing.T) {
			root := materialize(t, "amd")
			p := filepath.Join(root, "amd-rapl:0", "energy_uj")
			switch c {
			case "directory":
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(p, 0o755); err != nil {
					t.Fatal(err)
				}
			case "mode-000":
				if err := os.Chmod(p, 0); err != nil {
					t.Fatal(err)
				}
			}
			r, err := Probe(Config{PowercapRoot: root, ProcRoot: "testdata/proc/epyc-7742", Process: &fakeProc{}, DisableGPU: true})
			if err != nil {
				t.Fatal(err)
			}
			s, _ := findSource(r, "rapl:package-0")
			if s.Status != StatusUnavailable || !strings.Contains(s.Note, "energy_uj") {
				t.Errorf("source = %+v; want unavailable naming energy_uj", s)
			}
			if c == "mode-000" && !strings.Contains(s.Note, "permission denied") {
				t.Errorf("note %q does not say permission denied", s.Note)
			}
			if r.Status != StatusEstimated {
				t.Errorf("status %q, want estimated", r.Status)
			}
		})
	}
}

func TestRAPLOtherControlTypeAndFastWrapWarning(t *testing.T) {
	root := materialize(t, "amd")
	r, err := Probe(Config{PowercapRoot: root, ProcRoot: "testdata/proc/epyc-7742", Process: &fakeProc{}, DisableGPU: true})
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := findSource(r, "rapl:package-0"); !ok || s.Status != StatusMeasured || s.Note != "" {
		t.Errorf("amd-rapl:0 = %+v; want measured without warnings", s)
	}

	root = materialize(t, "fast-wrap")
	r, err = Probe(Config{PowercapRoot: root, ProcRoot: "testdata/proc/epyc-7742", Process: &fakeProc{}, DisableGPU: true})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := findSource(r, "rapl:package-0"); !strings.Contains(s.Note, "wrap every 5 s") {
		t.Errorf("fast-wrap note = %q; want a warning that it wraps every 5 s", s.Note)
	}
}

func TestNoPowercap(t *testing.T) {
	r, err := Probe(Config{PowercapRoot: filepath.Join(t.TempDir(), "absent"), ProcRoot: "testdata/proc/vm-unknown",
		Process: &fakeProc{}, DisableGPU: true})
	if err != nil {
		t.Fatal(err)
	}
	s, ok := findSource(r, "rapl")
	if !ok || s.Status != StatusUnavailable || !strings.Contains(s.Note, "no powercap/RAPL driver") {
		t.Errorf("rapl source = %+v; want unavailable with the reason", s)
	}
	empty := t.TempDir()
	r, _ = Probe(Config{PowercapRoot: empty, ProcRoot: "testdata/proc/vm-unknown", Process: &fakeProc{}, DisableGPU: true})
	if s, _ := findSource(r, "rapl"); !strings.Contains(s.Note, "no *-rapl:N zones") {
		t.Errorf("empty powercap note = %q", s.Note)
	}
}
