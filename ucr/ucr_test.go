package ucr

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ergml/erg/internal/ergdata"
)

// archiveDir returns the shared archive copy of a problem or skips the test.
func archiveDir(t testing.TB, name string) string {
	t.Helper()
	p, err := ergdata.Path("ucr", name)
	if err != nil {
		t.Skipf("UCR archive file for %s not available (set ERG_DATA to the shared data root): %v", name, err)
	}
	return p
}

// TestLoadArchive checks the readers against the facts the archive publishes for
// each problem (Dau et al. 2019 / Bagnall et al. 2018 data set descriptions, and the
// header comments of the files themselves).
func TestLoadArchive(t *testing.T) {
	tests := []struct {
		name           string
		ntrain, ntest  int
		dims           int
		minLen, maxLen int
		classes        []string
	}{
		{"GunPoint", 50, 150, 1, 150, 150, []string{"1", "2"}},
		{"ItalyPowerDemand", 67, 1029, 1, 24, 24, []string{"1", "2"}},
		{"ArrowHead", 36, 175, 1, 251, 251, []string{"0", "1", "2"}},
		{"BasicMotions", 40, 40, 6, 100, 100, []string{"Standing", "Running", "Walking", "Badminton"}},
		{"PLAID", 537, 537, 1, 100, 1344, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			train, test, err := Load(archiveDir(t, tc.name))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				d *Dataset
				n int
			}{{train, tc.ntrain}, {test, tc.ntest}} {
				if err := c.d.Validate(); err != nil {
					t.Error(err)
				}
				if c.d.Name != tc.name {
					t.Errorf("%s: name %q, want %q", c.d.Path, c.d.Name, tc.name)
				}
				if c.d.Len() != c.n {
					t.Errorf("%s: %d cases, want %d", c.d.Path, c.d.Len(), c.n)
				}
				if c.d.Dims() != tc.dims {
					t.Errorf("%s: %d dims, want %d", c.d.Path, c.d.Dims(), tc.dims)
				}
				if !reflect.DeepEqual(c.d.Classes, tc.classes) {
					t.Errorf("%s: classes %v, want %v", c.d.Path, c.d.Classes, tc.classes)
				}
				if c.d.HasMissing() {
					t.Errorf("%s: has missing values, the archive says none", c.d.Path)
				}
			}
			lo, hi := train.Lengths()
			lo2, hi2 := test.Lengths()
			lo, hi = min(lo, lo2), max(hi, hi2)
			if lo != tc.minLen || hi != tc.maxLen {
				t.Errorf("lengths [%d, %d], want [%d, %d]", lo, hi, tc.minLen, tc.maxLen)
			}
		})
	}
}

// TestGunPointValues pins the first and last values of the first case and the class
// counts; the values are those printed in GunPoint_TRAIN.ts itself, the counts those
// of the UCR archive description (GunPoint: 24 of class 1 and 26 of class 2 in train).
func TestGunPointValues(t *testing.T) {
	train, err := ReadTS(filepath.Join(archiveDir(t, "GunPoint"), "GunPoint_TRAIN.ts"))
	if err != nil {
		t.Fatal(err)
	}
	s := train.X[0][0]
	if s[0] != -0.6478854 || s[1] != -0.64199155 {
		t.Errorf("first values %v %v, want -0.6478854 -0.64199155", s[0], s[1])
	}
	if got, want := train.ClassCounts(), []int{24, 26}; !reflect.DeepEqual(got, want) {
		t.Errorf("class counts %v, want %v", got, want)
	}
}

const smallTS = `# a comment
@problemName Tiny
@timeStamps false
@missing true
@univariate false
@dimensions 2
@equalLength false
@classLabel true a b
@data
1,2,3:4,5,6:a
1,?,3,4:5,6:b
`

func TestParseTSSmall(t *testing.T) {
	d, err := ParseTS(strings.NewReader(smallTS), "tiny.ts")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Tiny" || d.Len() != 2 || d.Dims() != 2 {
		t.Fatalf("got name %q, %d cases, %d dims", d.Name, d.Len(), d.Dims())
	}
	if !math.IsNaN(d.X[1][0][1]) || d.X[1][0][3] != 4 || len(d.X[1][1]) != 2 {
		t.Errorf("case 1 = %v", d.X[1])
	}
	if !reflect.DeepEqual(d.Y, []string{"a", "b"}) || !reflect.DeepEqual(d.Classes, []string{"a", "b"}) {
		t.Errorf("labels %v classes %v", d.Y, d.Classes)
	}
	if d.EqualLength() || !d.HasMissing() {
		t.Errorf("EqualLength %v HasMissing %v", d.EqualLength(), d.HasMissing())
	}
}

