package meter

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// DefaultWattsPerCore is the power charged per busy logical CPU when the CPU model
// is not in the table: 12.5 W, a 100 W TDP part with 8 hardware threads. It is
// deliberately high (the table's entries give 1.5 to 16 W per thread) so that an
// unknown machine is over- rather than under-estimated.
const DefaultWattsPerCore = 12.5

// CPUSpec is one entry of the embedded CPU power table.
type CPUSpec struct {
	Key     string  // normalised model name the entry matches, e.g. "xeon gold 6148"
	TDP     float64 // thermal design power of one package, W
	Threads int     // hardware threads of one package
}

// WattsPerThread is the TDP share of one logical CPU.
func (s CPUSpec) WattsPerThread() float64 { return s.TDP / float64(s.Threads) }

// cpuTable: TDP (base / processor base power) and hardware threads per package from
// the manufacturers' specification pages (Intel ARK, AMD product pages); the same
// figures appear in CodeCarbon's data/hardware/cpu_power.csv. Keys are matched as
// whole tokens of the normalised /proc/cpuinfo model name, longest key first.
var cpuTable = []CPUSpec{
	// Intel Xeon Scalable and E5/E3 (servers, cloud instances).
	{"xeon gold 6130", 125, 32},
	{"xeon gold 6140", 140, 36},
	{"xeon gold 6148", 150, 40},
	{"xeon gold 6226r", 150, 32},
	{"xeon gold 6230", 125, 40},
	{"xeon gold 6248", 150, 40},
	{"xeon gold 6338", 205, 64},
	{"xeon platinum 8180", 205, 56},
	{"xeon platinum 8280", 205, 56},
	{"xeon platinum 8358", 250, 64},
	{"xeon platinum 8380", 270, 80},
	{"xeon silver 4114", 85, 20},
	{"xeon silver 4210", 85, 20},
	{"xeon silver 4214", 85, 24},
	{"xeon e5-2620 v3", 85, 12},
	{"xeon e5-2680 v3", 120, 24},
	{"xeon e5-2630 v4", 85, 20},
	{"xeon e5-2680 v4", 120, 28},
	{"xeon e5-2690 v4", 135, 28},
	{"xeon e5-2699 v4", 145, 44},
	{"xeon e3-1240 v2", 69, 8},
	{"xeon w-2245", 155, 16},
	// Intel Core (desktops and laptops).
	{"core i7-4770", 84, 8},
	{"core i7-6700k", 91, 8},
	{"core i7-7700k", 91, 8},
	{"core i5-8250u", 15, 8},
	{"core i7-8550u", 15, 8},
	{"core i7-8565u", 15, 8},
	{"core i7-8700", 65, 12},
	{"core i7-8700k", 95, 12},
	{"core i9-9900k", 95, 16},
	{"core i7-10700", 65, 16},
	{"core i7-10700k", 125, 16},
	{"core i9-12900k", 125, 24},
	// AMD EPYC, Threadripper and Ryzen.
	{"epyc 7452", 155, 64},
	{"epyc 7502", 180, 64},
	{"epyc 7543", 225, 64},
	{"epyc 7601", 180, 64},
	{"epyc 7702", 200, 128},
	{"epyc 7713", 225, 128},
	{"epyc 7742", 225, 128},
	{"epyc 7763", 280, 128},
	{"epyc 9554", 360, 128},
	{"epyc 9654", 360, 192},
	{"ryzen threadripper 3990x", 280, 128},
	{"ryzen 5 3600", 65, 12},
	{"ryzen 5 5600x", 65, 12},
	{"ryzen 7 3700x", 65, 16},
	{"ryzen 7 5800x", 105, 16},
	{"ryzen 9 3950x", 105, 32},
	{"ryzen 9 5950x", 105, 32},
	{"ryzen 9 7950x", 170, 32},
}

// normalizeCPUName lower-cases a /proc/cpuinfo model name and drops the marks and
// words that vary between listings: "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz" ->
// "intel xeon gold 6148"; "AMD EPYC 7742 64-Core Processor" -> "amd epyc 7742".
func normalizeCPUName(s string) string {
	s = strings.ToLower(s)
	if i := strings.Index(s, "@"); i >= 0 {
		s = s[:i]
	}
	for _, r := range []string{"(r)", "(tm)", "®", "™"} {
		s = strings.ReplaceAll(s, r, " ")
	}
	var out []string
	for _, f := range strings.Fields(s) {
		switch {
		case f == "cpu" || f == "processor" || f == "with":
			continue
		case strings.HasSuffix(f, "-core"):
			continue
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

// LookupCPU finds a /proc/cpuinfo model name in the embedded power table.
func LookupCPU(model string) (CPUSpec, bool) {
	toks := strings.Fields(normalizeCPUName(model))
	best, found := CPUSpec{}, false
	for _, e := range cpuTable {
		if containsTokens(toks, strings.Fields(e.Key)) && (!found || len(e.Key) > len(best.Key)) {
			best, found = e, true
		}
	}
	return best, found
}

// containsTokens reports whether key occurs as a contiguous run of whole tokens in toks.
func containsTokens(toks, key []string) bool {
	for i := 0; i+len(key) <= len(toks); i++ {
		ok := true
		for j := range key {
			if toks[i+j] != key[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// cpuInfo is what erg needs from /proc/cpuinfo.
type cpuInfo struct {
	Model    string // first "model name"
	Logical  int    // number of "processor" entries
	Packages int    // distinct "physical id" values (0 when absent)
}

// parseCPUInfo reads /proc/cpuinfo text. name is the file name for errors.
func parseCPUInfo(data []byte, name string) (cpuInfo, error) {
	var ci cpuInfo
	phys := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "processor":
			if _, err := strconv.Atoi(v); err != nil {
				return ci, fmt.Errorf("meter: %s:%d: field processor: %w", name, line, err)
			}
			ci.Logical++
		case "model name":
			if ci.Model == "" {
				ci.Model = v
			}
		case "physical id":
			phys[v] = true
		}
	}
	if err := sc.Err(); err != nil {
		return ci, fmt.Errorf("meter: %s: %w", name, err)
	}
	ci.Packages = len(phys)
	return ci, nil
}

// parseMemTotal returns MemTotal from /proc/meminfo in bytes.
func parseMemTotal(data []byte, name string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.TrimSpace(k) != "MemTotal" {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			return 0, fmt.Errorf("meter: %s:%d: field MemTotal: empty", name, line)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("meter: %s:%d: field MemTotal: %w", name, line, err)
		}
		if len(f) > 1 && strings.EqualFold(f[1], "kB") {
			n *= 1024
		}
		return n, nil
	}
	return 0, fmt.Errorf("meter: %s: no MemTotal line", name)
}
