#!/usr/bin/python3
"""Writes ff/mol/testdata: small molecules as V2000 SDF, V3000 SDF, MOL2-free XYZ, by RDKit
(python3-rdkit 2022.09, ETKDGv3 seed 7 + MMFF94). Run from the repository root."""
from rdkit import Chem
from rdkit.Chem import AllChem

out = "ff/mol/testdata/"
for name, smi in [("methane", "C"), ("water", "O"), ("ethyne", "C#C"), ("ethanol", "CCO"),
                  ("benzene", "c1ccccc1"), ("acetamide", "CC(N)=O"), ("acetate", "CC(=O)[O-]"),
                  ("bromomethane", "CBr"), ("methylsulfonylmethane", "CS(C)(=O)=O")]:
    m = Chem.AddHs(Chem.MolFromSmiles(smi))
    ps = AllChem.ETKDGv3(); ps.randomSeed = 7
    AllChem.EmbedMolecule(m, ps)
    AllChem.MMFFOptimizeMolecule(m)
    m.SetProp("_Name", name)
    w = Chem.SDWriter(out + name + ".sdf"); w.write(m); w.close()
    Chem.MolToXYZFile(m, out + name + ".xyz")
    if name == "ethanol":
        w = Chem.SDWriter(out + name + "_v3000.sdf"); w.SetForceV3000(True); w.write(m); w.close()
