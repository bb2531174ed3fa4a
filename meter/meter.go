package meter

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Figure labels used in Report.Status and Source.Status.
const (
	StatusMeasured    = "measured"
	StatusEstimated   = "estimated"
	StatusMixed       = "mixed"       // Report only: some components measured, some estimated
	StatusUnavailable = "unavailable" // Source only: not used; Note says why
)

// RAMWattsPerGB is the memory power of the RAM estimate: 3 W per 8 GB (CodeCarbon
// before v3, after Crucial's figure for DDR3/DDR4), applied to the metered process's
// peak resident set. GB here are 2^30 bytes, as in CodeCarbon.
const RAMWattsPerGB = 3.0 / 8

// DefaultInterval is the background sampling period of the counters.
const DefaultInterval = 10 * time.Second

// Config says what to meter and how to turn energy into carbon. Its zero value
// auto-detects the sources, uses the world-average carbon intensity and a PUE of 1.
type Config struct {
	PowercapRoot string // default "/sys/class/powercap"
	ProcRoot     string // default "/proc": cpuinfo, meminfo, driver/nvidia

	// Carbon: CarbonIntensity (gCO2e/kWh) wins when > 0; else the cloud region
	// (CloudProvider "aws"|"gcp"|"azure" and CloudRegion); else Country (ISO-3166
	// alpha-3 or alpha-2); else WorldIntensity. An unknown country or region is an error.
	Country         string
	CloudProvider   string
	CloudRegion     string
	CarbonIntensity float64

	PUE        float64 // power usage effectiveness; 0 means 1.0
	DisableGPU bool

	// Process is what the CPU-time and RAM estimates charge; nil means Self().
	Process Process
	// Interval is the background sampling period; 0 means DefaultInterval.
	Interval time.Duration
	// WattsPerCore overrides the CPU power table when > 0 (W per busy logical CPU).
	WattsPerCore float64
	// RAMWattsPerGB overrides the memory power when > 0.
	RAMWattsPerGB float64

	// test hooks
	readFile func(string) ([]byte, error)
	clock    func() time.Time
}

// Source is one energy source of a run.
type Source struct {
	Name      string  `json:"name"`      // "rapl:package-0", "rapl:package-0:dram", "nvml:0", "cpu-time", "ram"
	Component string  `json:"component"` // "cpu", "dram", "gpu" or "ram"
	Status    string  `json:"status"`    // measured, estimated or unavailable
	Method    string  `json:"method,omitempty"`
	Joules    float64 `json:"joules"`
	Wraps     int     `json:"wraps,omitempty"` // RAPL counter wraps seen
	Note      string  `json:"note,omitempty"`  // why unavailable, fallbacks, warnings
}

// Report holds the figures of a run so far (Read) or in total (Stop).
type Report struct {
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Seconds float64   `json:"seconds"`

	Joules         float64 `json:"joules"`          // IT energy: CPU + DRAM + RAM estimate + GPU
	FacilityJoules float64 `json:"facility_joules"` // Joules × PUE
	CPUJoules      float64 `json:"cpu_joules"`
	DRAMJoules     float64 `json:"dram_joules"` // RAPL dram zones (0 when estimated)
	MemJoules      float64 `json:"mem_joules"`  // RAM estimate (0 when DRAM is measured)
	GPUJoules      float64 `json:"gpu_joules"`

	KWh             float64 `json:"kwh"`              // facility energy
	GCO2e           float64 `json:"gco2e"`            // KWh × CarbonIntensity
	CarbonIntensity float64 `json:"carbon_intensity"` // gCO2e/kWh
	CarbonSource    string  `json:"carbon_source"`
	PUE             float64 `json:"pue"`

	Status       string   `json:"status"`        // measured, estimated or mixed
	TrackingMode string   `json:"tracking_mode"` // "machine" when a counter covers the whole machine, else "process"
	Sources      []Source `json:"sources"`

	CPUModel     string  `json:"cpu_model"`
	CPUCount     int     `json:"cpu_count"`      // logical CPUs
	WattsPerCore float64 `json:"watts_per_core"` // used by the cpu-time estimate
	CPUPower     string  `json:"cpu_power"`      // where WattsPerCore comes from
	GPUCount     int     `json:"gpu_count"`
	GPUModel     string  `json:"gpu_model,omitempty"`
	RAMTotalGB   float64 `json:"ram_total_gb"`
	PeakRSSBytes int64   `json:"peak_rss_bytes"`

	Country       string `json:"country_iso_code,omitempty"`
	CountryName   string `json:"country_name,omitempty"`
	CloudProvider string `json:"cloud_provider,omitempty"`
	CloudRegion   string `json:"cloud_region,omitempty"`
	OS            string `json:"os"`
	GoVersion     string `json:"go_version"`
}

