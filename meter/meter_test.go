package meter

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// estimateConfig meters an injected process on a machine without RAPL.
func estimateConfig(t *testing.T, proc Process, clk *fakeClock, procRoot string) Config {
	return Config{PowercapRoot: filepath.Join(t.TempDir(), "no-powercap"), ProcRoot: procRoot,
		Process: proc, Interval: time.Hour, clock: clk.now}
}

func TestEstimateUnknownCPU(t *testing.T) {
	proc := &fakeProc{}
	proc.set(2*time.Second, 512<<20)
	clk := newClock()
	m, err := Start(estimateConfig(t, proc, clk, "testdata/proc/vm-unknown"))
	if err != nil {
		t.Fatal(err)
	}
	proc.set(10*time.Second, 1<<30) // 8 CPU-seconds used; peak RSS 1 GiB
	clk.advance(20 * time.Second)
	r := m.Read()
	proc.set(10*time.Second, 256<<20) // RSS shrinks: the peak stays
	r2 := m.Stop()

	// Hand calculation: CPU 8 s × 12.5 W = 100 J; RAM 0.375 W/GB × 1 GB × 20 s = 7.5 J.
	const tol = 1e-9
	if math.Abs(r.CPUJoules-100) > tol || math.Abs(r.MemJoules-7.5) > tol || math.Abs(r.Joules-107.5) > tol {
		t.Errorf("CPU, Mem, total = %v, %v, %v J; want 100, 7.5, 107.5", r.CPUJoules, r.MemJoules, r.Joules)
	}
	if r2.Joules != r.Joules || r2.PeakRSSBytes != 1<<30 {
		t.Errorf("Stop = %v J, peak %d; want %v J, peak 1 GiB", r2.Joules, r2.PeakRSSBytes, r.Joules)
	}
	s, _ := findSource(r, "cpu-time")
	if want := "cpu-time x 12.5 W/core (table: unknown CPU default)"; s.Method != want || s.Status != StatusEstimated {
		t.Errorf("cpu-time source = %q %q; want estimated %q", s.Status, s.Method, want)
	}
	if r.Status != StatusEstimated || r.TrackingMode != "process" || r.DRAMJoules != 0 {
		t.Errorf("status %q, mode %q, dram %v; want estimated, process, 0", r.Status, r.TrackingMode, r.DRAMJoules)
	}
	if r.RAMTotalGB < 15.5 || r.RAMTotalGB > 15.6 { // 16323208 kB
		t.Errorf("RAMTotalGB = %v, want 15.567", r.RAMTotalGB)
	}
	g, ok := findSource(r, "nvml")
	if !ok || g.Status != StatusUnavailable {
		t.Fatalf("nvml source = %+v, want unavailable", g)
	}
	if !NVMLCompiled && !strings.Contains(g.Note, "GPU energy is NOT counted") {
		t.Errorf("nvml note %q: a loaded NVIDIA driver must be flagged", g.Note)
	}
	if got := r.String(); got != "107.5 J estimated (cpu-time, ram) in 20 s, 0.01418 gCO2e" {
		t.Errorf("String() = %q", got)
	}
}

func TestEstimateTableCPU(t *testing.T) {
	for _, c := range []struct {
		dir     string
		wpc     float64
		methodS string
	}{
		{"xeon-gold-6148", 150.0 / 40, "cpu-time x 3.75 W/core (table: xeon gold 6148, 150 W TDP / 40 threads)"},
		{"epyc-7742", 225.0 / 128, "cpu-time x 1.7578125 W/core (table: epyc 7742, 225 W TDP / 128 threads)"},
		{"i7-8700k", 95.0 / 12, ""},
	} {
		proc := &fakeProc{}
		clk := newClock()
		m, err := Start(estimateConfig(t, proc, clk, "testdata/proc/"+c.dir))
		if err != nil {
			t.Fatal(err)
		}
		proc.set(4*time.Second, 0)
		r := m.Stop()
		if math.Abs(r.WattsPerCore-c.wpc) > 1e-12 || math.Abs(r.CPUJoules-4*c.wpc) > 1e-12 {
			t.Errorf("%s: %v W/core, %v J; want %v, %v", c.dir, r.WattsPerCore, r.CPUJoules, c.wpc, 4*c.wpc)
		}
		if s, _ := findSource(r, "cpu-time"); c.methodS != "" && s.Method != c.methodS {
			t.Errorf("%s: method %q, want %q", c.dir, s.Method, c.methodS)
		}
	}
}

