package spectra

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func data(t *testing.T) string {
	d, err := TestData()
	if err != nil {
		t.Skip(err)
	}
	return d
}

// Values checked against python3-spectral 0.22.4: spectral.io.aviris.read_aviris_bands
// ("92AV3C.spc") gives 220 centres 400.019989 … 2498.959961 and bandwidths 9.78 … 14.58;
// the ECOSTRESS files hold 561 (concrete) and 2151 (lichen, maple) rows.
func TestIndianPinesBands(t *testing.T) {
	b, err := ReadAVIRISBands(filepath.Join(data(t), IndianPines))
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 220 || b.Center[0] != 400.019989 || b.Center[219] != 2498.959961 || b.FWHM[0] != 9.78 || b.FWHM[219] != 14.58 || b.FWHMSD[219] != 1.85 {
		t.Errorf("%d bands, first %v/%v last %v/%v", b.Len(), b.Center[0], b.FWHM[0], b.Center[219], b.FWHM[219])
	}
}

func TestEcostress(t *testing.T) {
	d := data(t)
	for _, tc := range []struct {
		file, name string
		n          int
		x0, y0     float64
	}{{ConcreteFile, "Construction  Concrete", 561, 0.3, 8.82}, {LichenFile, "lichen off trees", 2151, 0.35, 1.471}, {MapleFile, "Acer rubrum", 2151, 0.35, 10.988}} {
		s, err := ReadEcostress(filepath.Join(d, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if s.Name != tc.name || len(s.X) != tc.n || s.X[0] != tc.x0 || s.Y[0] != tc.y0 || !strings.Contains(s.XUnits, "micrometer") {
			t.Errorf("%s: %q %d rows first (%v, %v) units %q", tc.file, s.Name, len(s.X), s.X[0], s.Y[0], s.XUnits)
		}
	}
}

func TestEcostressErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.txt")
	os.WriteFile(p, []byte("Name: x\nNumber of X Values: 3\n\n0.4 1\n0.5 2\n"), 0o644)
	if _, err := ReadEcostress(p); err == nil || !strings.Contains(err.Error(), "2 data rows, header \"Number of X Values\" says 3") {
		t.Errorf("row count: %v", err)
	}
	os.WriteFile(p, []byte("Name: x\n\n0.4 1\n0.5 z\n"), 0o644)
	if _, err := ReadEcostress(p); err == nil || !strings.Contains(err.Error(), "x.txt:4") {
		t.Errorf("bad row: %v", err)
	}
}

// A constant spectrum resamples to itself; a linear one to its value at the centre
// (the Gaussian is symmetric), to rounding.
func TestResample(t *testing.T) {
	b := &Bands{Center: []float64{500, 1000}, FWHM: []float64{10, 20}}
	for i, v := range Resample(func(x float64) float64 { return 3 + 0.01*x }, b) {
		if want := 3 + 0.01*b.Center[i]; math.Abs(v-want) > 1e-12 {
			t.Errorf("band %d: %v, want %v", i, v, want)
		}
	}
}
