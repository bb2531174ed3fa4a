// Package mol reads molecules for erg's force field: MDL SD files (V2000), Tripos
// MOL2 and XYZ (bonds perceived from covalent radii), checks them against what
// the force field covers (elements C/H/N/O/F/S/Cl, neutral, closed shell, one
// fragment, sane geometry and valence) with errors naming file, line and atom,
// and computes atom features from connectivity only.
package mol