func TestStartFailsWhenUsageUnreadable(t *testing.T) {
	proc := &fakeProc{err: os.ErrClosed}
	if _, err := Start(estimateConfig(t, proc, newClock(), "testdata/proc/vm-unknown")); err == nil {
		t.Error("Start with an unreadable process and no RAPL: want error")
	}
}

func TestUsageErrorAfterStartKeepsLastGood(t *testing.T) {
	proc := &fakeProc{}
	clk := newClock()
	m, err := Start(estimateConfig(t, proc, clk, "testdata/proc/vm-unknown"))
	if err != nil {
		t.Fatal(err)
	}
	proc.set(2*time.Second, 0)
	m.Read()
	proc.mu.Lock()
	proc.err = os.ErrClosed
	proc.mu.Unlock()
	r := m.Stop()
	s, _ := findSource(r, "cpu-time")
	if r.CPUJoules != 25 || !strings.Contains(s.Note, "process usage read failed") {
		t.Errorf("CPU %v J, note %q; want 25 J and a note", r.CPUJoules, s.Note)
	}
}

// TestCarbonArithmetic checks Joules -> kWh -> gCO2e against a hand calculation:
// 36,000 CPU-seconds at 100 W = 3.6 MJ = 1 kWh of IT energy; PUE 1.58 makes 1.58 kWh
// at the facility; France's 67.39 gCO2e/kWh gives 106.4762 g.
func TestCarbonArithmetic(t *testing.T) {
	run := func(cfg Config) Report {
		t.Helper()
		proc := &fakeProc{}
		cfg.PowercapRoot = filepath.Join(t.TempDir(), "none")
		cfg.ProcRoot = "testdata/proc/vm-unknown"
		cfg.Process, cfg.WattsPerCore, cfg.DisableGPU = proc, 100, true
		m, err := Start(cfg)
		if err != nil {
			t.Fatal(err)
		}
		proc.set(36000*time.Second, 0)
		return m.Stop()
	}
	const tol = 1e-9
	r := run(Config{Country: "FRA", PUE: 1.58})
	if math.Abs(r.Joules-3.6e6) > tol || math.Abs(r.FacilityJoules-5.688e6) > 1e-6 || math.Abs(r.KWh-1.58) > tol {
		t.Errorf("J, facility J, kWh = %v, %v, %v; want 3.6e6, 5.688e6, 1.58", r.Joules, r.FacilityJoules, r.KWh)
	}
	if math.Abs(r.GCO2e-106.4762) > tol || r.CarbonIntensity != 67.39 || r.Country != "FRA" || r.CountryName != "France" {
		t.Errorf("gCO2e %v at %v (%s %s); want 106.4762 at 67.39 (FRA France)", r.GCO2e, r.CarbonIntensity, r.Country, r.CountryName)
	}
	if s, _ := findSource(r, "cpu-time"); !strings.Contains(s.Method, "(configured)") {
		t.Errorf("method %q should say the power was configured", s.Method)
	}

	for _, c := range []struct {
		cfg   Config
		gco2e float64
	}{
		{Config{}, 475},                                     // world default, PUE 1
		{Config{Country: "fr"}, 67.39},                      // alpha-2, any case
		{Config{Country: "FRA", CarbonIntensity: 100}, 100}, // explicit intensity wins
		{Config{CloudProvider: "gcp", CloudRegion: "europe-west1"}, 62.7},
		{Config{CloudProvider: "aws", CloudRegion: "eu-west-3", PUE: 1.2}, 126},
	} {
		if r := run(c.cfg); math.Abs(r.GCO2e-c.gco2e) > tol {
			t.Errorf("%+v: %v gCO2e, want %v", c.cfg, r.GCO2e, c.gco2e)
		}
	}
	r = run(Config{CloudProvider: "aws", CloudRegion: "eu-west-3"})
	if r.Country != "FRA" || r.CloudRegion != "eu-west-3" || r.CloudProvider != "aws" {
		t.Errorf("cloud report fields: %q %q %q", r.Country, r.CloudProvider, r.CloudRegion)
	}

	for _, bad := range []Config{
		{Country: "XYZ"}, {CloudProvider: "aws", CloudRegion: "mars-1"}, {PUE: 0.5}, {PUE: -1},
		{CarbonIntensity: -3}, {Country: "QQ", CloudProvider: "gcp", CloudRegion: "us-west1"},
	} {
		bad.PowercapRoot = t.TempDir()
		bad.Process = &fakeProc{}
		if _, err := Start(bad); err == nil {
			t.Errorf("Start(%+v): want error", bad)
		}
	}
}

