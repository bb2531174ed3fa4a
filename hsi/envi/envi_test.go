package envi

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The golden cubes in testdata/golden were written by python3-spectral 0.22.4
// (spectral.envi.save_image) and GDAL 3.6.2's ENVI driver with
// scripts/hsi/envi_golden.py; values-<type>.txt holds each type's logical values
// (bip, line-major; integers in decimal, floats as IEEE bit patterns in hex).
const golden = "testdata/golden"

// wantValues reads values-<code>.txt as bit patterns comparable with bits.
func wantValues(t *testing.T, dir string, code DataType) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("values-%d.txt", int(code))))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

// bits formats value i of c as the golden files do.
func bits(c *Cube, i int) string {
	switch c.DataType {
	case Float32:
		return fmt.Sprintf("%08x", math.Float32bits(float32(c.Data[i])))
	case Float64:
		return fmt.Sprintf("%016x", math.Float64bits(c.Data[i]))
	case Int64:
		return strconv.FormatInt(c.Int[i], 10)
	case Uint64:
		return strconv.FormatUint(c.Uint[i], 10)
	}
	return strconv.FormatInt(int64(c.Data[i]), 10)
}

// codeOf parses the type code from a golden name like spy-12-bip-be.hdr.
func codeOf(t *testing.T, name string) DataType {
	parts := strings.Split(strings.TrimSuffix(filepath.Base(name), ".hdr"), "-")
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return DataType(n)
}

func checkCube(t *testing.T, dir, hdr string) *Cube {
	t.Helper()
	c, err := Read(hdr)
	if err != nil {
		t.Fatal(err)
	}
	code := codeOf(t, hdr)
	if c.DataType != code || c.Samples != 3 || c.Lines != 2 || c.Bands != 4 {
		t.Fatalf("%s: type %d, shape %d×%d×%d, want %d, 3×2×4", hdr, c.DataType, c.Samples, c.Lines, c.Bands, code)
	}
	want := wantValues(t, dir, code)
	for i, w := range want {
		if got := bits(c, i); got != w {
			t.Errorf("%s: value %d = %s, want %s", hdr, i, got, w)
		}
	}
	return c
}

func TestGoldenPeerFiles(t *testing.T) {
	hdrs, _ := filepath.Glob(filepath.Join(golden, "*.hdr"))
	if len(hdrs) < 21 {
		t.Fatalf("%d golden headers, want ≥ 21", len(hdrs))
	}
	seen := map[string]bool{}
	for _, hdr := range hdrs {
		c := checkCube(t, golden, hdr)
		seen[fmt.Sprintf("%d", c.DataType)] = true
		seen[string(c.Interleave)] = true
		seen[fmt.Sprintf("bo%d", c.ByteOrder)] = true
		if got := strings.Join(c.BandNames, ","); got != "blue,green,red,swir" {
			t.Errorf("%s: band names %q", hdr, got)
		}
		if strings.HasPrefix(filepath.Base(hdr), "spy-") {
			if fmt.Sprint(c.Wavelength) != "[450.5 550.25 650 2200.125]" || fmt.Sprint(c.FWHM) != "[9.5 9.75 10 14.5]" {
				t.Errorf("%s: wavelength %v fwhm %v", hdr, c.Wavelength, c.FWHM)
			}
			if c.WavelengthUnits != "Nanometers" || c.Description != "erg hsi/envi golden cube" {
				t.Errorf("%s: units %q description %q", hdr, c.WavelengthUnits, c.Description)
			}
		}
		if strings.HasPrefix(filepath.Base(hdr), "offset-") && c.HeaderOffset != 17 {
			t.Errorf("%s: header offset %d, want 17", hdr, c.HeaderOffset)
		}
	}
	for _, k := range []string{"1", "2", "3", "4", "5", "12", "13", "14", "15", "bsq", "bil", "bip", "bo0", "bo1"} {
		if !seen[k] {
			t.Errorf("golden set lacks %s", k)
		}
	}
}

// TestWriteMatchesPeerBytes: our writer produces byte-identical data files to
// spectral's for the same values, type, interleave and byte order.
func TestWriteMatchesPeerBytes(t *testing.T) {
	hdrs, _ := filepath.Glob(filepath.Join(golden, "spy-*.hdr"))
	dir := t.TempDir()
	for _, hdr := range hdrs {
		c, err := Read(hdr)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, filepath.Base(hdr))
		data, err := Write(out, c)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(data)
		want, _ := os.ReadFile(strings.TrimSuffix(hdr, ".hdr") + ".img")
		if !bytes.Equal(got, want) {
			t.Errorf("%s: our data file differs from spectral's (%d vs %d bytes)", hdr, len(got), len(want))
		}
		back := checkCube(t, golden, out)
		if fmt.Sprint(back.Wavelength, back.FWHM, back.BandNames) != fmt.Sprint(c.Wavelength, c.FWHM, c.BandNames) {
			t.Errorf("%s: metadata did not round-trip", hdr)
		}
	}
}

