package ff

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ergml/erg/ff/data"
	"github.com/ergml/erg/ff/mm"
	"github.com/ergml/erg/ff/mol"
	"github.com/ergml/erg/run"
)

func readMol(t testing.TB, path string) *mol.Molecule {
	t.Helper()
	var ms []*mol.Molecule
	var err error
	if path[len(path)-4:] == ".xyz" {
		ms, err = mol.ReadXYZFile(path)
	} else {
		ms, err = mol.ReadSDFFile(path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return ms[0]
}

// The model's energy, Σ coefficients × basis, must be the exported OpenMM
// system's valence energy up to a constant, and its basis gradients the system's
// forces: this ties the training loss to the XML that is written. Both bond
// forms.
func TestBasisMatchesExportedSystem(t *testing.T) {
	for _, bond := range BondForms {
		for _, name := range []string{"ethanol.sdf", "acetamide.sdf", "benzene.sdf", "ethyne.sdf", "methylsulfonylmethane.sdf"} {
			testBasisMatchesExportedSystem(t, bond, name)
		}
	}
}

// randomCoefficients draws coefficients of p's terms around the network's scales
// (Morse-like cubic and quartic bond terms for BondQuartic).
func randomCoefficients(p *Prepared, bond BondForm, r *rand.Rand) *Coefficients {
	c := &Coefficients{Bond: bond, Charges: make([]float64, p.Mol.NumAtoms())}
	for k := 0; k < numKinds; k++ {
		for range p.Terms[k] {
			row := make([]float64, kindSize(k, bond))
			for j := range row {
				switch {
				case k == kindBond && j == 2:
					row[j] = -700 * math.Exp(0.3*r.NormFloat64())
				case k == kindBond && j == 3:
					row[j] = 800 * math.Exp(0.3*r.NormFloat64())
				case k <= kindAngle:
					row[j] = coefScale[k][j] * math.Exp(0.3*r.NormFloat64())
				default:
					row[j] = r.NormFloat64()
				}
			}
			c.Terms[k] = append(c.Terms[k], row)
		}
	}
	return c
}

func testBasisMatchesExportedSystem(t *testing.T, bond BondForm, name string) {
	{
		m := readMol(t, "mol/testdata/"+name)
		p, err := Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		c := randomCoefficients(p, bond, r)
		sys, err := p.System(c)
		if err != nil {
			t.Fatal(err)
		}
		if sys.QuarticBonds != bond.quartic() {
			t.Fatalf("%s bonds: System.QuarticBonds = %v", bond, sys.QuarticBonds)
		}
		name := name + " (" + bond.String() + " bonds)"
		// two geometries: the file's and a displaced copy
		x0 := m.Coords
		x1 := make([][3]float64, len(x0))
		for i := range x0 {
			for d := 0; d < 3; d++ {
				x1[i][d] = x0[i][d] + 0.05*r.NormFloat64()
			}
		}
		var eb [2]float64
		var fb [2][][3]float64
		for gi, x := range [][][3]float64{x0, x1} {
			fb[gi] = make([][3]float64, len(x))
			for k := 0; k < numKinds; k++ {
				K, S := kindSize(k, bond), kindSlots[k]
				pv := make([]float64, K)
				gv := make([][][3]float64, K)
				for i := range gv {
					gv[i] = make([][3]float64, S)
				}
				for t2, atoms := range p.Terms[k] {
					p.basis(k, t2, x, pv, gv)
					for j := 0; j < K; j++ {
						eb[gi] += c.Terms[k][t2][j] * pv[j]
						for s := 0; s < S; s++ {
							for d := 0; d < 3; d++ {
								fb[gi][atoms[s]][d] -= c.Terms[k][t2][j] * gv[j][s][d]
							}
						}
					}
				}
			}
		}
		var es [2]float64
		for gi, x := range [][][3]float64{x0, x1} {
			res := sys.Energy(toNm(x))
			es[gi] = (res.Total - res.Groups["NonbondedForce"]) / mm.KJPerKcal
			f := fromKJnm(res.Forces)
			// nonbonded forces are zero: all charges zero, but LJ is not; remove it
			nb, _ := mm.NonbondedSystem(m.Elements, p.Topo, c.Charges)
			fn := fromKJnm(nb.Energy(toNm(x)).Forces)
			for i := range f {
				for d := 0; d < 3; d++ {
					got, want := fb[gi][i][d], f[i][d]-fn[i][d]
					if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
						t.Errorf("%s geometry %d atom %d: basis force %.9g, system %.9g", name, gi, i, got, want)
					}
				}
			}
		}
		if d := (eb[1] - eb[0]) - (es[1] - es[0]); math.Abs(d) > 1e-6*math.Max(1, math.Abs(es[1]-es[0])) {
			t.Errorf("%s: basis energy difference %.9g, system %.9g", name, eb[1]-eb[0], es[1]-es[0])
		}
	}
}

// An untrained network parametrises the edge cases without NaN and gives XYZ
// and SDF of one molecule the same parameters, with either bond form (quartic:
// a QuarticBondForce system with k4 ≥ 0).
func TestParametrizeEdgeCases(t *testing.T) {
	for _, bond := range BondForms {
		testParametrizeEdgeCases(t, bond)
	}
}

func testParametrizeEdgeCases(t *testing.T, bond BondForm) {
	m, err := NewUntrained(DefaultArch, 1)
	if err != nil {
		t.Fatal(err)
	}
	m.Info.Bond = bond
	for _, name := range []string{"methane", "water", "ethyne", "ethanol"} {
		s1, c1, err := m.Parametrize(readMol(t, "mol/testdata/"+name+".sdf"))
		if err != nil {
			t.Fatal(err)
		}
		_, c2, err := m.Parametrize(readMol(t, "mol/testdata/"+name+".xyz"))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c1, c2) {
			t.Errorf("%s (%s bonds): SDF and XYZ give different parameters", name, bond)
		}
		if s1.QuarticBonds != bond.quartic() {
			t.Errorf("%s (%s bonds): System.QuarticBonds = %v", name, bond, s1.QuarticBonds)
		}
		for _, b := range s1.Bonds {
			if b.K4 < 0 || (!bond.quartic() && (b.K3 != 0 || b.K4 != 0)) {
				t.Errorf("%s (%s bonds): bond %d-%d has K3 %g, K4 %g", name, bond, b.I, b.J, b.K3, b.K4)
			}
		}
		var q float64
		for _, v := range c1.Charges {
			q += v
		}
		if math.Abs(q) > 1e-4 {
			t.Errorf("%s: total charge %g, want 0 (charge equilibration)", name, q)
		}
		x := readMol(t, "mol/testdata/"+name+".sdf").Coords
		res := s1.Energy(toNm(x))
		if math.IsNaN(res.Total) || math.IsInf(res.Total, 0) {
			t.Errorf("%s: energy %v", name, res.Total)
		}
		for _, f := range res.Forces {
			for _, v := range f {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s: force %v", name, res.Forces)
				}
			}
		}
	}
}