func TestCountryTable(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range countries {
		if len(e.iso3) != 3 || len(e.iso2) != 2 || seen[e.iso3] || seen[e.iso2] || e.g <= 0 || e.g > 1200 {
			t.Errorf("bad country entry %+v", e)
		}
		seen[e.iso3], seen[e.iso2] = true, true
	}
	for _, e := range cloudRegions {
		if _, ok := CountryIntensity(e.iso3); !ok {
			t.Errorf("cloud region %s/%s names country %s, not in the country table", e.provider, e.region, e.iso3)
		}
	}
	if in, ok := CountryIntensity("usa"); !ok || in.GCO2ePerKWh != 379.26 {
		t.Errorf("USA = %+v", in)
	}
}

func TestLookupCPU(t *testing.T) {
	for _, c := range []struct {
		model string
		key   string // "" = not found
	}{
		{"Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz", "xeon gold 6148"},
		{"Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", "xeon e5-2680 v4"},
		{"Intel(R) Xeon(R) CPU E5-2680 v3 @ 2.50GHz", "xeon e5-2680 v3"},
		{"Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz", "core i7-8700k"},
		{"Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", "core i7-8700"},
		{"AMD EPYC 7742 64-Core Processor", "epyc 7742"},
		{"AMD Ryzen 9 5950X 16-Core Processor", "ryzen 9 5950x"},
		{"AMD Ryzen Threadripper 3990X 64-Core Processor", "ryzen threadripper 3990x"},
		{"Intel(R) Xeon(R) Processor", ""},
		{"AMD EPYC 7B12", ""},
		{"Intel(R) Core(TM) i7-87000 CPU", ""},
		{"", ""},
	} {
		s, ok := LookupCPU(c.model)
		if ok != (c.key != "") || s.Key != c.key {
			t.Errorf("LookupCPU(%q) = %q, %v; want %q", c.model, s.Key, ok, c.key)
		}
	}
	for _, e := range cpuTable {
		if e.TDP <= 0 || e.Threads <= 0 || e.WattsPerThread() > 20 {
			t.Errorf("implausible table entry %+v", e)
		}
		if s, ok := LookupCPU(e.Key); !ok || s.Key != e.Key {
			t.Errorf("entry %q does not find itself (got %q)", e.Key, s.Key)
		}
	}
}