// TestRoundTripAll writes every type × interleave × byte order (and a header offset)
// and reads it back.
func TestRoundTripAll(t *testing.T) {
	dir := t.TempDir()
	for _, dt := range DataTypes {
		src, err := Read(filepath.Join(golden, goldenFile(dt)))
		if err != nil {
			t.Fatal(err)
		}
		for _, il := range []Interleave{BSQ, BIL, BIP} {
			for bo := 0; bo < 2; bo++ {
				c := *src
				c.Interleave, c.ByteOrder, c.HeaderOffset = il, bo, int64(bo*5)
				hdr := filepath.Join(dir, fmt.Sprintf("rt-%d-%s-%d.hdr", int(dt), il, bo))
				if _, err := Write(hdr, &c); err != nil {
					t.Fatal(err)
				}
				checkCube(t, golden, hdr)
			}
		}
	}
}

// goldenFile returns the committed spectral file of type dt.
func goldenFile(dt DataType) string {
	for i, d := range DataTypes {
		if d == dt {
			return fmt.Sprintf("spy-%d-%s-%s.hdr", int(dt), []Interleave{BSQ, BIL, BIP}[i%3], []string{"le", "be"}[i%2])
		}
	}
	panic("unknown type")
}

func TestMask(t *testing.T) {
	c, err := Read(filepath.Join(golden, "spy-4-bsq-be.hdr"))
	if err != nil {
		t.Fatal(err)
	}
	// values 0 (NaN) and 8 (−1.23e34) are in pixel 0 (bands 0..3) and pixel 2.
	if c.MaskedValues != 2 || c.MaskedPixels != 2 || !c.Mask[0] || c.Mask[1] || !c.Mask[2] {
		t.Errorf("masked values %d pixels %d mask %v, want 2, 2, [true false true ...]", c.MaskedValues, c.MaskedPixels, c.Mask)
	}
	c, _ = Read(filepath.Join(golden, "spy-2-bil-be.hdr"))
	if c.MaskedValues != 0 {
		t.Errorf("int16 cube: %d masked values, want 0", c.MaskedValues)
	}
	v := -32768.0
	c.IgnoreValue = &v
	c.computeMask()
	if c.MaskedValues != 1 || !c.Mask[0] {
		t.Errorf("int16 cube with data ignore value −32768: %d masked, want 1", c.MaskedValues)
	}
}

func TestBadInput(t *testing.T) {
	base := "ENVI\nsamples = 3\nlines = 2\nbands = 4\nheader offset = 0\ndata type = 4\ninterleave = bsq\nbyte order = 0\n"
	cases := []struct{ name, text, want string }{
		{"no samples", strings.Replace(base, "samples = 3\n", "", 1), `"samples": mandatory key missing`},
		{"no interleave", strings.Replace(base, "interleave = bsq\n", "", 1), `"interleave": mandatory key missing`},
		{"no byte order", strings.Replace(base, "byte order = 0\n", "", 1), `"byte order": mandatory key missing`},
		{"bad interleave", strings.Replace(base, "bsq", "bxq", 1), `h.hdr:7: "interleave": unknown interleave "bxq"`},
		{"complex64", strings.Replace(base, "data type = 4", "data type = 6", 1), `"data type": complex data (type 6) is not supported`},
		{"complex128", strings.Replace(base, "data type = 4", "data type = 9", 1), `complex data (type 9)`},
		{"type 7", strings.Replace(base, "data type = 4", "data type = 7", 1), `unknown data type 7`},
		{"bad lines", strings.Replace(base, "lines = 2", "lines = two", 1), `h.hdr:3: "lines": want an integer ≥ 1, have "two"`},
		{"not envi", "ENVY\n" + base[5:], `h.hdr:1: first line`},
		{"wavelengths", base + "wavelength = {1, 2, 3}\n", `"wavelength": 3 values for 4 bands`},
		{"bad wavelength", base + "wavelength = {1, 2, x, 4}\n", `item 3: "x" is not a number`},
		{"unterminated", base + "band names = {a, b,\nc\n", `h.hdr:9: "band names": unterminated { list`},
		{"byte order 2", strings.Replace(base, "byte order = 0", "byte order = 2", 1), `"byte order": want 0 or 1`},
	}
	for _, tc := range cases {
		_, err := ParseHeader(strings.NewReader(tc.text), "h.hdr")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %s", tc.name, err, tc.want)
		}
	}
	// data file of the wrong size: both sizes stated.
	dir := t.TempDir()
	hdr := filepath.Join(dir, "x.hdr")
	os.WriteFile(hdr, []byte(base), 0o644)
	os.WriteFile(filepath.Join(dir, "x.img"), make([]byte, 95), 0o644)
	_, err := Read(hdr)
	if err == nil || !strings.Contains(err.Error(), "size 95 bytes") || !strings.Contains(err.Error(), "wants 96") {
		t.Errorf("short data file: error %v, want both sizes 95 and 96", err)
	}
	os.Remove(filepath.Join(dir, "x.img"))
	if _, err := Read(hdr); err == nil || !strings.Contains(err.Error(), "no data file") {
		t.Errorf("missing data file: error %v", err)
	}
	// writer refuses values that do not fit the type.
	c := New(1, 1, 1)
	c.DataType, c.Data[0] = Uint8, 256
	if _, err := Write(filepath.Join(dir, "y.hdr"), c); err == nil || !strings.Contains(err.Error(), "does not fit uint8") {
		t.Errorf("uint8 256: error %v", err)
	}
}

