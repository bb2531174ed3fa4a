package meter

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// raplZone is one RAPL energy counter: a package zone or its dram subzone.
type raplZone struct {
	name      string // "package-0" or "package-0:dram"
	pkg       string // directory name of the package zone, e.g. "intel-rapl:0"
	component string // "cpu" or "dram"
	path      string // .../energy_uj
	maxRange  uint64 // max_energy_range_uj, 0 if unknown
	wrapSec   float64

	last  uint64
	uj    float64 // accumulated µJ since Start
	wraps int
	err   error // last read error after Start
}

// raplDirRE matches zone directories of RAPL control types: intel-rapl:0,
// intel-rapl:0:1, amd-rapl:0. It does not match intel-rapl-mmio:0, the MMIO interface
// to the same package counter, which would count package 0 twice.
var raplDirRE = regexp.MustCompile(`^([a-z0-9-]*rapl):(\d+)(?::(\d+))?$`)

// raplScan finds the RAPL zones under root. It returns the readable package and dram
// zones, and one unavailable Source per zone it could not or would not use, plus a
// summary reason when there is nothing at all.
func raplScan(root string, read func(string) ([]byte, error), interval time.Duration) (pkgs, drams []*raplZone, skipped []Source, none string) {
	ents, err := os.ReadDir(root)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil, fmt.Sprintf("no %s (no powercap/RAPL driver: usual in VMs, containers and on non-x86 CPUs)", root)
		}
		return nil, nil, nil, fmt.Sprintf("cannot list %s: %v", root, err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Slice(names, func(i, j int) bool { return zoneLess(names[i], names[j]) })
	for _, dir := range names {
		m := raplDirRE.FindStringSubmatch(dir)
		if m == nil {
			continue
		}
		zdir := filepath.Join(root, dir)
		zname := dir
		if b, err := read(filepath.Join(zdir, "name")); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			zname = strings.TrimSpace(string(b))
		}
		sub := m[3] != ""
		z := &raplZone{path: filepath.Join(zdir, "energy_uj"), pkg: m[1] + ":" + m[2]}
		switch {
		case !sub && strings.HasPrefix(zname, "package"):
			z.name, z.component = zname, "cpu"
		case !sub && zname == "psys":
			skipped = append(skipped, Source{Name: "rapl:psys", Component: "cpu", Status: StatusUnavailable,
				Note: "platform (psys) zone overlaps the package zones; not counted"})
			continue
		case sub && zname == "dram":
			z.component = "dram"
		case sub:
			continue // core, uncore: already inside the package figure
		default:
			skipped = append(skipped, Source{Name: "rapl:" + zname, Status: StatusUnavailable,
				Note: fmt.Sprintf("unknown top-level zone %s (%s); not counted", zname, dir)})
			continue
		}
		if b, err := read(filepath.Join(zdir, "max_energy_range_uj")); err == nil {
			if v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil {
				z.maxRange = v
			}
		}
		if b, err := read(filepath.Join(zdir, "constraint_0_max_power_uw")); err == nil && z.maxRange > 0 {
			if p, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && p > 0 {
				z.wrapSec = float64(z.maxRange) / float64(p) // µJ / µW = s
			}
		}
		if z.component == "dram" {
			z.name = packageName(pkgs, z.pkg) + ":dram"
		}
		v, err := readCounter(read, z.path)
		if err != nil {
			skipped = append(skipped, Source{Name: "rapl:" + z.name, Component: z.component,
				Status: StatusUnavailable, Note: raplReadNote(z.path, err)})
			if z.component == "cpu" {
				// keep a placeholder so that the caller knows a package was unreadable
				pkgs = append(pkgs, &raplZone{name: zname, pkg: z.pkg, component: "cpu", err: err})
			}
			continue
		}
		z.last = v
		if z.component == "dram" {
			drams = append(drams, z)
		} else {
			pkgs = append(pkgs, z)
		}
	}
	if len(pkgs) == 0 && len(drams) == 0 && len(skipped) == 0 {
		none = fmt.Sprintf("no *-rapl:N zones under %s", root)
	}
	return pkgs, drams, skipped, none
}

// zoneLess orders "intel-rapl:0" < "intel-rapl:0:0" < "intel-rapl:1" < "intel-rapl:10".
func zoneLess(a, b string) bool {
	ma, mb := raplDirRE.FindStringSubmatch(a), raplDirRE.FindStringSubmatch(b)
	if ma == nil || mb == nil || ma[1] != mb[1] {
		return a < b
	}
	na, _ := strconv.Atoi(ma[2])
	nb, _ := strconv.Atoi(mb[2])
	if na != nb {
		return na < nb
	}
	sa, sb := -1, -1
	if ma[3] != "" {
		sa, _ = strconv.Atoi(ma[3])
	}
	if mb[3] != "" {
		sb, _ = strconv.Atoi(mb[3])
	}
	return sa < sb
}

func packageName(pkgs []*raplZone, pkg string) string {
	for _, p := range pkgs {
		if p.pkg == pkg {
			return p.name
		}
	}
	return pkg
}

func raplReadNote(path string, err error) string {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Sprintf("permission denied reading %s (root-only since the CVE-2020-8694 fix); fell back to the estimate", path)
	}
	return fmt.Sprintf("cannot read %s: %v; fell back to the estimate", path, err)
}

func readCounter(read func(string) ([]byte, error), path string) (uint64, error) {
	b, err := read(path)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("meter: %s: field energy_uj: %w", path, err)
	}
	return v, nil
}

// raplDelta is the energy between two counter readings, in µJ. A decrease is one
// wrap at maxRange (the counter runs from 0 to max_energy_range_uj); with maxRange
// unknown, or prev beyond it, the counter is taken to have restarted from 0.
func raplDelta(prev, cur, maxRange uint64) (delta uint64, wrapped bool) {
	if cur >= prev {
		return cur - prev, false
	}
	if maxRange > 0 && prev <= maxRange {
		return maxRange - prev + cur, true
	}
	return cur, true
}

// sample reads the counter and accumulates the energy since the previous reading.
func (z *raplZone) sample(read func(string) ([]byte, error)) {
	v, err := readCounter(read, z.path)
	if err != nil {
		z.err = err // kept until a later read succeeds: the counter is cumulative, so nothing is lost unless it wrapped meanwhile
		return
	}
	z.err = nil
	d, w := raplDelta(z.last, v, z.maxRange)
	if w {
		z.wraps++
	}
	z.uj += float64(d)
	z.last = v
}

func (z *raplZone) source(interval time.Duration) Source {
	method := "rapl energy_uj counter"
	if z.maxRange > 0 {
		method += fmt.Sprintf(", wrap at max_energy_range_uj=%d", z.maxRange)
	}
	method += fmt.Sprintf(", sampled every %s and at each Read", interval)
	s := Source{Name: "rapl:" + z.name, Component: z.component, Status: StatusMeasured,
		Method: method, Joules: z.uj / 1e6, Wraps: z.wraps}
	var notes []string
	if z.wrapSec > 0 && z.wrapSec < 2*interval.Seconds() {
		notes = append(notes, fmt.Sprintf("counter can wrap every %.0f s at full power, less than two sampling intervals: energy may be missed", z.wrapSec))
	}
	if z.err != nil {
		notes = append(notes, fmt.Sprintf("read failed after start (%v); energy after the last good sample is missing", z.err))
	}
	s.Note = strings.Join(notes, "; ")
	return s
}