func TestParseCPUInfoAndMemInfo(t *testing.T) {
	b, err := os.ReadFile("testdata/proc/xeon-gold-6148/cpuinfo")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := parseCPUInfo(b, "cpuinfo")
	if err != nil || ci.Logical != 4 || ci.Packages != 2 || ci.Model != "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz" {
		t.Errorf("parseCPUInfo = %+v, %v; want 4 logical, 2 packages", ci, err)
	}
	if _, err := parseCPUInfo([]byte("processor\t: x\n"), "bad"); err == nil || !strings.Contains(err.Error(), "bad:1: field processor") {
		t.Errorf("bad processor line: err = %v", err)
	}
	n, err := parseMemTotal([]byte("MemFree: 1 kB\nMemTotal:       2048 kB\n"), "meminfo")
	if err != nil || n != 2048*1024 {
		t.Errorf("parseMemTotal = %d, %v", n, err)
	}
	if _, err := parseMemTotal([]byte("MemTotal: lots kB\n"), "meminfo"); err == nil || !strings.Contains(err.Error(), "meminfo:1: field MemTotal") {
		t.Errorf("bad MemTotal: err = %v", err)
	}
}

func TestStopIdempotentAndConcurrentRead(t *testing.T) {
	proc := &fakeProc{}
	m, err := Start(Config{PowercapRoot: t.TempDir(), ProcRoot: "testdata/proc/vm-unknown", Process: proc,
		Interval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				proc.set(time.Duration(i)*time.Millisecond, 0)
				if r := m.Read(); r.Joules < 0 {
					t.Error("negative energy")
				}
			}
		}()
	}
	r1 := m.Stop()
	wg.Wait()
	r2, r3 := m.Stop(), m.Read()
	if r1.End != r2.End || r2.End != r3.End || r1.Joules != r3.Joules {
		t.Errorf("Stop/Read after Stop changed the figures: %v %v %v", r1, r2, r3)
	}
}

func TestSelfProcess(t *testing.T) {
	u0, err := Self().Usage()
	if err != nil {
		t.Fatal(err)
	}
	x := 0.0
	for i := 0; i < 3e6; i++ {
		x += math.Sqrt(float64(i))
	}
	u1, err := Self().Usage()
	if err != nil {
		t.Fatal(err)
	}
	if u1.CPU <= u0.CPU || u1.RSS <= 0 || x == 0 {
		t.Errorf("Self usage %+v then %+v: want CPU to grow and RSS > 0", u0, u1)
	}
	if _, err := Children().Usage(); err != nil {
		t.Error(err)
	}
}