// Meter meters one run. Its methods are safe for concurrent use.
type Meter struct {
	cfg      Config
	read     func(string) ([]byte, error)
	clock    func() time.Time
	interval time.Duration

	mu      sync.Mutex
	start   time.Time
	pkgs    []*raplZone // counted package zones (empty: CPU estimated)
	drams   []*raplZone // counted dram zones (empty: RAM estimated)
	gpus    []gpuDevice
	gpuJ    []float64
	gpuErr  []error
	closeFn func()
	skipped []Source

	proc      Process
	cpuEst    bool
	wpc       float64
	cpuPower  string
	cpu0      time.Duration
	ramEst    bool
	ramW      float64
	peakRSS   int64
	cpuNow    time.Duration
	usageErr  error
	polls     int
	stopped   bool
	final     Report
	done      chan struct{}
	wg        sync.WaitGroup
	cpuModel  string
	ramTotal  float64
	cpuCount  int
	intensity Intensity
}

// Start begins metering now. It fails only on a bad Config (unknown country or
// cloud region, negative PUE or intensity) or when the process's CPU time cannot be
// read while it is needed; missing hardware counters are reported in the Sources.
func Start(cfg Config) (*Meter, error) {
	if cfg.PowercapRoot == "" {
		cfg.PowercapRoot = "/sys/class/powercap"
	}
	if cfg.ProcRoot == "" {
		cfg.ProcRoot = "/proc"
	}
	if cfg.PUE < 0 || math.IsNaN(cfg.PUE) || math.IsInf(cfg.PUE, 0) {
		return nil, fmt.Errorf("meter: PUE %v must be >= 1 (0 means 1)", cfg.PUE)
	}
	if cfg.PUE == 0 {
		cfg.PUE = 1
	}
	if cfg.PUE < 1 {
		return nil, fmt.Errorf("meter: PUE %v must be >= 1 (0 means 1)", cfg.PUE)
	}
	if cfg.CarbonIntensity < 0 || math.IsNaN(cfg.CarbonIntensity) {
		return nil, fmt.Errorf("meter: carbon intensity %v gCO2e/kWh must be >= 0", cfg.CarbonIntensity)
	}
	in, err := resolveIntensity(cfg)
	if err != nil {
		return nil, err
	}
	m := &Meter{cfg: cfg, read: cfg.readFile, clock: cfg.clock, interval: cfg.Interval, intensity: in}
	if m.read == nil {
		m.read = os.ReadFile
	}
	if m.clock == nil {
		m.clock = time.Now
	}
	if m.interval <= 0 {
		m.interval = DefaultInterval
	}
	m.proc = cfg.Process
	if m.proc == nil {
		m.proc = Self()
	}

	// Hardware description.
	cpuinfoPath := filepath.Join(cfg.ProcRoot, "cpuinfo")
	var cpuNote string
	if b, err := m.read(cpuinfoPath); err == nil {
		ci, err := parseCPUInfo(b, cpuinfoPath)
		if err != nil {
			cpuNote = err.Error()
		}
		m.cpuModel, m.cpuCount = ci.Model, ci.Logical
	} else {
		cpuNote = fmt.Sprintf("cannot read %s: %v", cpuinfoPath, err)
	}
	if m.cpuCount == 0 {
		m.cpuCount = runtime.NumCPU()
	}
	meminfoPath := filepath.Join(cfg.ProcRoot, "meminfo")
	if b, err := m.read(meminfoPath); err == nil {
		if n, err := parseMemTotal(b, meminfoPath); err == nil {
			m.ramTotal = float64(n) / (1 << 30)
		}
	}
	m.wpc, m.cpuPower = wattsPerCore(cfg, m.cpuModel)
	m.ramW = RAMWattsPerGB
	if cfg.RAMWattsPerGB > 0 {
		m.ramW = cfg.RAMWattsPerGB
	}

	// Counters.
	pkgs, drams, skipped, none := raplScan(cfg.PowercapRoot, m.read, m.interval)
	m.skipped = skipped
	if none != "" {
		m.skipped = append(m.skipped, Source{Name: "rapl", Component: "cpu", Status: StatusUnavailable,
			Note: none + "; using the estimate"})
	}
	allPkgs := len(pkgs) > 0
	for _, p := range pkgs {
		if p.err != nil {
			allPkgs = false
		}
	}
	if allPkgs {
		m.pkgs = pkgs
	} else {
		for _, p := range pkgs {
			if p.err == nil {
				m.skipped = append(m.skipped, Source{Name: "rapl:" + p.name, Component: "cpu", Status: StatusUnavailable,
					Note: "readable, but another package zone is not: the whole CPU is estimated instead"})
			}
		}
	}
	if allPkgs && len(drams) == len(pkgs) {
		m.drams = drams
	} else {
		for _, d := range drams {
			m.skipped = append(m.skipped, Source{Name: "rapl:" + d.name, Component: "dram", Status: StatusUnavailable,
				Note: "not every package has a readable dram zone: RAM is estimated instead"})
		}
	}
	m.cpuEst = len(m.pkgs) == 0
	m.ramEst = len(m.drams) == 0
	if cpuNote != "" && m.cpuEst {
		m.skipped = append(m.skipped, Source{Name: "cpuinfo", Component: "cpu", Status: StatusUnavailable, Note: cpuNote})
	}
	gpus, closeFn, gpuSkipped := openGPUs(cfg)
	m.gpus, m.closeFn, m.skipped = gpus, closeFn, append(m.skipped, gpuSkipped...)
	m.gpuJ = make([]float64, len(m.gpus))
	m.gpuErr = make([]error, len(m.gpus))

	// Baseline.
	m.start = m.clock()
	if m.cpuEst || m.ramEst {
		u, err := m.proc.Usage()
		if err != nil {
			if m.closeFn != nil {
				m.closeFn()
			}
			return nil, fmt.Errorf("meter: process usage at start: %w", err)
		}
		m.cpu0, m.cpuNow = u.CPU, u.CPU
		if m.ramEst {
			m.peakRSS = u.RSS
		}
	}

	m.done = make(chan struct{})
	tick := m.interval
	for _, g := range m.gpus {
		if g.fastPoll() && tick > time.Second {
			tick = time.Second
		}
	}
	m.wg.Add(1)
	go m.loop(tick)
	return m, nil
}

