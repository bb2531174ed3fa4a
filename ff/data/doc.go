// Package data makes and reads erg's force-field training data: molecules from an
// RDKit SMILES file, 8 seeded ETKDG conformers each, MMFF94-relaxed, each with 3
// copies displaced by N(0, 0.1 Å), labelled with GFN2-xTB energies, gradients and
// charges and with the MMFF94 energy and gradient (the baseline to beat).
//
// Generate runs the embedded script ffdata.py with Debian's /usr/bin/python3
// (python3-rdkit) and xtb (2 workers, OMP_NUM_THREADS=1); Load reads the per-molecule
// SD files it writes (DIR/{train,val,test}/<id>.sdf and summary.json), checking
// what xtb does not (NaN labels, atom order, geometry, electron count).
//
// References: espaloma 0.3 data curation (refit-espaloma README: molecules whose
// conformers span more than 0.1 Eh are trimmed; 80/10/10 split by molecule, seed
// 2666); RDKit ETKDGv3 and MMFF94 (rdForceFieldHelpers); xtb 6.5.1 --gfn 2 --grad.
package data