// TrainConfig.Validate names the bond field for an unknown form and accepts ""
// (runs made before the field existed) as harmonic.
func TestTrainConfigBond(t *testing.T) {
	for _, b := range []BondForm{"", BondHarmonic, BondQuartic, "morse"} {
		c := TrainConfig{Data: "x", Bond: b}
		err := c.Validate()
		var fe *run.FieldError
		switch {
		case b == "morse" && (!errors.As(err, &fe) || fe.Field != "bond"):
			t.Errorf("bond %q: Validate = %v, want a FieldError on field bond", b, err)
		case b != "morse" && err != nil:
			t.Errorf("bond %q: Validate = %v", b, err)
		}
	}
	if kindSize(kindBond, "") != 2 || kindSize(kindBond, BondQuartic) != 4 {
		t.Errorf("bond basis sizes %d (\"\"), %d (quartic); want 2, 4", kindSize(kindBond, ""), kindSize(kindBond, BondQuartic))
	}
}

func TestBootstrap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	v := make([]float64, 200)
	for i := range v {
		v[i] = 5 + r.NormFloat64()
	}
	ci := bootstrap(v, r)
	// normal theory: mean ± 1.96/sqrt(200) ≈ ±0.139
	m := mean(v)
	if math.Abs((ci[1]-ci[0])/2-1.96/math.Sqrt(200)) > 0.03 || ci[0] > m || ci[1] < m {
		t.Errorf("bootstrap CI %v around mean %v", ci, m)
	}
}

var _ = data.KcalPerHartree

// BestFit recovers labels made by the functional form itself (a parameter set
// of the exported system on displaced geometries): its floor must be ~0. Labels
// made with quartic bonds are not in the harmonic form: the harmonic floor on
// them must not be ~0 (the quartic columns are what fits them).
func TestBestFitRecoversItsOwnForm(t *testing.T) {
	for _, tc := range []struct {
		labels, fit BondForm
		zero        bool
	}{{BondHarmonic, BondHarmonic, true}, {BondQuartic, BondQuartic, true}, {BondHarmonic, BondQuartic, true}, {BondQuartic, BondHarmonic, false}} {
		e, f := bestFitOwnForm(t, tc.labels, tc.fit)
		if tc.zero && (e > 1e-6 || f > 1e-6) {
			t.Errorf("%s fit on %s labels: floor energy %g, force %g; want ~0", tc.fit, tc.labels, e, f)
		}
		if !tc.zero && f < 0.1 {
			t.Errorf("%s fit on %s labels: floor force %g kcal/mol/Å; want > 0.1 (the labels are not in the form)", tc.fit, tc.labels, f)
		}
	}
}

func bestFitOwnForm(t *testing.T, labels, fit BondForm) (e, f float64) {
	m := readMol(t, "mol/testdata/ethanol.sdf")
	p, err := Prepare(m)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	c := randomCoefficients(p, labels, r)
	for k := kindProper; k < numKinds; k++ {
		for _, row := range c.Terms[k] {
			for j := range row {
				row[j] = coefScale[k][j] * math.Exp(0.3*r.NormFloat64())
			}
		}
	}
	sys, err := p.System(c)
	if err != nil {
		t.Fatal(err)
	}
	nb, _ := mm.NonbondedSystem(m.Elements, p.Topo, c.Charges)
	s := &data.Sample{Mol: m}
	for g := 0; g < 12; g++ {
		x := make([][3]float64, m.NumAtoms())
		for i := range x {
			for d := 0; d < 3; d++ {
				x[i][d] = m.Coords[i][d] + 0.05*r.NormFloat64()
			}
		}
		res, rn := sys.Energy(toNm(x)), nb.Energy(toNm(x))
		f, fn := fromKJnm(res.Forces), fromKJnm(rn.Forces)
		for i := range f {
			for d := 0; d < 3; d++ {
				f[i][d] -= fn[i][d]
			}
		}
		s.X = append(s.X, x)
		s.EXtb = append(s.EXtb, (res.Total-rn.Total)/mm.KJPerKcal)
		s.FXtb = append(s.FXtb, f)
		p.ENB = append(p.ENB, 0)
		p.FNB = append(p.FNB, make([][3]float64, m.NumAtoms()))
	}
	p.Sample = s
	return BestFit(p, fit, DefaultWeights.Force)
}
