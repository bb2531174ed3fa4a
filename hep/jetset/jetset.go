package jetset

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"codeberg.org/sbinet/npyio"

	"github.com/ergml/erg/hep/jet"
	"github.com/ergml/erg/hep/pythia6"
	"github.com/ergml/erg/run"
)

// NConst is the number of constituents stored per jet.
const NConst = 40

// NFeat is the number of features per constituent: log pT, Δη, Δφ.
const NFeat = 3

// Config configures Generate. Field names in errors are the erg flags.
type Config struct {
	Process      pythia6.Process
	Events       int     // events in total (split over the driver processes)
	Seed         int     // base seed; process k uses 2·Seed+k+1
	PtMin, PtMax float64 // jet pT window and parton p̂T window, GeV (default 550, 650)
	ECM          float64 // centre-of-mass energy, GeV (default 14000)
	EtaMax       float64 // |η| cut on jets (default 2)
	R            float64 // anti-kT radius (default 0.8)
	MatchR       float64 // ΔR of the top/W match (default 0.8)
	Workers      int     // driver processes in parallel (default 2)
}

// Defaults returns c with zero fields set to their defaults.
func (c Config) Defaults() Config {
	if c.PtMin == 0 && c.PtMax == 0 {
		c.PtMin, c.PtMax = 550, 650
	}
	if c.ECM == 0 {
		c.ECM = 14000
	}
	if c.EtaMax == 0 {
		c.EtaMax = 2
	}
	if c.R == 0 {
		c.R = 0.8
	}
	if c.MatchR == 0 {
		c.MatchR = 0.8
	}
	if c.Workers == 0 {
		c.Workers = 2
	}
	return c
}

// Validate checks c (after Defaults).
func (c Config) Validate() error {
	switch {
	case c.Process < pythia6.QCD || c.Process > pythia6.W:
		return run.Invalid("process", c.Process.String(), "unknown process (want qcd, top or w)")
	case c.Events <= 0:
		return run.Invalid("events", c.Events, "must be positive")
	case c.Seed < 0 || 2*c.Seed+c.Workers > pythia6.MaxSeed:
		return run.Invalid("seed", c.Seed, "must be in [0, %d]", (pythia6.MaxSeed-c.Workers)/2)
	case !(c.PtMin >= 0):
		return run.Invalid("ptmin", c.PtMin, "must be non-negative")
	case !(c.PtMin < c.PtMax):
		return run.Invalid("ptmin", c.PtMin, "must be below --ptmax %g", c.PtMax)
	case !(c.ECM > 2*c.PtMax):
		return run.Invalid("ecm", c.ECM, "must exceed 2·ptmax")
	case !(c.EtaMax > 0), !(c.R > 0), !(c.MatchR > 0):
		return run.Invalid("eta-max", c.EtaMax, "eta-max, R and match-R must be positive")
	case c.Workers < 1:
		return run.Invalid("workers", c.Workers, "must be positive")
	}
	return nil
}

// Drivers returns the driver configurations of c: Events split over Workers, seeds
// 2·Seed+k+1.
func (c Config) Drivers() []pythia6.Config {
	out := make([]pythia6.Config, c.Workers)
	for k := range out {
		n := c.Events / c.Workers
		if k < c.Events%c.Workers {
			n++
		}
		out[k] = pythia6.Config{Process: c.Process, Events: n, Seed: 2*c.Seed + k + 1, PtMin: c.PtMin, PtMax: c.PtMax, ECM: c.ECM}
	}
	return out
}

// Jet observables, the columns of F.jets.npy.
const (
	ColPt = iota
	ColEta
	ColPhi
	ColMass
	ColMult
	NCols
)

// Set is a jet data set.
type Set struct {
	Const [][NConst][NFeat]float32 // leading constituents per jet
	Jets  [][NCols]float64         // pT, η, φ, mass, multiplicity
	Meta  Meta
}

