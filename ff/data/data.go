package data

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ergml/erg/ff/mol"
)

//go:embed ffdata.py
var script []byte

// Config configures Generate. Zero values are the documented defaults.
type Config struct {
	Smiles    string // SMILES file (default /usr/share/RDKit/Data/NCI/first_5K.smi, Debian rdkit-data)
	Out       string // output directory (required)
	Molecules int    // molecules to label (default 600)
	Confs     int    // geometries per molecule: 4 per ETKDG conformer (default 32)
	Seed      int    // default 2666 (refit-espaloma's RANDOM_SEED)
	Workers   int    // parallel xtb workers (default 2)
	MinHeavy  int    // default 4
	MaxHeavy  int    // default 12
	Python    string // default /usr/bin/python3
	Xtb       string // default: xtb on PATH
	Log       io.Writer
}

// DefaultSmiles is the NCI subset shipped by Debian's rdkit-data.
const DefaultSmiles = "/usr/share/RDKit/Data/NCI/first_5K.smi"

func (c *Config) defaults() {
	if c.Smiles == "" {
		c.Smiles = DefaultSmiles
	}
	if c.Molecules == 0 {
		c.Molecules = 600
	}
	if c.Confs == 0 {
		c.Confs = 32
	}
	if c.Seed == 0 {
		c.Seed = 2666
	}
	if c.Workers == 0 {
		c.Workers = 2
	}
	if c.MinHeavy == 0 {
		c.MinHeavy = 4
	}
	if c.MaxHeavy == 0 {
		c.MaxHeavy = 12
	}
	if c.Python == "" {
		c.Python = "/usr/bin/python3"
	}
}

// Summary is summary.json.
type Summary struct {
	Molecules        int               `json:"molecules"`
	AcceptedByFilter int               `json:"accepted_by_filter"`
	RejectedByFilter int               `json:"rejected_by_filter"`
	Splits           map[string]int    `json:"splits"`
	Failed           map[string]string `json:"failed"`
	Seconds          float64           `json:"seconds_this_invocation"`
	XtbCalls         int               `json:"xtb_calls_this_invocation"`
}

// Check reports which of the programs Generate needs are missing, naming the
// Debian packages.
func Check(c Config) error {
	c.defaults()
	var miss []string
	if err := exec.Command(c.Python, "-c", "import rdkit").Run(); err != nil {
		miss = append(miss, fmt.Sprintf("RDKit for %s (apt-get install python3-rdkit)", c.Python))
	}
	xtb := c.Xtb
	if xtb == "" {
		xtb = "xtb"
	}
	if _, err := exec.LookPath(xtb); err != nil {
		miss = append(miss, "xtb (apt-get install xtb)")
	}
	if _, err := os.Stat(c.Smiles); err != nil {
		miss = append(miss, fmt.Sprintf("SMILES file %s (apt-get install rdkit-data)", c.Smiles))
	}
	if len(miss) > 0 {
		return fmt.Errorf("ff data needs %s", strings.Join(miss, ", "))
	}
	return nil
}

// Generate makes (or completes: molecules already written are skipped) the data
// set in c.Out and returns its summary.
func Generate(ctx context.Context, c Config) (*Summary, error) {
	c.defaults()
	if c.Out == "" {
		return nil, fmt.Errorf("data: output directory required")
	}
	if err := Check(c); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return nil, err
	}
	sp := filepath.Join(c.Out, ".ffdata.py")
	if err := os.WriteFile(sp, script, 0o644); err != nil {
		return nil, err
	}
	args := []string{sp, "--smiles", c.Smiles, "--out", c.Out, "--molecules", strconv.Itoa(c.Molecules),
		"--confs", strconv.Itoa(c.Confs), "--seed", strconv.Itoa(c.Seed), "--workers", strconv.Itoa(c.Workers),
		"--min-heavy", strconv.Itoa(c.MinHeavy), "--max-heavy", strconv.Itoa(c.MaxHeavy)}
	if c.Xtb != "" {
		args = append(args, "--xtb", c.Xtb)
	}
	cmd := exec.CommandContext(ctx, c.Python, args...)
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1")
	var stderr bytes.Buffer
	if c.Log != nil {
		cmd.Stderr = io.MultiWriter(c.Log, &stderr)
	} else {
		cmd.Stderr = &stderr
	}
	if err := cmd.Run(); err != nil {
		tail := stderr.String()
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return nil, fmt.Errorf("data: %s: %w\n%s", filepath.Base(sp), err, tail)
	}
	return ReadSummary(c.Out)
}

// ReadSummary reads DIR/summary.json.
func ReadSummary(dir string) (*Summary, error) {
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
	}
	return &s, nil
}

// Sample is one molecule with its labelled geometries (units in the names).
type Sample struct {
	ID      string
	File    string
	Mol     *mol.Molecule  // graph and first geometry
	X       [][][3]float64 // [conformer][atom] Å
	EXtb    []float64      // kcal/mol
	FXtb    [][][3]float64 // kcal/mol/Å (−gradient)
	QXtb    []float64      // conformer-mean Mulliken-type charges, e
	EMMFF   []float64      // kcal/mol
	FMMFF   [][][3]float64 // kcal/mol/Å
	Parent  []int          // per geometry: index of its MMFF-relaxed conformer (erg_conformer)
	Moved   []bool         // per geometry: a displaced copy (erg_displaced > 0)
	Dropped int            // geometries dropped by the 0.1 Eh window
}