// Probe starts and stops a meter at once: the Report lists the sources this machine
// offers, why the others are unavailable, the CPU power used and the carbon figures.
func Probe(cfg Config) (Report, error) {
	m, err := Start(cfg)
	if err != nil {
		return Report{}, err
	}
	return m.Stop(), nil
}

func (m *Meter) loop(tick time.Duration) {
	defer m.wg.Done()
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-m.done:
			return
		case <-t.C:
			m.mu.Lock()
			m.sampleLocked()
			m.mu.Unlock()
		}
	}
}

// sampleLocked reads every counter and the process usage.
func (m *Meter) sampleLocked() time.Time {
	now := m.clock()
	for _, z := range m.pkgs {
		z.sample(m.read)
	}
	for _, z := range m.drams {
		z.sample(m.read)
	}
	for i, g := range m.gpus {
		j, err := g.poll(now)
		m.gpuJ[i], m.gpuErr[i] = j, err
	}
	if m.cpuEst || m.ramEst {
		u, err := m.proc.Usage()
		if err != nil {
			m.usageErr = err
		} else {
			if u.CPU > m.cpuNow {
				m.cpuNow = u.CPU
			}
			if u.RSS > m.peakRSS {
				m.peakRSS = u.RSS
			}
		}
	}
	m.polls++
	return now
}

// Read samples the sources and returns the figures so far. After Stop it returns
// the final figures.
func (m *Meter) Read() Report {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped {
		return m.final
	}
	now := m.sampleLocked()
	return m.reportLocked(now)
}

// Stop ends metering and returns the final figures. It is idempotent.
func (m *Meter) Stop() Report {
	m.mu.Lock()
	if m.stopped {
		defer m.mu.Unlock()
		return m.final
	}
	close(m.done)
	m.mu.Unlock()
	m.wg.Wait() // the loop takes mu; wait outside it

	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.sampleLocked()
	m.final = m.reportLocked(now)
	m.stopped = true
	if m.closeFn != nil {
		m.closeFn()
	}
	return m.final
}

