package mm

import (
	"fmt"
	"math"
)

// CoulombConstant is 1/(4πε0) in kJ nm/(mol e²), OpenMM 7.7's ONE_4PI_EPS0.
const CoulombConstant = 138.935456

// Unit conversions.
const (
	KJPerKcal        = 4.184
	NmPerAngstrom    = 0.1
	KJPerHartree     = 2625.499639 // CODATA 2018: 4.3597447222071e-18 J × N_A
	AngstromPerBohr  = 0.529177210903
	KcalPerHartree   = KJPerHartree / KJPerKcal
	NmPerBohr        = AngstromPerBohr * NmPerAngstrom
	Scale14Coulomb   = 1 / 1.2 // 0.8333, AMBER/OpenFF 1-4 electrostatics scaling
	Scale14LJ        = 0.5     // AMBER/OpenFF 1-4 Lennard-Jones scaling
	forceTinySquared = 1e-24
)

// Bond is a bond term: ½ K (r − Length)² + K3 (r − Ref)³ + K4 (r − Ref)⁴. With K3 =
// K4 = 0 it is a HarmonicBondForce term; otherwise the System must have
// QuarticBonds set and it is written as a term of the CustomBondForce
// QuarticBondExpression.
type Bond struct {
	I, J   int
	Length float64 // nm
	K      float64 // kJ/mol/nm²
	Ref    float64 // nm, centre of the cubic and quartic terms
	K3     float64 // kJ/mol/nm³
	K4     float64 // kJ/mol/nm⁴
}

// QuarticBondExpression is the energy of the CustomBondForce QuarticBondForce in
// OpenMM's expression syntax, with per-bond parameters QuarticBondParameters (in
// that order; nm, kJ/mol/nm², nm, kJ/mol/nm³, kJ/mol/nm⁴). It is a harmonic term
// plus cubic and quartic stretch terms, the polynomial of MMFF94's bond stretch
// (T. A. Halgren, "Merck molecular force field. I.", J. Comput. Chem. 17, 490
// (1996), eq. 2: ½ kb Δr² (1 + cs Δr + 7/12 cs² Δr²), cs = −2 Å⁻¹) with free
// cubic and quartic coefficients about their own centre rc.
const QuarticBondExpression = "0.5*k*(r-r0)^2+k3*(r-rc)^3+k4*(r-rc)^4"

// QuarticBondParameters are the per-bond parameters of QuarticBondExpression.
var QuarticBondParameters = []string{"r0", "k", "rc", "k3", "k4"}

// QuarticBondForce is the name of the CustomBondForce of a System with
// QuarticBonds.
const QuarticBondForce = "QuarticBondForce"

// Angle is a HarmonicAngleForce term (J is the vertex).
type Angle struct {
	I, J, K int
	Theta   float64 // rad
	KTheta  float64 // kJ/mol/rad²
}

// Torsion is a PeriodicTorsionForce term.
type Torsion struct {
	I, J, K, L  int
	Periodicity int
	Phase       float64 // rad
	KPhi        float64 // kJ/mol
}

// Particle holds an atom's nonbonded parameters.
type Particle struct {
	Charge  float64 // e
	Sigma   float64 // nm
	Epsilon float64 // kJ/mol
}

// Exception replaces the nonbonded interaction of one pair (1-2, 1-3 pairs: zero;
// 1-4 pairs: scaled).
type Exception struct {
	I, J       int
	ChargeProd float64 // e²
	Sigma      float64 // nm
	Epsilon    float64 // kJ/mol
}

// System is a molecule's MM potential. Propers and Impropers are both periodic
// torsions; they are kept apart so each has its own force group.
type System struct {
	Masses     []float64 // amu
	Bonds      []Bond
	Angles     []Angle
	Propers    []Torsion
	Impropers  []Torsion
	Particles  []Particle
	Exceptions []Exception

	// QuarticBonds writes the bonds as the CustomBondForce QuarticBondForce
	// instead of a HarmonicBondForce (force group 0 either way).
	QuarticBonds bool
}