// Hartree and bohr conversions (CODATA 2018).
const (
	KcalPerHartree  = 627.5094740631
	AngstromPerBohr = 0.529177210903
)

// EnergyWindow is the largest energy above a molecule's lowest conformer kept
// for training and evaluation, kcal/mol (0.1 Eh, as in refit-espaloma). It is
// applied to the MMFF-relaxed conformers; a displaced copy is kept when its parent
// is: N(0, 0.1 Å) displacements put the copies 100-250 kcal/mol above the minimum
// (measured on the 600-molecule set), so the window would otherwise drop all of them
// and leave only minima.
const EnergyWindow = 0.1 * KcalPerHartree

// Load reads every molecule of DIR/split ("train", "val", "test"; "all" for the
// three), sorted by id.
func Load(dir, split string) ([]*Sample, error) {
	splits := []string{split}
	if split == "all" {
		splits = []string{"train", "val", "test"}
	}
	var out []*Sample
	for _, sp := range splits {
		files, err := filepath.Glob(filepath.Join(dir, sp, "*.sdf"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			s, err := LoadFile(f)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no molecules in split %q (make them with erg ff data)", dir, split)
	}
	return out, nil
}

// LoadFile reads one molecule's SD file: every record must have the same atoms in
// the same order and bonds, finite labels of the right length, a geometry that
// passes mol.Check; conformers more than EnergyWindow above the lowest are dropped.
func LoadFile(path string) (*Sample, error) {
	recs, err := mol.ReadSDFFile(path)
	if err != nil {
		return nil, err
	}
	s := &Sample{ID: strings.TrimSuffix(filepath.Base(path), ".sdf"), File: path, Mol: recs[0]}
	n := recs[0].NumAtoms()
	q := make([]float64, n)
	for _, r := range recs {
		if err := mol.SameGraph(recs[0], r); err != nil {
			return nil, err
		}
		if err := r.Check(); err != nil {
			return nil, err
		}
		get := func(key string, want int) ([]float64, error) {
			v, ok := r.Props[key]
			if !ok {
				return nil, &mol.Error{File: path, Line: r.Line, Msg: fmt.Sprintf("record has no %q property", key)}
			}
			f := strings.Fields(v)
			if len(f) != want {
				return nil, &mol.Error{File: path, Line: r.Line, Msg: fmt.Sprintf("property %q has %d values, want %d", key, len(f), want)}
			}
			out := make([]float64, want)
			for i, t := range f {
				x, err := strconv.ParseFloat(t, 64)
				if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, &mol.Error{File: path, Line: r.Line, Msg: fmt.Sprintf("property %q value %d is %q, not a finite number", key, i+1, t)}
				}
				out[i] = x
			}
			return out, nil
		}
		e, err := get("xtb_energy_hartree", 1)
		if err != nil {
			return nil, err
		}
		g, err := get("xtb_gradient_hartree_bohr", 3*n)
		if err != nil {
			return nil, err
		}
		c, err := get("xtb_charges_e", n)
		if err != nil {
			return nil, err
		}
		em, err := get("mmff94_energy_kcal_mol", 1)
		if err != nil {
			return nil, err
		}
		gm, err := get("mmff94_gradient_kcal_mol_angstrom", 3*n)
		if err != nil {
			return nil, err
		}
		par, _ := strconv.Atoi(strings.TrimSpace(r.Props["erg_conformer"]))
		disp, _ := strconv.Atoi(strings.TrimSpace(r.Props["erg_displaced"]))
		s.Parent = append(s.Parent, par)
		s.Moved = append(s.Moved, disp > 0)
		s.X = append(s.X, r.Coords)
		s.EXtb = append(s.EXtb, e[0]*KcalPerHartree)
		s.FXtb = append(s.FXtb, forces(g, -KcalPerHartree/AngstromPerBohr))
		s.EMMFF = append(s.EMMFF, em[0])
		s.FMMFF = append(s.FMMFF, forces(gm, -1))
		for i := range q {
			q[i] += c[i] / float64(len(recs))
		}
	}
	s.QXtb = q
	// drop conformers above the energy window
	lo := math.Inf(1)
	parentE := map[int]float64{}
	for c, e := range s.EXtb {
		if !s.Moved[c] {
			lo = math.Min(lo, e)
			parentE[s.Parent[c]] = e
		}
	}
	k := 0
	for c := range s.EXtb {
		pe, ok := parentE[s.Parent[c]]
		if !ok {
			pe = s.EXtb[c]
		}
		if pe-lo > EnergyWindow {
			s.Dropped++
			continue
		}
		s.X[k], s.EXtb[k], s.FXtb[k], s.EMMFF[k], s.FMMFF[k] = s.X[c], s.EXtb[c], s.FXtb[c], s.EMMFF[c], s.FMMFF[c]
		s.Parent[k], s.Moved[k] = s.Parent[c], s.Moved[c]
		k++
	}
	s.X, s.EXtb, s.FXtb, s.EMMFF, s.FMMFF = s.X[:k], s.EXtb[:k], s.FXtb[:k], s.EMMFF[:k], s.FMMFF[:k]
	s.Parent, s.Moved = s.Parent[:k], s.Moved[:k]
	return s, nil
}

func forces(g []float64, scale float64) [][3]float64 {
	out := make([][3]float64, len(g)/3)
	for i := range out {
		out[i] = [3]float64{scale * g[3*i], scale * g[3*i+1], scale * g[3*i+2]}
	}
	return out
}
