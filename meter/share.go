package meter

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// Shared divides one process's CPU-time energy estimate among pieces of work that run
// at the same time inside it, such as the cells of a benchmark run in parallel
// goroutines, where a Meter per piece would charge each of them the whole process.
//
// Each piece takes a Share (New) and brackets its work with Start and Stop. The
// process's CPU time (user + system, from Config.Process, default Self) is read at
// every Start and Stop, and each interval between two such events is split equally
// among the shares running during it; so the shares of concurrent work add up to the
// process's CPU time over the same span. A share's energy is its CPU time times the
// power per busy logical CPU of the Meter's estimate (the CPU table by /proc/cpuinfo
// model name, Config.WattsPerCore when set, DefaultWattsPerCore for an unknown CPU),
// labelled StatusEstimated: hardware counters measure the whole machine and cannot be
// split this way. Memory and GPU energy are not included.
//
// Where the process's CPU time cannot be read, wall time × GOMAXPROCS stands in for
// it (every core assumed busy: an over-estimate).
type Shared struct {
	proc   Process
	wpc    float64
	power  string
	origin time.Time

	mu     sync.Mutex
	last   time.Duration
	active map[*Share]struct{}
}

// NewShared returns a ledger of shares estimated with cfg's CPU power (ProcRoot,
// WattsPerCore) and process (Process); the other fields of cfg are not used.
func NewShared(cfg Config) *Shared {
	s := &Shared{proc: cfg.Process, origin: time.Now(), active: map[*Share]struct{}{}}
	if s.proc == nil {
		s.proc = Self()
	}
	s.wpc, s.power, _ = cpuPower(cfg)
	return s
}

// WattsPerCore returns the power charged per busy logical CPU and where it comes
// from (as Report.WattsPerCore and Report.CPUPower).
func (s *Shared) WattsPerCore() (float64, string) { return s.wpc, s.power }

// New returns a share of the ledger, not yet started.
func (s *Shared) New() *Share { return &Share{ledger: s} }

// cpuTime is the process's CPU time, or the wall-time stand-in.
func (s *Shared) cpuTime() time.Duration {
	if u, err := s.proc.Usage(); err == nil {
		return u.CPU
	}
	return time.Since(s.origin) * time.Duration(runtime.GOMAXPROCS(0))
}

// settle hands the CPU time since the last event to the running shares, equally.
// s.mu must be held.
func (s *Shared) settle() {
	now := s.cpuTime()
	d := now - s.last
	s.last = now
	if n := len(s.active); n > 0 && d > 0 {
		part := d / time.Duration(n)
		for sh := range s.active {
			sh.cpu += part
		}
	}
}

// Share is one piece of work's part of a Shared ledger. A Share may be started and
// stopped again (each Start begins a new measurement); distinct shares may be used from
// different goroutines at the same time.
type Share struct {
	ledger *Shared
	cpu    time.Duration
}

// Start begins the share's measurement.
func (sh *Share) Start() {
	s := sh.ledger
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	sh.cpu = 0
	s.active[sh] = struct{}{}
}

// Stop ends the measurement and returns the share's energy in joules since Start and
// its status, always StatusEstimated.
func (sh *Share) Stop() (joules float64, status string) {
	s := sh.ledger
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.active[sh]; ok {
		s.settle()
		delete(s.active, sh)
	}
	return sh.cpu.Seconds() * s.wpc, StatusEstimated
}

// CPUTime returns the CPU time charged to the share by its last Start and Stop.
func (sh *Share) CPUTime() time.Duration {
	sh.ledger.mu.Lock()
	defer sh.ledger.mu.Unlock()
	return sh.cpu
}

// cpuPower returns the power per busy logical CPU of the CPU-time estimate, where it
// comes from, and the CPU model read from ProcRoot/cpuinfo ("" when unreadable).
func cpuPower(cfg Config) (wpc float64, source, model string) {
	read := cfg.readFile
	if read == nil {
		read = os.ReadFile
	}
	root := cfg.ProcRoot
	if root == "" {
		root = "/proc"
	}
	p := filepath.Join(root, "cpuinfo")
	if b, err := read(p); err == nil {
		if ci, err := parseCPUInfo(b, p); err == nil {
			model = ci.Model
		}
	}
	wpc, source = wattsPerCore(cfg, model)
	return wpc, source, model
}

// wattsPerCore picks the power per busy logical CPU for a CPU model: cfg.WattsPerCore
// when set, else the table's TDP share, else DefaultWattsPerCore.
func wattsPerCore(cfg Config, model string) (float64, string) {
	if cfg.WattsPerCore > 0 {
		return cfg.WattsPerCore, "configured"
	}
	if spec, ok := LookupCPU(model); ok {
		return spec.WattsPerThread(), fmt.Sprintf("table: %s, %g W TDP / %d threads", spec.Key, spec.TDP, spec.Threads)
	}
	return DefaultWattsPerCore, "table: unknown CPU default"
}