// Groups are the force names of a System with harmonic bonds, in force-group
// order (group index = position); GroupNames gives a System's own.
var Groups = []string{"HarmonicBondForce", "HarmonicAngleForce", "PeriodicTorsionForce", "ImproperTorsionForce", "NonbondedForce"}

// GroupNames returns the force names of s in force-group order: Groups, with
// QuarticBondForce for group 0 when s.QuarticBonds is set. They are the keys of
// Result.Groups and the names OpenMM reports for the written XML.
func (s *System) GroupNames() []string {
	g := append([]string(nil), Groups...)
	if s.QuarticBonds {
		g[0] = QuarticBondForce
	}
	return g
}

// Result is an energy evaluation: total and per-group energies (kJ/mol) and
// forces (kJ/mol/nm, −gradient).
type Result struct {
	Total  float64
	Groups map[string]float64
	Forces [][3]float64
}

// Energy evaluates the potential at x (nm) with analytic forces.
func (s *System) Energy(x [][3]float64) Result {
	if len(x) != len(s.Masses) {
		panic(fmt.Sprintf("mm: %d positions for %d particles", len(x), len(s.Masses)))
	}
	f := make([][3]float64, len(x))
	g := map[string]float64{}
	names := s.GroupNames()
	var e float64
	for _, b := range s.Bonds {
		d := sub(x[b.J], x[b.I])
		r := norm(d)
		dr := r - b.Length
		e += 0.5 * b.K * dr * dr
		de := b.K * dr // dE/dr
		if b.K3 != 0 || b.K4 != 0 {
			dc := r - b.Ref
			e += (b.K3 + b.K4*dc) * dc * dc * dc
			de += (3*b.K3 + 4*b.K4*dc) * dc * dc
		}
		if r > 0 {
			c := de / r
			for k := 0; k < 3; k++ {
				f[b.I][k] += c * d[k]
				f[b.J][k] -= c * d[k]
			}
		}
	}
	g[names[0]] = e
	e = 0
	for _, a := range s.Angles {
		th, gi, gj, gk := AngleGrad(x[a.I], x[a.J], x[a.K])
		dth := th - a.Theta
		e += 0.5 * a.KTheta * dth * dth
		c := a.KTheta * dth
		for k := 0; k < 3; k++ {
			f[a.I][k] -= c * gi[k]
			f[a.J][k] -= c * gj[k]
			f[a.K][k] -= c * gk[k]
		}
	}
	g[names[1]] = e
	g[names[2]] = torsions(s.Propers, x, f)
	g[names[3]] = torsions(s.Impropers, x, f)
	g[names[4]] = s.nonbonded(x, f)
	var tot float64
	for _, v := range g {
		tot += v
	}
	return Result{Total: tot, Groups: g, Forces: f}
}

func torsions(ts []Torsion, x [][3]float64, f [][3]float64) float64 {
	var e float64
	for _, t := range ts {
		phi, gi, gj, gk, gl := DihedralGrad(x[t.I], x[t.J], x[t.K], x[t.L])
		n := float64(t.Periodicity)
		e += t.KPhi * (1 + math.Cos(n*phi-t.Phase))
		c := -t.KPhi * n * math.Sin(n*phi-t.Phase) // dE/dφ
		for k := 0; k < 3; k++ {
			f[t.I][k] -= c * gi[k]
			f[t.J][k] -= c * gj[k]
			f[t.K][k] -= c * gk[k]
			f[t.L][k] -= c * gl[k]
		}
	}
	return e
}