// Meta is a data set's metadata (F.json).
type Meta struct {
	Process     string              `json:"process"`
	Events      int                 `json:"events"`
	Jets        int                 `json:"jets"`
	JetsPerEvt  float64             `json:"jets_per_event"`
	Seed        int                 `json:"seed"`
	Seeds       []int               `json:"driver_seeds"`
	PtMin       float64             `json:"ptmin"`
	PtMax       float64             `json:"ptmax"`
	ECM         float64             `json:"ecm"`
	EtaMax      float64             `json:"eta_max"`
	R           float64             `json:"R"`
	MatchR      float64             `json:"match_R,omitempty"`
	Algorithm   string              `json:"algorithm"`
	Features    []string            `json:"features"`
	Columns     []string            `json:"jet_columns"`
	Generator   string              `json:"generator"`
	Pythia      [][]pythia6.Setting `json:"pythia_settings"`
	Command     string              `json:"command,omitempty"`
	Constituent int                 `json:"constituents"`
}

// Select returns the jets of one event kept by c: anti-kT jets in the pT window with
// |η| < EtaMax; for QCD the (at most two) leading ones, for top and W those within
// MatchR of a hard t/t̄ or W.
func (c Config) Select(cl *jet.Clusterer, ev *pythia6.Event) []jet.Jet {
	js := cl.Cluster(ev.Particles, 0.5*c.PtMin)
	var out []jet.Jet
	for i, j := range js {
		pt := j.Pt()
		if !(pt > c.PtMin && pt < c.PtMax) || math.Abs(j.Eta()) >= c.EtaMax {
			continue
		}
		switch c.Process {
		case pythia6.QCD:
			if i >= 2 {
				continue
			}
		default:
			kf := 6
			if c.Process == pythia6.W {
				kf = 24
			}
			ok := false
			for _, h := range ev.Hard {
				if abs(h.KF) == kf && DeltaR(j.P, h.P) < c.MatchR {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		out = append(out, j)
	}
	return out
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// DeltaR returns the η-φ distance of two four-vectors.
func DeltaR(a, b [4]float64) float64 {
	deta := jet.Eta(a) - jet.Eta(b)
	dphi := wrap(math.Atan2(a[1], a[0]) - math.Atan2(b[1], b[0]))
	return math.Hypot(deta, dphi)
}

func wrap(d float64) float64 {
	for d > math.Pi {
		d -= 2 * math.Pi
	}
	for d <= -math.Pi {
		d += 2 * math.Pi
	}
	return d
}

// Features returns the stored form of jet j of particles.
func Features(j jet.Jet, particles [][4]float64) (c [NConst][NFeat]float32, obs [NCols]float64) {
	type con struct{ pt, eta, phi float64 }
	cons := make([]con, len(j.Constituents))
	for i, k := range j.Constituents {
		p := particles[k]
		cons[i] = con{math.Hypot(p[0], p[1]), jet.Eta(p), math.Atan2(p[1], p[0])}
	}
	slices.SortStableFunc(cons, func(a, b con) int {
		switch {
		case a.pt > b.pt:
			return -1
		case a.pt < b.pt:
			return 1
		}
		return 0
	})
	eta, phi := j.Eta(), j.Phi()
	for i := 0; i < len(cons) && i < NConst; i++ {
		c[i] = [NFeat]float32{float32(math.Log(cons[i].pt)), float32(cons[i].eta - eta), float32(wrap(cons[i].phi - phi))}
	}
	obs = [NCols]float64{j.Pt(), eta, phi, j.M(), float64(len(j.Constituents))}
	return c, obs
}

// Progress receives the number of events done so far (from any goroutine).
type Progress func(done int)

// Generate makes a data set with Pythia (see pythia6.Build; log receives build
// messages). progress, if not nil, is called after every event.
func Generate(ctx context.Context, c Config, log io.Writer, progress Progress) (*Set, error) {
	c = c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	exe, err := pythia6.Build(ctx, log)
	if err != nil {
		return nil, err
	}
	drv := c.Drivers()
	parts := make([]Set, len(drv))
	cls := make([]jet.Clusterer, len(drv))
	done := make([]int, len(drv))
	for k := range cls {
		cls[k].Def = jet.AntiKt(c.R)
	}
	var total atomicInt
	settings, err := pythia6.Generate(ctx, exe, drv, func(k int, ev *pythia6.Event) error {
		for _, j := range c.Select(&cls[k], ev) {
			f, o := Features(j, ev.Particles)
			parts[k].Const = append(parts[k].Const, f)
			parts[k].Jets = append(parts[k].Jets, o)
		}
		done[k]++
		if progress != nil {
			progress(total.add(1))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s := &Set{}
	seeds := make([]int, len(drv))
	for k := range parts {
		s.Const = append(s.Const, parts[k].Const...)
		s.Jets = append(s.Jets, parts[k].Jets...)
		seeds[k] = drv[k].Seed
	}
	s.Meta = Meta{
		Process: c.Process.String(), Events: c.Events, Jets: len(s.Jets), Seed: c.Seed, Seeds: seeds,
		PtMin: c.PtMin, PtMax: c.PtMax, ECM: c.ECM, EtaMax: c.EtaMax, R: c.R,
		Algorithm: "anti-kT, E-scheme (erg hep/jet, FastJet N2Plain)",
		Features:  []string{"log_pt", "delta_eta", "delta_phi"},
		Columns:   []string{"pt", "eta", "phi", "mass", "multiplicity"},
		Generator: "Pythia 6.4.28 (Debian hepmc3-doc source) with erg's driver hep/pythia6/fortran/driver.f, compiled with gfortran " + strings.Join(pythia6.Flags, " "),
		Pythia:    settings, Constituent: NConst,
	}
	if c.Process != pythia6.QCD {
		s.Meta.MatchR = c.MatchR
	}
	s.Meta.JetsPerEvt = float64(len(s.Jets)) / float64(c.Events)
	return s, nil
}

// Len returns the number of jets.
func (s *Set) Len() int { return len(s.Jets) }

// Flat returns the constituents as one row-major float32 slice [N·NConst·NFeat].
func (s *Set) Flat() []float32 {
	out := make([]float32, 0, len(s.Const)*NConst*NFeat)
	for i := range s.Const {
		for k := range NConst {
			out = append(out, s.Const[i][k][:]...)
		}
	}
	return out
}

// Paths returns the three file names of a data set written to out.
func Paths(out string) (npy, jets, meta string) {
	base := strings.TrimSuffix(out, ".npy")
	return base + ".npy", base + ".jets.npy", base + ".json"
}

// Write writes s to out (see the package documentation for the three files), each
// through a temporary file and a rename.
func (s *Set) Write(out string) error {
	pc, pj, pm := Paths(out)
	if err := writeAtomic(pc, func(w io.Writer) error {
		if len(s.Const) == 0 {
			return npyio.Write(w, [][NConst][NFeat]float32{})
		}
		return npyio.Write(w, s.Const)
	}); err != nil {
		return err
	}
	if err := writeAtomic(pj, func(w io.Writer) error { return npyio.Write(w, s.Jets) }); err != nil {
		return err
	}
	return writeAtomic(pm, func(w io.Writer) error {
		b, err := json.MarshalIndent(s.Meta, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
}

func writeAtomic(path string, fn func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("jetset: %w", err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("jetset: %w", err)
	}
	if err := fn(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("jetset: %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("jetset: %w", err)
	}
	return os.Rename(f.Name(), path)
}

// Read reads a data set written by Write. The constituent file must be float32 of
// shape [N, 40, 3] (or [N, 120]); F.jets.npy and F.json are read when present.
func Read(path string) (*Set, error) {
	pc, pj, pm := Paths(path)
	flat, shape, err := readNpy[float32](pc)
	if err != nil {
		return nil, err
	}
	n := 0
	switch {
	case len(shape) == 3 && shape[1] == NConst && shape[2] == NFeat,
		len(shape) == 2 && shape[1] == NConst*NFeat:
		n = shape[0]
	case len(shape) == 1 && shape[0] == 0:
	default:
		return nil, &run.FieldError{Field: "data", Value: path, File: pc, Reason: fmt.Sprintf("array of shape %v, want [N, %d, %d] float32 jets (log pT, Δη, Δφ)", shape, NConst, NFeat)}
	}
	s := &Set{Const: make([][NConst][NFeat]float32, n)}
	for i := range n {
		for k := range NConst {
			copy(s.Const[i][k][:], flat[(i*NConst+k)*NFeat:])
		}
	}
	if _, err := os.Stat(pj); err == nil {
		obs, shape, err := readNpy[float64](pj)
		if err != nil {
			return nil, err
		}
		if len(shape) != 2 || shape[0] != n || shape[1] != NCols {
			return nil, &run.FieldError{Field: "data", Value: path, File: pj, Reason: fmt.Sprintf("array of shape %v, want [%d, %d] float64 (pt, eta, phi, mass, multiplicity)", shape, n, NCols)}
		}
		s.Jets = make([][NCols]float64, n)
		for i := range n {
			copy(s.Jets[i][:], obs[i*NCols:])
		}
	} else {
		s.Jets = make([][NCols]float64, n)
		for i := range n {
			s.Jets[i] = Observables(s.Const[i])
		}
	}
	if b, err := os.ReadFile(pm); err == nil {
		if err := json.Unmarshal(b, &s.Meta); err != nil {
			return nil, &run.FieldError{Field: "data", Value: path, File: pm, Reason: err.Error()}
		}
	}
	return s, nil
}

func readNpy[T float32 | float64](path string) ([]T, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &run.FieldError{Field: "data", Value: path, File: path, Reason: err.Error()}
	}
	defer f.Close()
	r, err := npyio.NewReader(f)
	if err != nil {
		return nil, nil, &run.FieldError{Field: "data", Value: path, File: path, Reason: "not a .npy file: " + err.Error()}
	}
	shape := r.Header.Descr.Shape
	var want T
	wt := "<f4"
	if _, ok := any(want).(float64); ok {
		wt = "<f8"
	}
	if strings.Trim(r.Header.Descr.Type, "'\"") != wt || r.Header.Descr.Fortran {
		return nil, shape, &run.FieldError{Field: "data", Value: path, File: path, Reason: fmt.Sprintf("dtype %s (fortran order %v), want %s in C order", r.Header.Descr.Type, r.Header.Descr.Fortran, wt)}
	}
	var out []T
	if err := r.Read(&out); err != nil && !errors.Is(err, io.EOF) {
		return nil, shape, &run.FieldError{Field: "data", Value: path, File: path, Reason: err.Error()}
	}
	return out, shape, nil
}

// Observables returns a jet's pT, η, φ, mass and multiplicity computed from its
// stored constituents (massless, relative to a jet at η = φ = 0); it is how samples
// of a generative model are turned into jets.
func Observables(c [NConst][NFeat]float32) [NCols]float64 {
	var p [4]float64
	n := 0
	for _, k := range c {
		if k == [NFeat]float32{} {
			continue
		}
		pt := math.Exp(float64(k[0]))
		eta, phi := float64(k[1]), float64(k[2])
		p[0] += pt * math.Cos(phi)
		p[1] += pt * math.Sin(phi)
		p[2] += pt * math.Sinh(eta)
		p[3] += pt * math.Cosh(eta)
		n++
	}
	j := jet.Jet{P: p}
	if n == 0 {
		return [NCols]float64{}
	}
	return [NCols]float64{j.Pt(), j.Eta(), j.Phi(), j.M(), float64(n)}
}
