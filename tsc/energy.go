package tsc

import (
	"runtime"
	"sync"
	"time"

	"github.com/ergml/erg/meter"
)

// EnergyMeter measures the energy of one piece of work: Start before it, Stop after
// it. Status says how the figure was obtained ("measured" for hardware counters such
// as RAPL or NVML, "estimated" for a model); the runner records it next to the
// joules. Implementations must allow Start/Stop pairs from different goroutines on
// different meters at the same time.
type EnergyMeter interface {
	Start()
	Stop() (joules float64, status string)
}

// DefaultWattsPerCore is the power per busy core assumed by the CPU-time estimate.
const DefaultWattsPerCore = 12.5

// CPUTimeMeters makes EnergyMeters that estimate energy as process CPU time × watts
// per core, labelled "estimated". Meters from one CPUTimeMeters share a ledger: when
// several are running at once (the benchmark runs cells in parallel), each interval
// of process CPU time is split equally among the meters running during it, so the
// cells' estimates add up to the process total.
type CPUTimeMeters struct {
	WattsPerCore float64 // 0: DefaultWattsPerCore

	mu     sync.Mutex
	last   time.Duration
	active map[*cpuMeter]struct{}
}

// New returns a new meter. It has the signature the runner's BenchConfig.Meter wants.
func (c *CPUTimeMeters) New() EnergyMeter { return &cpuMeter{ledger: c} }

// settle shares the CPU time since the last event among the active meters.
// c.mu must be held.
func (c *CPUTimeMeters) settle() {
	now := processCPUTime()
	d := now - c.last
	c.last = now
	if n := len(c.active); n > 0 && d > 0 {
		share := d / time.Duration(n)
		for m := range c.active {
			m.acc += share
		}
	}
}

type cpuMeter struct {
	ledger *CPUTimeMeters
	acc    time.Duration
}

func (m *cpuMeter) Start() {
	c := m.ledger
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle()
	if c.active == nil {
		c.active = map[*cpuMeter]struct{}{}
	}
	m.acc = 0
	c.active[m] = struct{}{}
}

func (m *cpuMeter) Stop() (float64, string) {
	c := m.ledger
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle()
	delete(c.active, m)
	w := c.WattsPerCore
	if w <= 0 {
		w = DefaultWattsPerCore
	}
	return m.acc.Seconds() * w, "estimated"
}

var startWall = time.Now()

// processCPUTime is the process's user+system CPU time (meter.Self); where the system
// cannot report it, wall time since start × GOMAXPROCS.
func processCPUTime() time.Duration {
	if u, err := meter.Self().Usage(); err == nil {
		return u.CPU
	}
	return time.Since(startWall) * time.Duration(runtime.GOMAXPROCS(0))
}
