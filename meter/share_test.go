package meter

import (
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

// TestSharedSplitsConcurrentWork: two overlapping shares of an injected process. The
// process uses 2 CPU-seconds while both run and 1 more while only b runs, so a gets
// half of the first interval and b the other half plus all of the second: 1 s and 2 s,
// which at 10 W per core are 10 J and 20 J, adding up to the process's 30 J.
func TestSharedSplitsConcurrentWork(t *testing.T) {
	proc := &fakeProc{}
	proc.set(5*time.Second, 0) // CPU time before the work is nobody's
	s := NewShared(Config{Process: proc, WattsPerCore: 10})
	a, b := s.New(), s.New()
	a.Start()
	b.Start()
	proc.set(7*time.Second, 0)
	ja, sa := a.Stop()
	proc.set(8*time.Second, 0)
	jb, sb := b.Stop()
	if math.Abs(ja-10) > 1e-9 || math.Abs(jb-20) > 1e-9 {
		t.Errorf("shares %v J and %v J; want 10 and 20", ja, jb)
	}
	if sa != StatusEstimated || sb != StatusEstimated {
		t.Errorf("status %q, %q; want %q", sa, sb, StatusEstimated)
	}
	if a.CPUTime() != time.Second {
		t.Errorf("a's CPU time %v, want 1s", a.CPUTime())
	}
	// A share restarted alone gets the whole interval; CPU time with no share running
	// is charged to no one.
	proc.set(20*time.Second, 0)
	a.Start()
	proc.set(23*time.Second, 0)
	if j, _ := a.Stop(); math.Abs(j-30) > 1e-9 {
		t.Errorf("restarted share %v J, want 30", j)
	}
	if j, _ := a.Stop(); math.Abs(j-30) > 1e-9 { // Stop twice: the same figure
		t.Errorf("second Stop %v J, want 30", j)
	}
}

// TestSharedPower: the power per core comes from the meter's CPU table (not a fixed
// figure), the unknown-CPU default, or the configuration.
func TestSharedPower(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want float64
		src  string
	}{
		{Config{ProcRoot: "testdata/proc/xeon-gold-6148"}, 150.0 / 40, "table: xeon gold 6148, 150 W TDP / 40 threads"},
		{Config{ProcRoot: "testdata/proc/vm-unknown"}, DefaultWattsPerCore, "table: unknown CPU default"},
		{Config{ProcRoot: "testdata/proc/epyc-7742", WattsPerCore: 7}, 7, "configured"},
	} {
		w, src := NewShared(c.cfg).WattsPerCore()
		if w != c.want || src != c.src {
			t.Errorf("%s: %v W/core (%s); want %v (%s)", c.cfg.ProcRoot, w, src, c.want, c.src)
		}
		m, err := Start(Config{ProcRoot: c.cfg.ProcRoot, WattsPerCore: c.cfg.WattsPerCore, PowercapRoot: t.TempDir(), Process: &fakeProc{}})
		if err != nil {
			t.Fatal(err)
		}
		if r := m.Stop(); r.WattsPerCore != w || r.CPUPower != src {
			t.Errorf("%s: Meter uses %v W/core (%s), Shared %v (%s)", c.cfg.ProcRoot, r.WattsPerCore, r.CPUPower, w, src)
		}
	}
}

// TestSharedConcurrent starts and stops shares from many goroutines while CPU time
// advances; the shares must add up to the CPU time used while any ran (race detector).
func TestSharedConcurrent(t *testing.T) {
	proc := &fakeProc{}
	var mu sync.Mutex
	cpu := time.Duration(0)
	tick := func() {
		mu.Lock()
		cpu += time.Millisecond
		proc.set(cpu, 0)
		mu.Unlock()
	}
	s := NewShared(Config{Process: proc, WattsPerCore: 1})
	var wg sync.WaitGroup
	total := make([]float64, 8)
	start := s.New() // a share running throughout keeps every tick charged to someone
	start.Start()
	for i := range total {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sh := s.New()
			for range 50 {
				sh.Start()
				tick()
				j, _ := sh.Stop()
				total[i] += j
			}
		}()
	}
	wg.Wait()
	j0, _ := start.Stop()
	sum := j0
	for _, j := range total {
		sum += j
	}
	if want := cpu.Seconds(); math.Abs(sum-want) > 1e-6 {
		t.Errorf("shares add up to %v J, process %v J", sum, want)
	}
}

// TestSharedRealProcess burns CPU in two overlapping shares of the real process: their
// sum is the process's CPU time over the span (within 20%: the runtime does other work
// too) times the power per core.
func TestSharedRealProcess(t *testing.T) {
	s := NewShared(Config{WattsPerCore: 10})
	u0, err := Self().Usage()
	if err != nil {
		t.Skip(err)
	}
	a, b := s.New(), s.New()
	a.Start()
	b.Start()
	burn(50 * time.Millisecond)
	ja, _ := a.Stop()
	burn(20 * time.Millisecond)
	jb, _ := b.Stop()
	u1, _ := Self().Usage()
	total := (u1.CPU - u0.CPU).Seconds() * 10
	if jb <= ja {
		t.Errorf("b ran longer but got %v J <= a's %v J", jb, ja)
	}
	if s := ja + jb; s < 0.8*total || s > 1.0001*total {
		t.Errorf("shares %v + %v = %v J, process %v J", ja, jb, s, total)
	}
}

// TestSharedWithoutUsage: when the process's CPU time cannot be read, wall time ×
// GOMAXPROCS stands in (an over-estimate, still labelled estimated).
func TestSharedWithoutUsage(t *testing.T) {
	proc := &fakeProc{err: errors.New("no getrusage here")}
	s := NewShared(Config{Process: proc, WattsPerCore: 1})
	sh := s.New()
	sh.Start()
	time.Sleep(20 * time.Millisecond)
	j, st := sh.Stop()
	if j <= 0 || st != StatusEstimated {
		t.Errorf("%v J %q; want a positive estimate", j, st)
	}
}

func burn(d time.Duration) {
	x := 0.0
	for t0 := time.Now(); time.Since(t0) < d; {
		for i := 0; i < 1000; i++ {
			x += math.Sqrt(float64(i))
		}
	}
	_ = x
}
