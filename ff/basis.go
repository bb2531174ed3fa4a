package ff

import (
	"fmt"
	"math"

	"github.com/ergml/erg/ff/data"
	"github.com/ergml/erg/ff/mm"
	"github.com/ergml/erg/ff/mol"
	"github.com/ergml/erg/ff/topology"
)

// The valence energy is espaloma's: bonds and angles as two non-negative
// harmonic coefficients on fixed centres (espaloma/mm/functional.py
// linear_mixture_to_original; refit-espaloma's ExpCoeff), torsions as six
// signed amplitudes with phase 0, impropers as two. Every term is therefore
// linear in the coefficients the network predicts:
//
//	bond      k1 (r − b1)² + k2 (r − b2)²     b1 = 1.5 bohr, b2 = 6.0 bohr
//	angle     k1 θ² + k2 (θ − π)²
//	torsion   Σn kn (1 + cos nφ), n = 1..6     (impropers n = 1, 2)
//
// which is k (r − r0)² + const with k = k1 + k2, r0 = (k1 b1 + k2 b2)/k. Energies
// are kcal/mol and lengths Å inside the model; the OpenMM export converts.
//
// With BondQuartic the bond has two more basis functions, cubic and quartic on a
// fixed per-bond centre rc (the sum of the atoms' covalent radii, Cordero et al.
// 2008, from the graph alone):
//
//	bond      k1 (r − b1)² + k2 (r − b2)² + k3 (r − rc)³ + k4 (r − rc)⁴
//
// a general quartic polynomial in r, so the stretch of MMFF94 (T. A. Halgren,
// "Merck molecular force field. I.", J. Comput. Chem. 17, 490 (1996), eq. 2:
// ½ kb Δr² (1 + cs Δr + 7/12 cs² Δr²), cs = −2 Å⁻¹, the Taylor expansion of a
// Morse bond to fourth order) is one of its members, while the energy stays
// linear in the coefficients (BestFit stays an exact linear least-squares floor).
// The network predicts k3 signed and k4 ≥ 0 (bounded below); the export is the
// CustomBondForce mm.QuarticBondExpression.
var (
	bondCentres  = [2]float64{1.5 * data.AngstromPerBohr, 6.0 * data.AngstromPerBohr}
	angleCentres = [2]float64{0, math.Pi}
)

// Term kinds, their basis sizes K, atom slots S and the Janossy orderings of
// the slots (each ordering's MLP outputs are summed).
const (
	kindBond = iota
	kindAngle
	kindProper
	kindImproper
	numKinds
)

var (
	kindK     = [numKinds]int{2, 2, 6, 2} // harmonic bonds; see kindSize
	kindSlots = [numKinds]int{2, 3, 4, 4}
	kindNames = [numKinds]string{"bond", "angle", "proper", "improper"}
	// orderings: bonds, angles, propers forward and reversed (Janossy pooling,
	// espaloma/nn/readout/janossy.py JanossyPooling); impropers the three cyclic
	// orders of the outer atoms with the centre first (JanossyPoolingWithSmirnoffImproper).
	kindOrders = [numKinds][][]int{
		{{0, 1}, {1, 0}},
		{{0, 1, 2}, {2, 1, 0}},
		{{0, 1, 2, 3}, {3, 2, 1, 0}},
		{{0, 1, 2, 3}, {0, 2, 3, 1}, {0, 3, 1, 2}},
	}
)

// BondForm is the functional form of the bond term (TrainConfig.Bond, the --bond
// flag). The empty string is BondHarmonic, the form of runs made before the
// choice existed.
type BondForm string

// Bond forms.
const (
	// BondHarmonic is espaloma 0.3's bond, k1 (r − b1)² + k2 (r − b2)², exported
	// as a HarmonicBondForce.
	BondHarmonic BondForm = "harmonic"
	// BondQuartic adds k3 (r − rc)³ + k4 (r − rc)⁴, exported as the
	// CustomBondForce mm.QuarticBondForce.
	BondQuartic BondForm = "quartic"
)

// BondForms are the valid BondForm values.
var BondForms = []BondForm{BondHarmonic, BondQuartic}

// Validate returns an error naming the valid forms when f is not one ("" is
// harmonic).
func (f BondForm) Validate() error {
	switch f {
	case "", BondHarmonic, BondQuartic:
		return nil
	}
	return fmt.Errorf("ff: bond form %q: want %s or %s", string(f), BondHarmonic, BondQuartic)
}

func (f BondForm) quartic() bool { return f == BondQuartic }

// String returns the form's name ("harmonic" for "").
func (f BondForm) String() string {
	if f == "" {
		return string(BondHarmonic)
	}
	return string(f)
}

// kindSize is the basis size K of a term kind with bond form f.
func kindSize(kind int, f BondForm) int {
	if kind == kindBond && f.quartic() {
		return 4
	}
	return kindK[kind]
}

