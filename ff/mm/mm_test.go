package mm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ergml/erg/ff/mol"
	"github.com/ergml/erg/ff/topology"
)

// testSystem builds the System of a test molecule with random but physical
// parameters (seeded), including negative torsion amplitudes (phase π). With
// quartic, the bonds are quartic (QuarticBondExpression) with Morse-like cubic
// and quartic coefficients (MMFF94's cs = −2 Å⁻¹ = −20 nm⁻¹, ±20%) about a centre
// within 3% of the harmonic length.
func testSystem(t testing.TB, file string, seed uint64, quartic bool) (*System, [][3]float64) {
	t.Helper()
	var ms []*mol.Molecule
	var err error
	if filepath.Ext(file) == ".xyz" {
		ms, err = mol.ReadXYZFile(file)
	} else {
		ms, err = mol.ReadSDFFile(file)
	}
	if err != nil {
		t.Fatal(err)
	}
	m := ms[0]
	tp := topology.New(m.NumAtoms(), m.Bonds)
	tp.DropLinear(mol.Linear(m))
	r := rand.New(rand.NewPCG(seed, 1))
	p := Params{Charges: make([]float64, m.NumAtoms())}
	var x [][3]float64
	for _, c := range m.Coords {
		x = append(x, [3]float64{c[0] * NmPerAngstrom, c[1] * NmPerAngstrom, c[2] * NmPerAngstrom})
	}
	for _, b := range tp.Bonds {
		p.BondK = append(p.BondK, 2e5+1e5*r.Float64())
		p.BondLength = append(p.BondLength, norm(sub(x[b[0]], x[b[1]]))*(0.95+0.1*r.Float64()))
		if quartic {
			const cs = -20 // nm⁻¹
			half := p.BondK[len(p.BondK)-1] / 2
			p.BondRef = append(p.BondRef, p.BondLength[len(p.BondLength)-1]*(0.97+0.06*r.Float64()))
			p.BondK3 = append(p.BondK3, cs*half*(0.8+0.4*r.Float64()))
			p.BondK4 = append(p.BondK4, 7.0/12*cs*cs*half*(0.8+0.4*r.Float64()))
		}
	}
	for _, a := range tp.Angles {
		p.AngleK = append(p.AngleK, 300+200*r.Float64())
		th := AngleOf(x[a[0]], x[a[1]], x[a[2]])
		if th > 3.1 {
			th = math.Pi // a linear angle: θ0 < π would put a cusp at the geometry
		} else {
			th *= 0.95 + 0.05*r.Float64()
		}
		p.AngleTheta = append(p.AngleTheta, th)
	}
	for range tp.Propers {
		var k [6]float64
		for n := range k {
			k[n] = 4 * (r.Float64() - 0.5)
		}
		p.ProperK = append(p.ProperK, k)
	}
	for range tp.Impropers {
		p.ImproperK = append(p.ImproperK, [2]float64{r.Float64() - 0.5, 2 * (r.Float64() - 0.5)})
	}
	var sum float64
	for i := range p.Charges {
		p.Charges[i] = 0.6 * (r.Float64() - 0.5)
		sum += p.Charges[i]
	}
	for i := range p.Charges {
		p.Charges[i] -= sum / float64(len(p.Charges))
	}
	s, err := Build(m.Elements, tp, p)
	if err != nil {
		t.Fatal(err)
	}
	if s.QuarticBonds != quartic {
		t.Fatalf("Build: QuarticBonds = %v, want %v", s.QuarticBonds, quartic)
	}
	// one torsion with a general phase checks the dihedral's sign convention
	if len(s.Propers) > 0 {
		s.Propers[0].Phase = 0.7
	}
	return s, x
}

var molecules = []string{"methane.sdf", "water.sdf", "ethyne.sdf", "ethanol.sdf", "ethanol.xyz", "benzene.sdf", "acetamide.sdf", "methylsulfonylmethane.sdf"}

// systemCase is one test System: a molecule, a parameter seed and the bond form.
type systemCase struct {
	file, label string
	seed        uint64
	quartic     bool
}

// systemCases are the test molecules with harmonic bonds (seed = index) and
// again with quartic bonds (seed = 100 + index).
func systemCases() []systemCase {
	var out []systemCase
	for _, quartic := range []bool{false, true} {
		for k, name := range molecules {
			c := systemCase{file: name, label: name, seed: uint64(k), quartic: quartic}
			if quartic {
				c.label, c.seed = name+" (quartic bonds)", uint64(100+k)
			}
			out = append(out, c)
		}
	}
	return out
}