func (s *System) nonbonded(x [][3]float64, f [][3]float64) float64 {
	n := len(x)
	exc := make(map[[2]int]int, len(s.Exceptions))
	for k, ex := range s.Exceptions {
		i, j := ex.I, ex.J
		if i > j {
			i, j = j, i
		}
		exc[[2]int{i, j}] = k
	}
	var e float64
	pair := func(i, j int, qq, sig, eps float64) {
		d := sub(x[j], x[i])
		r2 := dot(d, d)
		r := math.Sqrt(r2)
		var de float64 // dE/dr
		if qq != 0 {
			e += CoulombConstant * qq / r
			de -= CoulombConstant * qq / r2
		}
		if eps != 0 {
			sr6 := math.Pow(sig/r, 6)
			e += 4 * eps * (sr6*sr6 - sr6)
			de += 4 * eps * (-12*sr6*sr6 + 6*sr6) / r
		}
		c := de / r
		for k := 0; k < 3; k++ {
			f[i][k] += c * d[k]
			f[j][k] -= c * d[k]
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if k, ok := exc[[2]int{i, j}]; ok {
				ex := s.Exceptions[k]
				if ex.ChargeProd != 0 || ex.Epsilon != 0 {
					pair(i, j, ex.ChargeProd, ex.Sigma, ex.Epsilon)
				}
				continue
			}
			pi, pj := s.Particles[i], s.Particles[j]
			pair(i, j, pi.Charge*pj.Charge, 0.5*(pi.Sigma+pj.Sigma), math.Sqrt(pi.Epsilon*pj.Epsilon))
		}
	}
	return e
}

// AngleGrad returns θ(i,j,k) = atan2(|u×v|, u·v) with u = xi−xj, v = xk−xj and
// its gradient with respect to each atom. At exactly 0° or 180° the gradient is
// the zero subgradient (the force of a harmonic term with θ0 = π vanishes there).
func AngleGrad(xi, xj, xk [3]float64) (theta float64, gi, gj, gk [3]float64) {
	u, v := sub(xi, xj), sub(xk, xj)
	w := cross(u, v)
	s, c := norm(w), dot(u, v)
	theta = math.Atan2(s, c)
	uu, vv := dot(u, u), dot(v, v)
	if s*s < forceTinySquared*uu*vv || uu == 0 || vv == 0 {
		return theta, gi, gj, gk
	}
	// dθ/du = (u·v u/|u|² − v) / |u×v| ... written via the in-plane unit vectors
	for k := 0; k < 3; k++ {
		gi[k] = (c/uu*u[k] - v[k]) / s
		gk[k] = (c/vv*v[k] - u[k]) / s
		gj[k] = -gi[k] - gk[k]
	}
	return theta, gi, gj, gk
}

// AngleOf returns the angle at j in radians (atan2 form).
func AngleOf(xi, xj, xk [3]float64) float64 {
	th, _, _, _ := AngleGrad(xi, xj, xk)
	return th
}

// DihedralGrad returns the dihedral φ(i,j,k,l) in (−π, π] and its gradient
// (Blondel & Karplus 1996). Collinear i-j-k or j-k-l give φ = 0 with zero gradient.
func DihedralGrad(xi, xj, xk, xl [3]float64) (phi float64, gi, gj, gk, gl [3]float64) {
	F := sub(xi, xj)
	G := sub(xj, xk)
	H := sub(xl, xk)
	A := cross(F, G)
	B := cross(H, G)
	gn := norm(G)
	a2, b2 := dot(A, A), dot(B, B)
	y := dot(cross(B, A), G) / gn
	xx := dot(A, B)
	phi = math.Atan2(y, xx)
	if a2 < forceTinySquared || b2 < forceTinySquared || gn == 0 {
		return phi, gi, gj, gk, gl
	}
	fg, hg := dot(F, G), dot(H, G)
	for k := 0; k < 3; k++ {
		gi[k] = -gn / a2 * A[k]
		gl[k] = gn / b2 * B[k]
		gj[k] = gn/a2*A[k] + fg/(a2*gn)*A[k] - hg/(b2*gn)*B[k]
		gk[k] = -gn/b2*B[k] - fg/(a2*gn)*A[k] + hg/(b2*gn)*B[k]
	}
	return phi, gi, gj, gk, gl
}

func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func dot(a, b [3]float64) float64    { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func norm(a [3]float64) float64      { return math.Sqrt(dot(a, a)) }
func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