func TestParseTSVAndARFF(t *testing.T) {
	tsv := "1\t0.5\t1.5\t2\n-1\t3\t4\tNaN\n1.0000000e+00\t1\t2\t3\n"
	d, err := ParseTSV(strings.NewReader(tsv), "X_TRAIN.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "X" || !reflect.DeepEqual(d.Classes, []string{"-1", "1"}) || len(d.X[1][0]) != 2 || d.Y[2] != "1" {
		t.Errorf("tsv: name %q classes %v case1 %v labels %v", d.Name, d.Classes, d.X[1][0], d.Y)
	}
	arff := `% comment
@RELATION Uni
@attribute t1 numeric
@attribute t2 numeric
@attribute t3 NUMERIC
@attribute target {x,'y z'}
@data
1,2,3,x
4,5,?,'y z'
`
	d, err = ParseARFF(strings.NewReader(arff), "uni.arff")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Uni" || !reflect.DeepEqual(d.Classes, []string{"x", "y z"}) || len(d.X[1][0]) != 2 || d.Y[1] != "y z" {
		t.Errorf("arff: %+v", d)
	}
	multi := `@relation Multi
@attribute series relational
  @attribute t1 numeric
  @attribute t2 numeric
@end series
@attribute class {up,down}
@data
'1,2\n3,4\n5,6',up
"7,8\n9,?\n1,2",down
`
	d, err = ParseARFF(strings.NewReader(multi), "multi.arff")
	if err != nil {
		t.Fatal(err)
	}
	if d.Dims() != 3 || d.Len() != 2 || d.X[0][2][1] != 6 || len(d.X[1][1]) != 1 || d.Y[1] != "down" {
		t.Errorf("relational arff: %+v", d)
	}
}

// TestMalformed checks that every error names the file and the line and says what
// was wrong.
func TestMalformed(t *testing.T) {
	tests := []struct {
		file, text, want string
	}{
		{"bad.ts", "@problemName B\n@classLabel true 1 2\n@data\n1,2,3:1\n1,x,3:2\n", `bad.ts:5: case 1: dimension 0: value 1 "x": not a number`},
		{"bad.ts", "@classLabel true 1 2\n@data\n1,2,3:3\n", `bad.ts:3: case 0: class label "3" not declared`},
		{"bad.ts", "@equalLength true\n@classLabel true 1\n@data\n1,2,3:1\n1,2:1\n", `bad.ts:5: case 1: dimension 0 has 2 values but @equalLength is true`},
		{"bad.ts", "@dimensions 2\n@classLabel true 1\n@data\n1,2,3:1\n", `bad.ts:4: case 0: 1 dimensions, want 2`},
		{"bad.ts", "@univariate maybe\n", `bad.ts:1: @univariate: want true or false, got "maybe"`},
		{"bad.ts", "@classLabel true 1\n1,2:1\n", `bad.ts:2: expected a header tag`},
		{"bad.ts", "@classLabel true 1\n", `bad.ts: no @data line`},
		{"bad.ts", "@classLabel true 1\n@data\n1,,2:1\n", `bad.ts:3: case 0: dimension 0: value 1 "": not a number`},
		{"bad.tsv", "1\t2\t3\n2\t4\tfoo\n", `bad.tsv:2: case 1: column 2 "foo": not a number`},
		{"bad.tsv", "1\t2\n3\n", `bad.tsv:2: case 1: a label and at least one value are needed`},
		{"bad.arff", "@relation r\n@attribute a numeric\n@attribute c {p,q}\n@data\n1,p\n2,z\n", `bad.arff:6: case 1: class "z" not among the declared values`},
		{"bad.arff", "@relation r\n@attribute a numeric\n@attribute c {p,q}\n@data\n1,2,p\n", `bad.arff:5: case 0: 3 fields, want 2`},
		{"bad.arff", "@relation r\n@attribute s relational\n@attribute t1 numeric\n@attribute t2 numeric\n@end s\n@attribute c {p}\n@data\n'1,2\\n3',p\n", `bad.arff:8: case 0: dimension 1 has 1 values, relational attribute s declares 2`},
		{"bad.arff", "@relation r\n@attribute a blob\n", `bad.arff:2: @attribute a: unknown type "blob"`},
	}
	for _, tc := range tests {
		var err error
		switch filepath.Ext(tc.file) {
		case ".ts":
			_, err = ParseTS(strings.NewReader(tc.text), tc.file)
		case ".tsv":
			_, err = ParseTSV(strings.NewReader(tc.text), tc.file)
		case ".arff":
			_, err = ParseARFF(strings.NewReader(tc.text), tc.file)
		}
		if err == nil {
			t.Errorf("%q: no error, want %q", tc.text, tc.want)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %T is not a *ParseError", tc.text, err)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q:\n got error %q\nwant it to contain %q", tc.text, err, tc.want)
		}
	}
	// ReadTS of a file on disk names the file.
	p := filepath.Join(t.TempDir(), "disk_TRAIN.ts")
	if err := os.WriteFile(p, []byte("@classLabel true 1\n@data\n1,2:1\n\n1,b:1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTS(p); err == nil || !strings.HasPrefix(err.Error(), "disk_TRAIN.ts:5: case 1") {
		t.Errorf("ReadTS error %v, want prefix disk_TRAIN.ts:5: case 1", err)
	}
}