// Prepared is a molecule ready for the model: its graph, topology, features and
// terms (improper terms are per 3-connected centre: slots centre, a, b, d; the
// three trefoil torsions of a centre share its coefficients).
type Prepared struct {
	Mol   *mol.Molecule
	Topo  *topology.Topology
	Feat  [][]float64
	Terms [numKinds][][]int
	// BondRef is the centre rc (Å) of each bond's cubic and quartic terms
	// (BondQuartic): the sum of the covalent radii of its atoms.
	BondRef []float64
	// Sample data (nil for a molecule without labels).
	Sample *data.Sample
	ENB    []float64      // nonbonded energy with reference charges, kcal/mol, per conformer
	FNB    [][][3]float64 // its forces, kcal/mol/Å
}

// Prepare checks m and builds its topology and features.
func Prepare(m *mol.Molecule) (*Prepared, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	tp := topology.New(m.NumAtoms(), m.Bonds)
	tp.DropLinear(mol.Linear(m))
	p := &Prepared{Mol: m, Topo: tp, Feat: mol.Features(m)}
	for _, b := range tp.Bonds {
		p.Terms[kindBond] = append(p.Terms[kindBond], []int{b[0], b[1]})
		ri, ok1 := mol.CovalentRadius(m.Elements[b[0]])
		rj, ok2 := mol.CovalentRadius(m.Elements[b[1]])
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("ff: bond %d-%d: no covalent radius for %s or %s", b[0]+1, b[1]+1, m.Elements[b[0]].Symbol(), m.Elements[b[1]].Symbol())
		}
		p.BondRef = append(p.BondRef, ri+rj)
	}
	for _, a := range tp.Angles {
		p.Terms[kindAngle] = append(p.Terms[kindAngle], []int{a[0], a[1], a[2]})
	}
	for _, q := range tp.Propers {
		p.Terms[kindProper] = append(p.Terms[kindProper], []int{q[0], q[1], q[2], q[3]})
	}
	for t, c := range tp.Centers {
		q := tp.Impropers[3*t] // (a, c, b, d)
		p.Terms[kindImproper] = append(p.Terms[kindImproper], []int{c, q[0], q[2], q[3]})
	}
	return p, nil
}

// PrepareSample prepares a labelled molecule and its nonbonded reference (fixed
// LJ table and conformer-mean xtb charges, subtracted from the QM labels before
// fitting, as espaloma 0.3 does with its fixed nonbonded terms).
func PrepareSample(s *data.Sample) (*Prepared, error) {
	p, err := Prepare(s.Mol)
	if err != nil {
		return nil, err
	}
	p.Sample = s
	nb, err := mm.NonbondedSystem(s.Mol.Elements, p.Topo, s.QXtb)
	if err != nil {
		return nil, err
	}
	for _, x := range s.X {
		r := nb.Energy(toNm(x))
		p.ENB = append(p.ENB, r.Total/mm.KJPerKcal)
		p.FNB = append(p.FNB, fromKJnm(r.Forces))
	}
	return p, nil
}

func toNm(x [][3]float64) [][3]float64 {
	out := make([][3]float64, len(x))
	for i, v := range x {
		out[i] = [3]float64{v[0] * mm.NmPerAngstrom, v[1] * mm.NmPerAngstrom, v[2] * mm.NmPerAngstrom}
	}
	return out
}

// fromKJnm converts forces from kJ/mol/nm to kcal/mol/Å.
func fromKJnm(f [][3]float64) [][3]float64 {
	out := make([][3]float64, len(f))
	c := mm.NmPerAngstrom / mm.KJPerKcal
	for i, v := range f {
		out[i] = [3]float64{v[0] * c, v[1] * c, v[2] * c}
	}
	return out
}