func (m *Meter) reportLocked(now time.Time) Report {
	sec := now.Sub(m.start).Seconds()
	if sec < 0 {
		sec = 0
	}
	r := Report{
		Start: m.start, End: now, Seconds: sec,
		PUE: m.cfg.PUE, CarbonIntensity: m.intensity.GCO2ePerKWh, CarbonSource: m.intensity.Source,
		Country: m.intensity.CountryISO3, CountryName: m.intensity.CountryName,
		CloudProvider: m.intensity.Provider, CloudRegion: m.intensity.Region,
		CPUModel: m.cpuModel, CPUCount: m.cpuCount, WattsPerCore: m.wpc, CPUPower: m.cpuPower,
		RAMTotalGB: m.ramTotal, PeakRSSBytes: m.peakRSS,
		OS: runtime.GOOS, GoVersion: runtime.Version(),
		TrackingMode: "process",
	}
	var measured, estimated int
	for _, z := range m.pkgs {
		s := z.source(m.interval)
		r.CPUJoules += s.Joules
		r.Sources = append(r.Sources, s)
	}
	if len(m.pkgs) > 0 {
		measured++
		r.TrackingMode = "machine"
	}
	for _, z := range m.drams {
		s := z.source(m.interval)
		r.DRAMJoules += s.Joules
		r.Sources = append(r.Sources, s)
	}
	if len(m.drams) > 0 {
		measured++
	}
	var usageNote string
	if m.usageErr != nil {
		usageNote = fmt.Sprintf("process usage read failed (%v); figures use the last good reading", m.usageErr)
	}
	if m.cpuEst {
		cpuSec := (m.cpuNow - m.cpu0).Seconds()
		s := Source{Name: "cpu-time", Component: "cpu", Status: StatusEstimated,
			Method: fmt.Sprintf("cpu-time x %g W/core (%s)", m.wpc, m.cpuPower),
			Joules: cpuSec * m.wpc, Note: usageNote}
		r.CPUJoules = s.Joules
		r.Sources = append(r.Sources, s)
		estimated++
	}
	if m.ramEst {
		gb := float64(m.peakRSS) / (1 << 30)
		s := Source{Name: "ram", Component: "ram", Status: StatusEstimated,
			Method: fmt.Sprintf("peak RSS x %g W/GB x wall time (CodeCarbon 3 W per 8 GB)", m.ramW),
			Joules: m.ramW * gb * sec, Note: usageNote}
		r.MemJoules = s.Joules
		r.Sources = append(r.Sources, s)
		estimated++
	}
	var models []string
	for i, g := range m.gpus {
		s := Source{Name: g.name(), Component: "gpu", Status: StatusMeasured, Method: g.method(), Joules: m.gpuJ[i]}
		if m.gpuErr[i] != nil {
			s.Note = fmt.Sprintf("read failed (%v); energy after the last good sample is missing", m.gpuErr[i])
		}
		r.GPUJoules += s.Joules
		r.Sources = append(r.Sources, s)
		if g.model() != "" && !contains(models, g.model()) {
			models = append(models, g.model())
		}
	}
	if len(m.gpus) > 0 {
		measured++
		r.TrackingMode = "machine"
	}
	r.GPUCount = len(m.gpus)
	r.GPUModel = strings.Join(models, ", ")
	r.Sources = append(r.Sources, m.skipped...)

	switch {
	case estimated == 0:
		r.Status = StatusMeasured
	case measured == 0:
		r.Status = StatusEstimated
	default:
		r.Status = StatusMixed
	}
	r.Joules = r.CPUJoules + r.DRAMJoules + r.MemJoules + r.GPUJoules
	r.FacilityJoules = r.Joules * r.PUE
	r.KWh = r.FacilityJoules / 3.6e6
	r.GCO2e = r.KWh * r.CarbonIntensity
	return r
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// resolveIntensity picks the carbon intensity named by cfg.
func resolveIntensity(cfg Config) (Intensity, error) {
	var in Intensity
	var country Intensity
	if cfg.Country != "" {
		c, ok := CountryIntensity(cfg.Country)
		if !ok {
			return in, fmt.Errorf("meter: unknown country code %q (ISO-3166 alpha-3 or alpha-2; known: %s)",
				cfg.Country, strings.Join(Countries(), " "))
		}
		country = c
	}
	switch {
	case cfg.CloudProvider != "" || cfg.CloudRegion != "":
		c, ok := CloudIntensity(cfg.CloudProvider, cfg.CloudRegion)
		if !ok {
			return in, fmt.Errorf("meter: unknown cloud region %q/%q (known: aws, gcp and azure regions of CodeCarbon's table)",
				cfg.CloudProvider, cfg.CloudRegion)
		}
		in = c
		if cfg.Country != "" { // an explicit country names the place; the region sets the intensity
			in.CountryISO3, in.CountryISO2, in.CountryName = country.CountryISO3, country.CountryISO2, country.CountryName
		}
	case cfg.Country != "":
		in = country
	default:
		in = Intensity{GCO2ePerKWh: WorldIntensity, CountryName: "World", Source: worldSource}
	}
	if cfg.CarbonIntensity > 0 {
		in.GCO2ePerKWh = cfg.CarbonIntensity
		in.Source = "configured"
	}
	return in, nil
}