// TestTransforms checks the helpers on hand-computed values.
func TestTransforms(t *testing.T) {
	d := &Dataset{X: [][][]float64{{{1, 2, 3}}, {{math.NaN(), 2, math.NaN(), 6, math.NaN()}}}, Y: []string{"a", "b"}, Classes: []string{"a", "b"}}
	z := d.ZNormalize().X[0][0] // mean 2, population sd sqrt(2/3)
	if s := math.Sqrt(2.0 / 3); math.Abs(z[0]+1/s) > 1e-12 || z[1] != 0 || math.Abs(z[2]-1/s) > 1e-12 {
		t.Errorf("ZNormalize = %v", z)
	}
	if f := d.FillMissing().X[1][0]; !reflect.DeepEqual(f, []float64{2, 2, 4, 6, 6}) {
		t.Errorf("FillMissing = %v, want [2 2 4 6 6]", f)
	}
	if p := d.PadRight(5, 0).X[0][0]; !reflect.DeepEqual(p, []float64{1, 2, 3, 0, 0}) {
		t.Errorf("PadRight = %v", p)
	}
	if r := d.Resample(5).X[0][0]; !reflect.DeepEqual(r, []float64{1, 1.5, 2, 2.5, 3}) {
		t.Errorf("Resample = %v", r)
	}
	if r := d.Truncate(2).X[0][0]; !reflect.DeepEqual(r, []float64{1, 2}) {
		t.Errorf("Truncate = %v", r)
	}
	if d.X[0][0][0] != 1 {
		t.Error("helpers modified their input")
	}
}

func TestFetch(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"Tiny/Tiny_TRAIN.ts": "@classLabel true 1 2\n@data\n1,2,3:1\n3,2,1:2\n",
		"Tiny/Tiny_TEST.ts":  "@classLabel true 1 2\n@data\n1,2,2:1\n",
		"__MACOSX/._x":       "junk",
		"../evil.txt":        "must land inside the problem directory",
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/aeon-toolkit/Tiny.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write(buf.Bytes())
	}))
	defer srv.Close()
	dest := t.TempDir()
	dir, err := Fetch(context.Background(), "Tiny", dest, FetchOptions{BaseURL: srv.URL + "/aeon-toolkit/"})
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 2 || test.Len() != 1 {
		t.Errorf("fetched %d/%d cases, want 2/1", train.Len(), test.Len())
	}
	if _, err := os.Stat(filepath.Join(dest, "evil.txt")); err == nil {
		t.Error("zip entry ../evil.txt escaped the problem directory")
	}
	if _, err := Fetch(context.Background(), "Missing", dest, FetchOptions{BaseURL: srv.URL + "/aeon-toolkit"}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("fetch of a missing name: error %v, want a 404", err)
	}
	t.Setenv("ERG_UCR_URL", srv.URL+"/aeon-toolkit")
	if _, err := Fetch(context.Background(), "Tiny", dest, FetchOptions{}); err != nil {
		t.Errorf("fetch with $ERG_UCR_URL: %v", err)
	}
	if _, err := Fetch(context.Background(), "../x", dest, FetchOptions{}); err == nil {
		t.Error("fetch accepted the name ../x")
	}
}