// The quartic bond energy and force of one bond against the closed form
// ½K(r−r0)² + K3(r−rc)³ + K4(r−rc)⁴ and its derivative, at a stretched and a
// compressed length.
func TestQuarticBond(t *testing.T) {
	const k, r0, rc, k3, k4 = 3e5, 0.11, 0.108, -3e6, 3.5e7
	s := &System{Masses: []float64{12, 1}, QuarticBonds: true, Bonds: []Bond{{I: 0, J: 1, Length: r0, K: k, Ref: rc, K3: k3, K4: k4}},
		Particles: make([]Particle, 2), Exceptions: []Exception{{I: 0, J: 1, Sigma: 0.1}}}
	for _, r := range []float64{0.125, 0.095} {
		res := s.Energy([][3]float64{{0, 0, 0}, {0, 0, r}})
		want := 0.5*k*(r-r0)*(r-r0) + k3*math.Pow(r-rc, 3) + k4*math.Pow(r-rc, 4)
		dedr := k*(r-r0) + 3*k3*(r-rc)*(r-rc) + 4*k4*math.Pow(r-rc, 3)
		if got := res.Groups[QuarticBondForce]; math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("r = %g nm: %s energy %.10g, want %.10g", r, QuarticBondForce, got, want)
		}
		if got := res.Forces[1][2]; math.Abs(got+dedr) > 1e-9*math.Abs(dedr) {
			t.Errorf("r = %g nm: force on atom 2 %.10g, want −dE/dr = %.10g", r, got, -dedr)
		}
	}
	if _, ok := s.Energy([][3]float64{{0, 0, 0}, {0, 0, 0.1}}).Groups["HarmonicBondForce"]; ok {
		t.Errorf("a System with QuarticBonds reports a HarmonicBondForce group")
	}
	s.QuarticBonds = false
	if err := s.WriteXML(io.Discard); err == nil {
		t.Errorf("WriteXML of cubic and quartic bond terms without QuarticBonds: no error")
	}
}

// Analytic forces against central finite differences of the energy, with
// harmonic and with quartic bonds.
func TestForcesFiniteDifference(t *testing.T) {
	const h, tol = 1e-6, 1e-5 // nm; relative to max(|F|, 1 kJ/mol/nm)
	for _, tc := range systemCases() {
		name := tc.label
		s, x := testSystem(t, "../mol/testdata/"+tc.file, tc.seed, tc.quartic)
		res := s.Energy(x)
		scale := 1.0
		for _, f := range res.Forces {
			for _, v := range f {
				scale = math.Max(scale, math.Abs(v))
			}
		}
		for i := range x {
			for d := 0; d < 3; d++ {
				xp := append([][3]float64(nil), x...)
				xm := append([][3]float64(nil), x...)
				xp[i][d] += h
				xm[i][d] -= h
				fd := -(s.Energy(xp).Total - s.Energy(xm).Total) / (2 * h)
				if got := res.Forces[i][d]; math.Abs(got-fd) > tol*scale || math.IsNaN(got) {
					t.Errorf("%s: F[%d][%d] = %.8g, finite difference %.8g", name, i, d, got, fd)
				}
			}
		}
	}
}

func TestLinearAngleFinite(t *testing.T) {
	s := &System{Masses: []float64{1, 12, 1}, Angles: []Angle{{I: 0, J: 1, K: 2, Theta: math.Pi, KTheta: 300}, {I: 0, J: 1, K: 2, Theta: 2, KTheta: 300}},
		Particles: make([]Particle, 3)}
	x := [][3]float64{{-0.1, 0, 0}, {0, 0, 0}, {0.1, 0, 0}}
	r := s.Energy(x)
	want := 0.5 * 300 * (math.Pi - 2) * (math.Pi - 2)
	if math.Abs(r.Total-want) > 1e-9 {
		t.Errorf("energy at 180° = %v, want %v", r.Total, want)
	}
	for _, f := range r.Forces {
		for _, v := range f {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("force %v at 180°", r.Forces)
			}
		}
	}
	phi, gi, _, _, _ := DihedralGrad(x[0], x[1], x[2], [3]float64{0.2, 0.1, 0})
	if math.IsNaN(phi) || math.IsNaN(gi[0]) {
		t.Errorf("collinear dihedral: φ=%v grad=%v", phi, gi)
	}
}

func TestXMLRoundTrip(t *testing.T) {
	for _, quartic := range []bool{false, true} {
		s, x := testSystem(t, "../mol/testdata/ethanol.sdf", 3, quartic)
		path := filepath.Join(t.TempDir(), "system.xml")
		if err := s.WriteXMLFile(path); err != nil {
			t.Fatal(err)
		}
		s2, err := ReadXMLFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if s2.QuarticBonds != quartic || !reflect.DeepEqual(s2.Bonds, s.Bonds) {
			t.Errorf("quartic %v: bonds after XML round trip %v (QuarticBonds %v), before %v", quartic, s2.Bonds, s2.QuarticBonds, s.Bonds)
		}
		a, b := s.Energy(x), s2.Energy(x)
		if math.Abs(a.Total-b.Total) > 1e-9*math.Max(1, math.Abs(a.Total)) {
			t.Errorf("quartic %v: energy after XML round trip %v, before %v", quartic, b.Total, a.Total)
		}
	}
}