func TestWriteJSON(t *testing.T) {
	proc := &fakeProc{}
	clk := newClock()
	m, err := Start(estimateConfig(t, proc, clk, "testdata/proc/vm-unknown"))
	if err != nil {
		t.Fatal(err)
	}
	proc.set(time.Second, 0)
	r := m.Stop()
	dir := t.TempDir()
	p := filepath.Join(dir, "energy.json")
	if err := r.WriteJSON(p); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Joules != r.Joules || back.Status != r.Status || len(back.Sources) != len(r.Sources) || !back.End.Equal(r.End) {
		t.Errorf("round trip: got %v, want %v", back, r)
	}
	for _, k := range []string{`"joules"`, `"facility_joules"`, `"gco2e"`, `"sources"`, `"method"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("energy.json lacks %s", k)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries after the atomic write, want 1", len(ents))
	}
	if err := r.WriteJSON(filepath.Join(dir, "missing", "energy.json")); err == nil {
		t.Error("WriteJSON into a missing directory: want error")
	}
}

// codeCarbonColumns are the fields of CodeCarbon's EmissionsData
// (codecarbon/output_methods/emissions_data.py), which are its emissions.csv
// columns in order.
var codeCarbonColumns = []string{
	"timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions", "emissions_rate",
	"cpu_utilization_percent", "ram_utilization_percent", "ram_used_gb",
	"cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed",
	"water_consumed", "country_name", "country_iso_code", "region", "cloud_provider", "cloud_region",
	"os", "python_version", "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model",
	"longitude", "latitude", "ram_total_size", "tracking_mode", "on_cloud", "pue", "wue",
}

func TestEmissionsColumnsFollowCodeCarbon(t *testing.T) {
	skip := map[string]bool{"experiment_id": true, "cpu_utilization_percent": true, "ram_utilization_percent": true,
		"ram_used_gb": true, "water_consumed": true, "codecarbon_version": true, "longitude": true, "latitude": true, "wue": true}
	var want []string
	for _, c := range codeCarbonColumns {
		if c == "python_version" {
			c = "go_version"
		}
		if !skip[c] {
			want = append(want, c)
		}
	}
	got := EmissionsColumns[:len(want)]
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("columns\n got %v\nwant %v", got, want)
	}
	for _, c := range EmissionsColumns[len(want):] {
		if !strings.HasPrefix(c, "erg_") {
			t.Errorf("extra column %q must carry the erg_ prefix", c)
		}
	}
}

func TestAppendEmissionsCSV(t *testing.T) {
	proc := &fakeProc{}
	clk := newClock()
	cfg := estimateConfig(t, proc, clk, "testdata/proc/vm-unknown")
	cfg.Country, cfg.PUE, cfg.WattsPerCore = "DEU", 1.5, 10
	m, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	proc.set(720*time.Second, 0) // 7200 J IT = 2 Wh; facility 3 Wh
	clk.advance(60 * time.Second)
	r := m.Stop()
	p := filepath.Join(t.TempDir(), "emissions.csv")
	for _, id := range []string{"run-1", "run-2"} {
		if err := AppendEmissionsCSV(p, r, "erg-test", id); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want header + 2 rows", len(recs))
	}
	col := map[string]string{}
	for i, h := range recs[0] {
		col[h] = recs[2][i]
	}
	num := func(k string) float64 {
		v, err := strconv.ParseFloat(col[k], 64)
		if err != nil {
			t.Fatalf("column %s = %q: %v", k, col[k], err)
		}
		return v
	}
	const tol = 1e-12
	// Hand calculation: 3 Wh = 0.003 kWh at 365.477 g/kWh = 1.096431 g = 0.001096431 kg.
	for k, want := range map[string]float64{
		"duration": 60, "energy_consumed": 0.003, "cpu_energy": 0.003, "ram_energy": 0, "gpu_energy": 0,
		"emissions": 0.001096431, "emissions_rate": 0.001096431 / 60, "cpu_power": 120, "pue": 1.5,
		"erg_carbon_intensity": 365.477,
	} {
		if got := num(k); math.Abs(got-want) > tol*math.Max(1, want) {
			t.Errorf("%s = %v, want %v", k, got, want)
		}
	}
	for k, want := range map[string]string{
		"run_id": "run-2", "project_name": "erg-test", "country_iso_code": "DEU", "country_name": "Germany",
		"tracking_mode": "process", "erg_status": "estimated", "timestamp": "2026-03-01T12:01:00", "on_cloud": "N",
	} {
		if col[k] != want {
			t.Errorf("%s = %q, want %q", k, col[k], want)
		}
	}

	// A foreign header is not appended to.
	q := filepath.Join(t.TempDir(), "emissions.csv")
	os.WriteFile(q, []byte("timestamp,project_name,run_id\n"), 0o644)
	if err := AppendEmissionsCSV(q, r, "p", "r"); err == nil {
		t.Error("append to a file with another header: want error")
	}
	if b, _ := os.ReadFile(q); string(b) != "timestamp,project_name,run_id\n" {
		t.Errorf("foreign file changed: %q", b)
	}

	// A row cut short by a crash is closed before the next one.
	b, _ := os.ReadFile(p)
	os.WriteFile(p, append(b, []byte("2026-03-01T12:01:00,cut")...), 0o644)
	if err := AppendEmissionsCSV(p, r, "erg-test", "run-3"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(p)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 5 || !strings.Contains(lines[4], ",run-3,") {
		t.Errorf("after a cut row: %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

func BenchmarkRead(b *testing.B) {
	m, err := Start(Config{DisableGPU: true})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Stop()
	b.ReportAllocs()
	for b.Loop() {
		m.Read()
	}
}