// basis returns the K basis values of term t (index into p.Terms[kind]) of the
// given kind at geometry x (Å) and their gradients with respect to the term's
// slot atoms; K = len(phi) is kindSize(kind, form): a bond with K = 4 is quartic.
func (p *Prepared) basis(kind, t int, x [][3]float64, phi []float64, grad [][][3]float64) {
	atoms := p.Terms[kind][t]
	switch kind {
	case kindBond:
		d := sub(x[atoms[1]], x[atoms[0]])
		r := math.Sqrt(dot(d, d))
		for k, b := range bondCentres {
			phi[k] = (r - b) * (r - b)
			c := 2 * (r - b) / r
			for a := 0; a < 3; a++ {
				grad[k][0][a] = -c * d[a]
				grad[k][1][a] = c * d[a]
			}
		}
		if len(phi) == 4 {
			dc := r - p.BondRef[t]
			phi[2], phi[3] = dc*dc*dc, dc*dc*dc*dc
			c3, c4 := 3*dc*dc/r, 4*dc*dc*dc/r
			for a := 0; a < 3; a++ {
				grad[2][0][a], grad[2][1][a] = -c3*d[a], c3*d[a]
				grad[3][0][a], grad[3][1][a] = -c4*d[a], c4*d[a]
			}
		}
	case kindAngle:
		th, gi, gj, gk := mm.AngleGrad(x[atoms[0]], x[atoms[1]], x[atoms[2]])
		for k, c0 := range angleCentres {
			phi[k] = (th - c0) * (th - c0)
			c := 2 * (th - c0)
			grad[k][0], grad[k][1], grad[k][2] = scale(gi, c), scale(gj, c), scale(gk, c)
		}
	case kindProper:
		ph, gi, gj, gk, gl := mm.DihedralGrad(x[atoms[0]], x[atoms[1]], x[atoms[2]], x[atoms[3]])
		for k := 0; k < 6; k++ {
			n := float64(k + 1)
			phi[k] = 1 + math.Cos(n*ph)
			c := -n * math.Sin(n*ph)
			grad[k][0], grad[k][1], grad[k][2], grad[k][3] = scale(gi, c), scale(gj, c), scale(gk, c), scale(gl, c)
		}
	case kindImproper:
		// slots (c, a, b, d); torsions (a,c,b,d), (b,c,d,a), (d,c,a,b) summed
		c, a, b, d := atoms[0], atoms[1], atoms[2], atoms[3]
		for k := range phi {
			phi[k] = 0
			for s := range grad[k] {
				grad[k][s] = [3]float64{}
			}
		}
		slot := map[int]int{c: 0, a: 1, b: 2, d: 3}
		for _, q := range [][4]int{{a, c, b, d}, {b, c, d, a}, {d, c, a, b}} {
			ph, g0, g1, g2, g3 := mm.DihedralGrad(x[q[0]], x[q[1]], x[q[2]], x[q[3]])
			gs := [4][3]float64{g0, g1, g2, g3}
			for k := 0; k < 2; k++ {
				n := float64(k + 1)
				phi[k] += 1 + math.Cos(n*ph)
				cc := -n * math.Sin(n*ph)
				for j := 0; j < 4; j++ {
					s := slot[q[j]]
					for e := 0; e < 3; e++ {
						grad[k][s][e] += cc * gs[j][e]
					}
				}
			}
		}
	default:
		panic(fmt.Sprintf("ff: term kind %d", kind))
	}
}

func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func dot(a, b [3]float64) float64    { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func scale(a [3]float64, c float64) [3]float64 {
	return [3]float64{a[0] * c, a[1] * c, a[2] * c}
}

// Coefficients are the model's outputs for one molecule, in the model's units
// (kcal/mol, Å, rad): per term kind, per term, K values (kindSize with Bond);
// charges in e.
type Coefficients struct {
	Bond    BondForm
	Terms   [numKinds][][]float64
	Charges []float64
}

// Params converts coefficients to OpenMM parameters for mm.Build.
func (p *Prepared) Params(c *Coefficients) mm.Params {
	var out mm.Params
	for t, k := range c.Terms[kindBond] {
		kk := k[0] + k[1]
		r0 := (k[0]*bondCentres[0] + k[1]*bondCentres[1]) / kk
		// E = kk (r − r0)² = ½ K (r − r0)²: K = 2 kk, kcal/Å² → kJ/nm²
		out.BondK = append(out.BondK, 2*kk*mm.KJPerKcal*100)
		out.BondLength = append(out.BondLength, r0*mm.NmPerAngstrom)
		if c.Bond.quartic() {
			// kcal/mol/Å³ → kJ/mol/nm³ and kcal/mol/Å⁴ → kJ/mol/nm⁴
			out.BondRef = append(out.BondRef, p.BondRef[t]*mm.NmPerAngstrom)
			out.BondK3 = append(out.BondK3, k[2]*mm.KJPerKcal*1e3)
			out.BondK4 = append(out.BondK4, k[3]*mm.KJPerKcal*1e4)
		}
	}
	for _, k := range c.Terms[kindAngle] {
		kk := k[0] + k[1]
		out.AngleK = append(out.AngleK, 2*kk*mm.KJPerKcal)
		out.AngleTheta = append(out.AngleTheta, (k[0]*angleCentres[0]+k[1]*angleCentres[1])/kk)
	}
	for _, k := range c.Terms[kindProper] {
		var v [6]float64
		for n := range v {
			v[n] = k[n] * mm.KJPerKcal
		}
		out.ProperK = append(out.ProperK, v)
	}
	for t := range p.Topo.Centers {
		k := c.Terms[kindImproper][t]
		v := [2]float64{k[0] * mm.KJPerKcal, k[1] * mm.KJPerKcal}
		out.ImproperK = append(out.ImproperK, v, v, v)
	}
	out.Charges = append([]float64(nil), c.Charges...)
	return out
}

// System builds the OpenMM-ready system of the molecule from coefficients.
func (p *Prepared) System(c *Coefficients) (*mm.System, error) {
	if err := c.Bond.Validate(); err != nil {
		return nil, err
	}
	K := kindSize(kindBond, c.Bond)
	for t, k := range c.Terms[kindBond] {
		if len(k) != K {
			return nil, fmt.Errorf("ff: bond %d has %d coefficients, %s bonds have %d", t, len(k), c.Bond, K)
		}
	}
	return mm.Build(p.Mol.Elements, p.Topo, p.Params(c))
}