// TestLivePeers runs the peers on every type × interleave × byte order: our reader on
// their files, and their readers (spectral, GDAL) on our files.
func TestLivePeers(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import spectral; from osgeo import gdal").Run(); err != nil {
		t.Skip("python3-spectral and python3-gdal (gdal-bin) not installed: apt-get install python3-spectral python3-gdal gdal-bin")
	}
	script := "../../scripts/hsi/envi_golden.py"
	dir := t.TempDir()
	if out, err := exec.Command(py, script, "full", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	hdrs, _ := filepath.Glob(filepath.Join(dir, "*.hdr"))
	if len(hdrs) != 9*3*2+7*3 {
		t.Fatalf("%d peer files, want %d", len(hdrs), 9*3*2+7*3)
	}
	for _, hdr := range hdrs {
		checkCube(t, dir, hdr)
	}
	// theirs reading ours: every type, interleaves and byte orders in turn.
	var ours, ourGDAL []string
	want := map[string]string{}
	for i, dt := range DataTypes {
		src, err := Read(filepath.Join(dir, fmt.Sprintf("spy-%d-bip-le.hdr", int(dt))))
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 2; k++ {
			c := *src
			c.Interleave = []Interleave{BSQ, BIL, BIP}[(i+k)%3]
			c.ByteOrder = (i + k) % 2
			hdr := filepath.Join(dir, fmt.Sprintf("ours-%d-%d.hdr", int(dt), k))
			if _, err := Write(hdr, &c); err != nil {
				t.Fatal(err)
			}
			want[hdr] = strings.Join(wantValues(t, dir, dt), "\n")
			ours = append(ours, hdr)
			if dt != Int64 && dt != Uint64 { // GDAL 3.6's ENVI driver has no 64-bit integers
				ourGDAL = append(ourGDAL, hdr)
			}
		}
	}
	for mode, files := range map[string][]string{"dump": ours, "gdaldump": ourGDAL} {
		out, err := exec.Command(py, append([]string{script, mode}, files...)...).Output()
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		blocks := strings.Split(strings.TrimSpace(string(out)), "# ")[1:]
		if len(blocks) != len(files) {
			t.Fatalf("%s: %d blocks for %d files", mode, len(blocks), len(files))
		}
		for _, b := range blocks {
			name, vals, _ := strings.Cut(b, "\n")
			if got := strings.TrimSpace(vals); got != want[name] {
				t.Errorf("%s of our %s: values differ:\n%s\nwant\n%s", mode, name, got, want[name])
			}
		}
	}
}

func FuzzParseHeader(f *testing.F) {
	hdrs, _ := filepath.Glob(filepath.Join(golden, "*.hdr"))
	for _, h := range hdrs[:6] {
		b, _ := os.ReadFile(h)
		f.Add(b)
	}
	f.Add([]byte("ENVI\nsamples = 1\nlines = 1\nbands = 1\ndata type = 1\ninterleave = bip\nbyte order = 0\nband names = {a}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(bytes.NewReader(b), "fuzz.hdr")
		if err != nil {
			if h != nil {
				t.Fatal("header and error")
			}
			return
		}
		if h.Samples < 1 || h.Lines < 1 || h.Bands < 1 || h.DataType.Size() == 0 {
			t.Fatalf("accepted a bad header: %+v", h)
		}
		// a parsed header re-marshals to one that parses to the same shape.
		if h.Validate() != nil {
			return // e.g. band names holding braces
		}
		text, err := h.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		h2, err := ParseHeader(bytes.NewReader(text), "again.hdr")
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, text)
		}
		if h2.Samples != h.Samples || h2.Lines != h.Lines || h2.Bands != h.Bands || h2.DataType != h.DataType ||
			h2.Interleave != h.Interleave || h2.ByteOrder != h.ByteOrder || h2.HeaderOffset != h.HeaderOffset ||
			fmt.Sprint(h2.Wavelength) != fmt.Sprint(h.Wavelength) || len(h2.BandNames) != len(h.BandNames) {
			t.Fatalf("round trip changed the header:\n%+v\n%+v", h, h2)
		}
	})
}
