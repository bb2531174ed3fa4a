// Package ff is erg's learned molecular-mechanics force field: a graph network
// assigns class-I MM parameters (bonds, angles, proper and improper torsions,
// charges) from the molecular graph, trained on GFN2-xTB energies and forces, and
// exports them as an OpenMM System XML.
//
// The parts live in sub-packages: mol (SDF/MOL2/XYZ readers, bond perception,
// graph features from connectivity only), topology (bonds, angles, torsions,
// trefoil impropers, 1-4 and excluded pairs), mm (the float64 MM energy and forces
// and the OpenMM XML writer/reader) and data (the RDKit + xtb data pipeline).
//
// References:
//
//	Takaba K. et al., "Machine-learned molecular mechanics force fields from large-scale
//	quantum chemical data", Chem. Sci. 15, 12861 (2024) (espaloma 0.3);
//	code github.com/choderalab/espaloma and github.com/choderalab/refit-espaloma.
//	Wang Y., Fass J., Chodera J. D., "End-to-end differentiable construction of
//	molecular mechanics force fields", Chem. Sci. 13, 12016 (2022).
//	Bannwarth C., Ehlert S., Grimme S., "GFN2-xTB", J. Chem. Theory Comput. 15, 1652 (2019).
package ff
