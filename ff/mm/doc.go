// Package mm is the float64 class-I molecular-mechanics energy of erg's force
// field, in OpenMM's units and functional forms (nm, kJ/mol, rad, e), with
// analytic forces, and its exchange format: an OpenMM System XML (HarmonicBondForce
// or the CustomBondForce QuarticBondForce, HarmonicAngleForce, PeriodicTorsionForce
// for propers and another for impropers, NonbondedForce with NoCutoff and
// exceptions; one force group per term).
//
//	bond      E = ½ k (r − r0)²                                  (HarmonicBondForce)
//	          E = ½ k (r − r0)² + k3 (r − rc)³ + k4 (r − rc)⁴     (QuarticBondForce, System.QuarticBonds;
//	          MMFF94's stretch polynomial, Halgren, J. Comput. Chem. 17, 490 (1996))
//	angle     E = ½ k (θ − θ0)²          θ = atan2(|u×v|, u·v), finite at 180°
//	torsion   E = k (1 + cos(n φ − φ0))  φ = atan2 form (IUPAC sign)
//	nonbonded E = 4ε[(σ/r)¹² − (σ/r)⁶] + f qᵢqⱼ/r, f = 138.935456 kJ nm/(mol e²),
//	          σ = (σᵢ+σⱼ)/2, ε = √(εᵢεⱼ) (Lorentz-Berthelot) unless an exception says otherwise
//
// References: OpenMM user guide, "Standard Forces" (HarmonicBondForce ...
// NonbondedForce); OpenMM platforms/reference/src/SimTKReference
// (ReferenceBondIxn, ReferenceProperDihedralBond, ReferenceLJCoulombIxn);
// Blondel A., Karplus M., J. Comput. Chem. 17, 1132 (1996) for the dihedral gradient.
package mm
