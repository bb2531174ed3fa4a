package spectra

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Bands is a sensor's spectral calibration: per band its centre and full width at
// half maximum, with their standard deviations (all in the file's unit, nm for AVIRIS).
type Bands struct {
	Center, FWHM, CenterSD, FWHMSD []float64
}

// Len returns the number of bands.
func (b *Bands) Len() int { return len(b.Center) }

// ReadAVIRISBands reads an AVIRIS .spc calibration file: rows of five numbers
// (centre, FWHM, centre sd, FWHM sd, band number); other lines (the title and the
// dashes under it) are skipped, as SPy does.
func ReadAVIRISBands(path string) (*Bands, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("spectra: %w", err)
	}
	defer f.Close()
	b := &Bands{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		fs := strings.Fields(sc.Text())
		if len(fs) != 5 {
			continue
		}
		var v [5]float64
		ok := true
		for i, s := range fs {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				ok = false
			}
		}
		if !ok {
			if line > 2 {
				return nil, fmt.Errorf("spectra: %s:%d: five fields but not five numbers: %q", path, line, sc.Text())
			}
			continue
		}
		if v[1] <= 0 {
			return nil, fmt.Errorf("spectra: %s:%d: FWHM %v, want > 0", path, line, v[1])
		}
		b.Center = append(b.Center, v[0])
		b.FWHM = append(b.FWHM, v[1])
		b.CenterSD = append(b.CenterSD, v[2])
		b.FWHMSD = append(b.FWHMSD, v[3])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("spectra: %s: %w", path, err)
	}
	if b.Len() == 0 {
		return nil, fmt.Errorf("spectra: %s: no band rows (five numbers each)", path)
	}
	return b, nil
}

// Spectrum is a measured spectrum: X (wavelength, ascending) and Y (value) with the
// library's header fields.
type Spectrum struct {
	Name   string
	Keys   []string          // header keys in file order
	Meta   map[string]string // header key → value
	XUnits string            // e.g. "Wavelength (micrometers)"
	YUnits string            // e.g. "Reflectance (percent)"
	X, Y   []float64
}

// ReadEcostress reads an ECOSTRESS spectral library text file. Rows are sorted by
// wavelength (some library files run downwards); rows whose value is ≤ −9999 (the
// library's no-data marker) are dropped.
func ReadEcostress(path string) (*Spectrum, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("spectra: %w", err)
	}
	defer f.Close()
	s := &Spectrum{Meta: map[string]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line, inData := 0, false
	type row struct{ x, y float64 }
	var rows []row
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if !inData {
			if t == "" {
				if len(s.Keys) > 0 {
					inData = true
				}
				continue
			}
			k, v, ok := strings.Cut(t, ":")
			if !ok {
				return nil, fmt.Errorf("spectra: %s:%d: header line without \"Key:\": %.60q", path, line, t)
			}
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if _, dup := s.Meta[k]; !dup {
				s.Keys = append(s.Keys, k)
			}
			s.Meta[k] = v
			continue
		}
		if t == "" {
			continue
		}
		fs := strings.Fields(t)
		if len(fs) < 2 {
			return nil, fmt.Errorf("spectra: %s:%d: want wavelength and value, have %q", path, line, t)
		}
		x, err1 := strconv.ParseFloat(fs[0], 64)
		y, err2 := strconv.ParseFloat(fs[1], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("spectra: %s:%d: not two numbers: %q", path, line, t)
		}
		if y <= -9999 {
			continue
		}
		rows = append(rows, row{x, y})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("spectra: %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("spectra: %s: %d data rows, want ≥ 2", path, len(rows))
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].x < rows[j].x })
	for _, r := range rows {
		s.X = append(s.X, r.x)
		s.Y = append(s.Y, r.y)
	}
	s.Name, s.XUnits, s.YUnits = s.Meta["Name"], s.Meta["X Units"], s.Meta["Y Units"]
	if n, ok := s.Meta["Number of X Values"]; ok {
		if want, err := strconv.Atoi(n); err == nil && want != len(rows) {
			return nil, fmt.Errorf("spectra: %s: %d data rows, header \"Number of X Values\" says %d", path, len(rows), want)
		}
	}
	return s, nil
}

// At returns the spectrum linearly interpolated at x (clamped to the end values
// outside the measured range).
func (s *Spectrum) At(x float64) float64 {
	i := sort.SearchFloat64s(s.X, x)
	switch {
	case i == 0:
		return s.Y[0]
	case i == len(s.X):
		return s.Y[len(s.Y)-1]
	}
	x0, x1 := s.X[i-1], s.X[i]
	if x1 == x0 {
		return s.Y[i]
	}
	t := (x - x0) / (x1 - x0)
	return s.Y[i-1]*(1-t) + s.Y[i]*t
}

// Resample integrates f against Gaussian band responses: band i's value is
// ∫ f(λ) g_i(λ) dλ / ∫ g_i(λ) dλ with g_i a Gaussian of the band's centre and FWHM,
// evaluated on a grid of step FWHM/20 over ±3 FWHM.
func Resample(f func(x float64) float64, b *Bands) []float64 {
	out := make([]float64, b.Len())
	for i, c := range b.Center {
		w := b.FWHM[i]
		sigma := w / (2 * math.Sqrt(2*math.Ln2))
		step := w / 20
		var num, den float64
		for x := c - 3*w; x <= c+3*w+step/2; x += step {
			g := math.Exp(-0.5 * (x - c) * (x - c) / (sigma * sigma))
			num += g * f(x)
			den += g
		}
		out[i] = num / den
	}
	return out
}

// TestData returns python3-spectral's test data directory ($ERG_SPECTRAL_DATA if
// set), holding 92AV3C.spc and ecostress/{a,b,c}.spectrum.txt, or an error naming
// the package to install.
func TestData() (string, error) {
	cands := []string{os.Getenv("ERG_SPECTRAL_DATA"), "/usr/lib/python3/dist-packages/spectral/tests/data"}
	for _, d := range cands {
		if d == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "92AV3C.spc")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("spectra: python3-spectral's test data (92AV3C.spc) not found: apt-get install python3-spectral, or set ERG_SPECTRAL_DATA")
}

// The ECOSTRESS files of python3-spectral's test data.
const (
	ConcreteFile = "ecostress/a.spectrum.txt" // construction concrete, 0.3–15 µm
	LichenFile   = "ecostress/b.spectrum.txt" // lichen off trees, 0.35–2.5 µm
	MapleFile    = "ecostress/c.spectrum.txt" // Acer rubrum (red maple), 0.35–2.5 µm
	IndianPines  = "92AV3C.spc"               // AVIRIS bands of Indian Pines
)
