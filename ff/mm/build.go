package mm

import (
	"fmt"
	"math"

	"github.com/ergml/erg/ff/mol"
	"github.com/ergml/erg/ff/topology"
)

// LJ holds per-element Lennard-Jones parameters from UFF: A. K. Rappé, C. J.
// Casewit, K. S. Colwell, W. A. Goddard III, W. M. Skiff, "UFF, a full periodic
// table force field for molecular mechanics and molecular dynamics simulations",
// J. Am. Chem. Soc. 114, 10024 (1992), Table 1: x_i (the van der Waals minimum
// distance, Å) and D_i (well depth, kcal/mol) of the atom types H_, C_3, N_3,
// O_3, F_, S_3+2, Cl. σ = x_i/2^(1/6); combined in OpenMM by Lorentz-Berthelot
// rules (UFF itself uses geometric means; espaloma 0.3 keeps OpenFF's LJ fixed).
var LJ = map[mol.Element]Particle{
	mol.H:  uff(2.886, 0.044),
	mol.C:  uff(3.851, 0.105),
	mol.N:  uff(3.660, 0.069),
	mol.O:  uff(3.500, 0.060),
	mol.F:  uff(3.364, 0.050),
	mol.S:  uff(4.035, 0.274),
	mol.Cl: uff(3.947, 0.227),
}

func uff(x, d float64) Particle {
	return Particle{Sigma: x / math.Pow(2, 1.0/6) * NmPerAngstrom, Epsilon: d * KJPerKcal}
}

// Params are the learned (or given) valence parameters of one molecule, one entry
// per term of its topology, in OpenMM units. BondRef, BondK3 and BondK4 are the
// cubic and quartic stretch terms of quartic bonds (System.QuarticBonds); nil for
// harmonic bonds. ProperK[t][n-1] is the amplitude of
// periodicity n (1..6) with phase 0; a negative value is written as |k| with
// phase π (espaloma's convention). ImproperK[t] holds periodicities 1 and 2 of
// improper tuple t.
type Params struct {
	BondK, BondLength  []float64 // kJ/mol/nm², nm
	BondRef            []float64 // nm
	BondK3, BondK4     []float64 // kJ/mol/nm³, kJ/mol/nm⁴
	AngleK, AngleTheta []float64 // kJ/mol/rad², rad
	ProperK            [][6]float64
	ImproperK          [][2]float64
	Charges            []float64 // e
}

// Build assembles the System of a molecule from its topology and parameters;
// Lennard-Jones comes from the LJ table; 1-2 and 1-3 pairs are excluded and 1-4
// pairs scaled by Scale14LJ and Scale14Coulomb.
func Build(el []mol.Element, tp *topology.Topology, p Params) (*System, error) {
	if len(p.BondK) != len(tp.Bonds) || len(p.BondLength) != len(tp.Bonds) || len(p.AngleK) != len(tp.Angles) ||
		len(p.AngleTheta) != len(tp.Angles) || len(p.ProperK) != len(tp.Propers) || len(p.ImproperK) != len(tp.Impropers) ||
		len(p.Charges) != len(el) {
		return nil, fmt.Errorf("mm: parameter counts do not match the topology")
	}
	quartic := p.BondRef != nil || p.BondK3 != nil || p.BondK4 != nil
	if quartic && (len(p.BondRef) != len(tp.Bonds) || len(p.BondK3) != len(tp.Bonds) || len(p.BondK4) != len(tp.Bonds)) {
		return nil, fmt.Errorf("mm: quartic bond parameters: %d BondRef, %d BondK3, %d BondK4 for %d bonds", len(p.BondRef), len(p.BondK3), len(p.BondK4), len(tp.Bonds))
	}
	s := &System{QuarticBonds: quartic}
	for i, e := range el {
		lj, ok := LJ[e]
		if !ok {
			return nil, fmt.Errorf("mm: atom %d: no Lennard-Jones parameters for %s", i+1, e.Symbol())
		}
		s.Masses = append(s.Masses, e.Mass())
		s.Particles = append(s.Particles, Particle{Charge: p.Charges[i], Sigma: lj.Sigma, Epsilon: lj.Epsilon})
	}
	for t, b := range tp.Bonds {
		bo := Bond{I: b[0], J: b[1], Length: p.BondLength[t], K: p.BondK[t]}
		if quartic {
			bo.Ref, bo.K3, bo.K4 = p.BondRef[t], p.BondK3[t], p.BondK4[t]
		}
		s.Bonds = append(s.Bonds, bo)
	}
	for t, a := range tp.Angles {
		s.Angles = append(s.Angles, Angle{I: a[0], J: a[1], K: a[2], Theta: p.AngleTheta[t], KTheta: p.AngleK[t]})
	}
	add := func(dst *[]Torsion, q [4]int, n int, k float64) {
		if k == 0 {
			return
		}
		ph := 0.0
		if k < 0 {
			k, ph = -k, math.Pi
		}
		*dst = append(*dst, Torsion{I: q[0], J: q[1], K: q[2], L: q[3], Periodicity: n, Phase: ph, KPhi: k})
	}
	for t, q := range tp.Propers {
		for n := 1; n <= 6; n++ {
			add(&s.Propers, q, n, p.ProperK[t][n-1])
		}
	}
	for t, q := range tp.Impropers {
		for n := 1; n <= 2; n++ {
			add(&s.Impropers, q, n, p.ImproperK[t][n-1])
		}
	}
	s.addExceptions(tp)
	return s, nil
}

// NonbondedSystem is the System of the nonbonded terms alone (LJ table, the given
// charges, 1-2/1-3 excluded, 1-4 scaled), with masses.
func NonbondedSystem(el []mol.Element, tp *topology.Topology, charges []float64) (*System, error) {
	s := &System{}
	for i, e := range el {
		lj, ok := LJ[e]
		if !ok {
			return nil, fmt.Errorf("mm: atom %d: no Lennard-Jones parameters for %s", i+1, e.Symbol())
		}
		s.Masses = append(s.Masses, e.Mass())
		s.Particles = append(s.Particles, Particle{Charge: charges[i], Sigma: lj.Sigma, Epsilon: lj.Epsilon})
	}
	s.addExceptions(tp)
	return s, nil
}

func (s *System) addExceptions(tp *topology.Topology) {
	for _, q := range tp.Excluded {
		s.Exceptions = append(s.Exceptions, Exception{I: q[0], J: q[1], Sigma: 0.1})
	}
	for _, q := range tp.Pairs14 {
		a, b := s.Particles[q[0]], s.Particles[q[1]]
		s.Exceptions = append(s.Exceptions, Exception{I: q[0], J: q[1], ChargeProd: Scale14Coulomb * a.Charge * b.Charge,
			Sigma: 0.5 * (a.Sigma + b.Sigma), Epsilon: Scale14LJ * math.Sqrt(a.Epsilon*b.Epsilon)})
	}
}