// ReadXMLFile refuses a CustomBondForce whose expression is not
// QuarticBondExpression.
func TestReadXMLRefusesOtherCustomBond(t *testing.T) {
	s, _ := testSystem(t, "../mol/testdata/ethanol.sdf", 3, true)
	var buf bytes.Buffer
	if err := s.WriteXML(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "system.xml")
	bad := bytes.Replace(buf.Bytes(), []byte(QuarticBondExpression), []byte("0.5*k*(r-r0)^2+k3*(r-rc)^3"), 1)
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadXMLFile(path); err == nil {
		t.Errorf("ReadXMLFile accepted a CustomBondForce with another energy expression")
	}
}

// TestOpenMM compares per force group energies and forces with OpenMM 7.7's
// Reference platform on the written XML (scripts/ff/openmm_eval.py) and checks a
// 1 ps Langevin run at 300 K stays finite, for every test molecule with
// HarmonicBondForce bonds and again with the CustomBondForce QuarticBondForce.
// Needs Debian's python3-simtk.
func TestOpenMM(t *testing.T) {
	if err := exec.Command("/usr/bin/python3", "-c", "import openmm").Run(); err != nil {
		t.Skip("OpenMM not importable by /usr/bin/python3: apt-get install python3-simtk")
	}
	var args []string
	var systems []*System
	var xs [][][3]float64
	dir := t.TempDir()
	cases := systemCases()
	for k, tc := range cases {
		s, x := testSystem(t, "../mol/testdata/"+tc.file, 10+tc.seed, tc.quartic)
		xml := filepath.Join(dir, fmt.Sprintf("system%d.xml", k))
		if err := s.WriteXMLFile(xml); err != nil {
			t.Fatal(err)
		}
		pj, _ := json.Marshal(x)
		pos := filepath.Join(dir, fmt.Sprintf("pos%d.json", k))
		if err := os.WriteFile(pos, pj, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, xml, pos)
		systems, xs = append(systems, s), append(xs, x)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("/usr/bin/python3", append([]string{"../../scripts/ff/openmm_eval.py"}, args...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openmm_eval.py: %v\n%s", err, stderr.String())
	}
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	if len(lines) != len(cases) {
		t.Fatalf("openmm_eval.py printed %d results for %d systems", len(lines), len(cases))
	}
	for k, tc := range cases {
		name := tc.label
		s, x := systems[k], xs[k]
		var ref struct {
			Groups      map[string]float64
			GroupForces map[string][][3]float64 `json:"group_forces"`
			Total       float64
			Forces      [][3]float64
			Langevin    struct{ Finite bool } `json:"langevin_1ps"`
		}
		if err := json.Unmarshal(lines[k], &ref); err != nil {
			t.Fatal(err)
		}
		got := s.Energy(x)
		if len(ref.Groups) != len(got.Groups) {
			t.Errorf("%s: OpenMM force groups %v, erg %v", name, ref.Groups, got.Groups)
		}
		for g, e := range ref.Groups {
			if _, ok := got.Groups[g]; !ok {
				t.Errorf("%s: OpenMM force %q has no erg group", name, g)
			}
			if d := math.Abs(got.Groups[g] - e); d > 1e-4*math.Max(math.Abs(e), 1) {
				t.Errorf("%s %s: erg %.8g kJ/mol, OpenMM %.8g", name, g, got.Groups[g], e)
			}
		}
		fs := 0.0
		for _, f := range ref.Forces {
			fs = math.Max(fs, norm(f))
		}
		for i := range ref.Forces {
			if d := norm(sub(got.Forces[i], ref.Forces[i])); d > 1e-3*math.Max(fs, 1) {
				t.Errorf("%s atom %d: force erg %v, OpenMM %v", name, i, got.Forces[i], ref.Forces[i])
			}
		}
		// the bond group's forces alone: the terms of the force this test adds
		bondName := s.GroupNames()[0]
		sb := &System{Masses: s.Masses, QuarticBonds: s.QuarticBonds, Bonds: s.Bonds, Particles: make([]Particle, len(s.Masses))}
		fb := sb.Energy(x).Forces
		rb, ok := ref.GroupForces[bondName]
		if !ok || len(rb) != len(fb) {
			t.Errorf("%s: OpenMM reports no %s forces", name, bondName)
		}
		gs := 0.0
		for _, f := range rb {
			gs = math.Max(gs, norm(f))
		}
		for i := range rb {
			if d := norm(sub(fb[i], rb[i])); d > 1e-3*math.Max(gs, 1) {
				t.Errorf("%s atom %d: %s force erg %v, OpenMM %v", name, i, bondName, fb[i], rb[i])
			}
		}
		if !ref.Langevin.Finite {
			t.Errorf("%s: 1 ps Langevin run in OpenMM is not finite", name)
		}
	}
}
