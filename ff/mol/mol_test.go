package mol

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

func readOne(t *testing.T, path string) *Molecule {
	t.Helper()
	var ms []*Molecule
	var err error
	switch {
	case strings.HasSuffix(path, ".sdf"):
		ms, err = ReadSDFFile(path)
	case strings.HasSuffix(path, ".xyz"):
		ms, err = ReadXYZFile(path)
	default:
		ms, err = ReadMOL2File(path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return ms[0]
}

// The SDF files were written by RDKit (scripts/ff/make_testdata.py), with
// RDKit's bonds; the XYZ files of the same molecules have perceived bonds.
func TestXYZAndSDFSameGraph(t *testing.T) {
	for _, name := range []string{"methane", "water", "ethyne", "ethanol", "benzene", "acetamide", "methylsulfonylmethane"} {
		s := readOne(t, "testdata/"+name+".sdf")
		x := readOne(t, "testdata/"+name+".xyz")
		if err := SameGraph(s, x); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(Features(s), Features(x)) {
			t.Errorf("%s: features differ between SDF and XYZ", name)
		}
		if err := s.Check(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestFeaturesBenzene(t *testing.T) {
	m := readOne(t, "testdata/benzene.sdf")
	f := Features(m)
	// carbon 0: C, degree 3, one H, 6-ring, in ring
	want := make([]float64, NumFeatures)
	want[1], want[7+3], want[12+1], want[17+3], want[23] = 1, 1, 1, 1, 1
	if !reflect.DeepEqual(f[0], want) {
		t.Errorf("benzene C features = %v, want %v", f[0], want)
	}
}

func TestRingSizesBicyclic(t *testing.T) {
	// norbornane skeleton: 7 carbons, rings of 5, 5 and 6
	bonds := [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 0}, {0, 5}, {5, 6}, {6, 3}}
	m := &Molecule{Elements: make([]Element, 7), Bonds: bonds}
	r := RingSizes(7, m.Neighbors())
	if !r[0][5] || !r[0][6] || r[0][4] || !r[1][5] || !r[1][6] || !r[5][5] {
		t.Errorf("ring sizes %v", r)
	}
}

func TestMOL2(t *testing.T) {
	s := readOne(t, "testdata/ethanol.sdf")
	var b bytes.Buffer
	fmt.Fprintf(&b, "@<TRIPOS>MOLECULE\nethanol\n%d %d 0 0 0\nSMALL\nUSER_CHARGES\n\n@<TRIPOS>ATOM\n", len(s.Elements), len(s.Bonds))
	types := map[Element]string{C: "C.3", O: "O.3", H: "H"}
	for i, e := range s.Elements {
		fmt.Fprintf(&b, "%d %s%d %.4f %.4f %.4f %s 1 MOL 0.0\n", i+1, e.Symbol(), i+1, s.Coords[i][0], s.Coords[i][1], s.Coords[i][2], types[e])
	}
	b.WriteString("@<TRIPOS>BOND\n")
	for k, bd := range s.Bonds {
		fmt.Fprintf(&b, "%d %d %d 1\n", k+1, bd[0]+1, bd[1]+1)
	}
	ms, err := ReadMOL2(&b, "ethanol.mol2")
	if err != nil {
		t.Fatal(err)
	}
	if err := SameGraph(s, ms[0]); err != nil {
		t.Error(err)
	}
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", parts)
	}
	var me *Error
	if !errors.As(err, &me) {
		t.Errorf("error %v is not a *mol.Error", err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func TestBadInput(t *testing.T) {
	_, err := ReadSDFFile("testdata/ethanol_v3000.sdf")
	wantErr(t, err, "ethanol_v3000.sdf:4", "V3000")

	wantErr(t, readOne(t, "testdata/acetate.sdf").Check(), "acetate.sdf:", "atom 4", "formal charge -1")
	wantErr(t, readOne(t, "testdata/bromomethane.sdf").Check(), "atom 2", "element Br")

	// odd electron count: methyl radical as XYZ
	ms, err := ReadXYZ(strings.NewReader("4\nmethyl\nC 0 0 0\nH 1.08 0 0\nH -0.54 0.935 0\nH -0.54 -0.935 0\n"), "methyl.xyz")
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, ms[0].Check(), "methyl.xyz:1", "odd electron count 9")

	// atoms 0.3 Å apart
	ms, _ = ReadXYZ(strings.NewReader("3\nw\nO 0 0 0\nH 0.3 0 0\nH 0 0.96 0\n"), "close.xyz")
	wantErr(t, ms[0].Check(), "close.xyz:4", "atom 2", "< 0.5 Å")

	// two waters
	two := "6\n2w\nO 0 0 0\nH 0.96 0 0\nH -0.24 0.93 0\nO 5 0 0\nH 5.96 0 0\nH 4.76 0.93 0\n"
	ms, _ = ReadXYZ(strings.NewReader(two), "two.xyz")
	wantErr(t, ms[0].Check(), "2 fragments", "atom 4")

	// six neighbours on carbon (CH6, even electron count)
	ms, _ = ReadXYZ(strings.NewReader("7\nx\nC 0 0 0\nH 1.1 0 0\nH -1.1 0 0\nH 0 1.1 0\nH 0 -1.1 0\nH 0 0 1.1\nH 0 0 -1.1\n"), "ch6.xyz")
	wantErr(t, ms[0].Check(), "ch6.xyz:3", "atom 1", "6 bonded neighbours, valence limit 4")

	// order differs
	a := readOne(t, "testdata/ethanol.sdf")
	b := readOne(t, "testdata/ethanol.xyz")
	b.Elements[1], b.Elements[2] = b.Elements[2], b.Elements[1]
	wantErr(t, SameGraph(a, b), "atom 2", "atom order differs")

	_, err = ReadSDF(strings.NewReader("x\n\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n    0.0000    nan    0.0000 C   0  0\nM  END\n$$$$\n"), "nan.sdf")
	wantErr(t, err, "nan.sdf:5", "atom 1", "not a finite number")
	_, err = ReadXYZ(strings.NewReader("1\n\nXx 0 0 0\n"), "u.xyz")
	wantErr(t, err, "u.xyz:3", "unknown element")
}

func TestSDFRoundTrip(t *testing.T) {
	m := readOne(t, "testdata/ethanol.sdf")
	m.Props["label_kcal_mol"] = "1.5"
	var b bytes.Buffer
	if err := WriteSDF(&b, m, []string{"label_kcal_mol"}); err != nil {
		t.Fatal(err)
	}
	ms, err := ReadSDF(bytes.NewReader(b.Bytes()), "rt.sdf")
	if err != nil {
		t.Fatal(err)
	}
	if err := SameGraph(m, ms[0]); err != nil {
		t.Error(err)
	}
	if ms[0].Props["label_kcal_mol"] != "1.5" {
		t.Errorf("property = %q", ms[0].Props["label_kcal_mol"])
	}
}

func FuzzReadSDF(f *testing.F) {
	for _, n := range []string{"ethanol.sdf", "acetate.sdf", "benzene.sdf", "ethanol_v3000.sdf"} {
		b, err := os.ReadFile("testdata/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\n\n\n  2  1\nC 0 0 0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ms, err := ReadSDF(bytes.NewReader(b), "fuzz.sdf")
		if err != nil {
			return
		}
		for _, m := range ms {
			for _, bd := range m.Bonds {
				if bd[0] < 0 || bd[1] >= len(m.Elements) {
					t.Fatalf("bond %v out of range", bd)
				}
			}
			_ = m.Check()
			_ = Features(m)
		}
	})
}

func ExampleReadXYZ() {
	ms, err := ReadXYZ(strings.NewReader("3\nwater\nO 0 0 0.117\nH 0 0.757 -0.467\nH 0 -0.757 -0.467\n"), "water.xyz")
	if err != nil {
		panic(err)
	}
	fmt.Println(len(ms[0].Elements), ms[0].Bonds, ms[0].Check())
	// Output: 3 [[0 1] [0 2]] <nil>
}
