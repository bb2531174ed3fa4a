package rdata

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ergml/erg/modes"
)

//go:embed export.R
var exportR []byte

// Set is one data set.
type Set struct {
	Name    string   `json:"name"`
	File    string   `json:"file"`
	Columns []string `json:"columns"` // the first is the default
	Desc    string   `json:"description"`
}

var sets = map[string]Set{
	"galaxies": {"galaxies", "galaxies.csv", []string{"velocity"}, "velocities (km/s) of 82 galaxies, MASS::galaxies"},
	"faithful": {"faithful", "faithful.csv", []string{"eruptions", "waiting"}, "Old Faithful eruptions and waiting times, datasets::faithful"},
	"geyser":   {"geyser", "geyser.csv", []string{"waiting", "duration"}, "Old Faithful waiting and duration, MASS::geyser"},
	"acidity":  {"acidity", "acidity.csv", []string{"acidity"}, "log acidity index of 155 lakes, mclust::acidity"},
	"stamps":   {"stamps", "stamps.csv", []string{"thickness"}, "thickness (mm) of 486 Hidalgo stamps, locfit::stamp"},
}

// Names lists the data sets.
func Names() []string {
	var n []string
	for k := range sets {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Lookup returns the set called name.
func Lookup(name string) (Set, error) {
	s, ok := sets[name]
	if !ok {
		return Set{}, fmt.Errorf("rdata: unknown data set %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return s, nil
}

// ErrNoR is returned (wrapped) when Rscript or the R packages are missing.
var ErrNoR = errors.New("R not available")

// Dir returns the cache directory: $ERG_CACHE/modes, else ~/.cache/erg/modes.
func Dir() string {
	if d := os.Getenv("ERG_CACHE"); d != "" {
		return filepath.Join(d, "modes")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".cache", "erg", "modes")
	}
	return filepath.Join(os.TempDir(), "erg-modes")
}

// Export writes all five CSV files into dir with Rscript.
func Export(dir string) error {
	rs, err := exec.LookPath("Rscript")
	if err != nil {
		return fmt.Errorf("rdata: Rscript not found; install Debian r-base-core r-cran-mass r-cran-mclust r-cran-locfit: %w", ErrNoR)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp("", "erg-export-*.R")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(exportR); err != nil {
		return err
	}
	f.Close()
	out, err := exec.Command(rs, f.Name(), dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("rdata: Rscript export.R: %s: %w", strings.TrimSpace(string(out)), ErrNoR)
	}
	return nil
}

// Path returns the CSV file of the set, exporting the sets with R first when the file
// is missing.
func Path(name string) (string, error) {
	s, err := Lookup(name)
	if err != nil {
		return "", err
	}
	p := filepath.Join(Dir(), s.File)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	if err := Export(Dir()); err != nil {
		return "", err
	}
	return p, nil
}

// Load returns a column of the set ("" means its first column).
func Load(name, column string) ([]float64, error) {
	s, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if column == "" {
		column = s.Columns[0]
	}
	p, err := Path(name)
	if err != nil {
		return nil, err
	}
	return modes.ReadCSV(p, column)
}
