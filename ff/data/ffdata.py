#!/usr/bin/python3
"""erg ff data: conformers (RDKit ETKDG + MMFF94), GFN2-xTB labels, MMFF94 baseline.

Run by `erg ff data` (embedded in the erg binary; package ff/data). Needs Debian's
python3-rdkit (load with /usr/bin/python3) and xtb. One output SDF per molecule,
one record per geometry, labels as SDF properties with units in their names:

  xtb_energy_hartree, xtb_gradient_hartree_bohr (3N, atom-major), xtb_charges_e (N),
  mmff94_energy_kcal_mol, mmff94_gradient_kcal_mol_angstrom (3N),
  erg_conformer (0..7), erg_displaced (0 = MMFF minimum, 1..3 = displaced copy).

Resumable per molecule: a molecule whose SDF exists is skipped; files are written
to a temporary name and renamed. Checks xtb does not make (xtb exits 0 on these):
odd electron count and atoms closer than 0.5 A are rejected before xtb runs.
"""
import argparse
import csv
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

from rdkit import Chem, RDLogger
from rdkit.Chem import AllChem
from rdkit.Chem import rdForceFieldHelpers as FFH

RDLogger.DisableLog("rdApp.*")

ELEMENTS = {"C", "H", "N", "O", "F", "S", "Cl"}
BOHR_PER_ANGSTROM = 1.0 / 0.52917721067


def reject_reason(mol, lo, hi):
    if mol is None:
        return "unparsable SMILES"
    for a in mol.GetAtoms():
        if a.GetSymbol() not in ELEMENTS:
            return "element %s outside C/H/N/O/F/S/Cl" % a.GetSymbol()
    for a in mol.GetAtoms():
        if a.GetFormalCharge() != 0:
            return "charged atom %d (%s, formal charge %+d)" % (a.GetIdx(), a.GetSymbol(), a.GetFormalCharge())
        if a.GetNumRadicalElectrons() != 0:
            return "odd-electron (radical) atom %d" % a.GetIdx()
    if len(Chem.GetMolFrags(mol)) != 1:
        return "%d fragments" % len(Chem.GetMolFrags(mol))
    n = mol.GetNumHeavyAtoms()
    if n < lo or n > hi:
        return "%d heavy atoms outside %d-%d" % (n, lo, hi)
    return None


def select(args):
    """Filter the SMILES file; returns accepted [(line, name, smiles)] and writes rejected.csv."""
    acc, rej, seen = [], [], set()
    with open(args.smiles) as f:
        for ln, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            smi, name = parts[0], (parts[1] if len(parts) > 1 else str(ln))
            mol = Chem.MolFromSmiles(smi)
            why = reject_reason(mol, args.min_heavy, args.max_heavy)
            if why is None:
                can = Chem.MolToSmiles(mol)
                if can in seen:
                    why = "duplicate canonical SMILES"
                else:
                    seen.add(can)
                    acc.append((ln, name, can))
            if why is not None:
                rej.append((ln, name, smi, why))
    with open(os.path.join(args.out, "rejected.csv.tmp"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["line", "name", "smiles", "reason"])
        w.writerows(rej)
    os.replace(os.path.join(args.out, "rejected.csv.tmp"), os.path.join(args.out, "rejected.csv"))
    return acc, rej


def run_xtb(xtb, symbols, xyz, workdir):
    with open(os.path.join(workdir, "mol.xyz"), "w") as f:
        f.write("%d\n\n" % len(symbols))
        for s, (x, y, z) in zip(symbols, xyz):
            f.write("%s %.10f %.10f %.10f\n" % (s, x, y, z))
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", OMP_STACKSIZE="64M")
    p = subprocess.run([xtb, "mol.xyz", "--gfn", "2", "--grad", "--chrg", "0", "--uhf", "0"], cwd=workdir,
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if p.returncode != 0:
        raise RuntimeError("xtb exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-300:]))
    n = len(symbols)
    with open(os.path.join(workdir, "gradient")) as f:
        lines = f.read().split("\n")
    e = float(lines[1].split("SCF energy =")[1].split()[0])
    grad = []
    for l in lines[2 + n:2 + 2 * n]:
        grad.extend(float(v.replace("D", "E")) for v in l.split())
    with open(os.path.join(workdir, "charges")) as f:
        q = [float(v) for v in f.read().split()]
    if len(grad) != 3 * n or len(q) != n:
        raise RuntimeError("xtb output has %d gradient values and %d charges for %d atoms" % (len(grad), len(q), n))
    for name in ("gradient", "charges", "energy", "mol.engrad", "wbo", "xtbrestart", "xtbtopo.mol", "charges"):
        try:
            os.remove(os.path.join(workdir, name))
        except OSError:
            pass
    return e, grad, q


def min_distance(xyz):
    d = math.inf
    for i in range(len(xyz)):
        for j in range(i):
            d = min(d, math.dist(xyz[i], xyz[j]))
    return d


def fmt(v):
    return " ".join("%.10g" % x for x in v)


def do_molecule(job):
    args, idx, line, name, smi, split = job
    mid = "m%05d" % line
    path = os.path.join(args.out, split, mid + ".sdf")
    if os.path.exists(path):
        return mid, "done", 0
    t0 = time.time()
    mol = Chem.AddHs(Chem.MolFromSmiles(smi))
    nel = sum(a.GetAtomicNum() for a in mol.GetAtoms())
    if nel % 2 != 0:
        return mid, "odd electron count %d" % nel, 0
    ps = AllChem.ETKDGv3()
    ps.randomSeed = args.seed + line
    nconf = max(1, args.confs // 4)
    cids = list(AllChem.EmbedMultipleConfs(mol, numConfs=nconf, params=ps))
    if len(cids) == 0:
        return mid, "ETKDG embedding failed", 0
    props = FFH.MMFFGetMoleculeProperties(mol)
    if props is None:
        return mid, "no MMFF94 parameters", 0
    FFH.MMFFOptimizeMoleculeConfs(mol, maxIters=2000)
    rng = random.Random(args.seed * 1000003 + line)
    symbols = [a.GetSymbol() for a in mol.GetAtoms()]
    work = tempfile.mkdtemp(prefix="ergff-")
    records = []
    calls = 0
    try:
        for c in cids:
            base = mol.GetConformer(c).GetPositions().tolist()
            for d in range(4):
                if d == 0:
                    xyz = [list(p) for p in base]
                else:
                    xyz = [[p[0] + rng.gauss(0, args.sigma), p[1] + rng.gauss(0, args.sigma), p[2] + rng.gauss(0, args.sigma)] for p in base]
                if min_distance(xyz) < 0.5:
                    continue
                conf = mol.GetConformer(c)
                m2 = Chem.Mol(mol)
                m2.RemoveAllConformers()
                cf = Chem.Conformer(mol.GetNumAtoms())
                for i, p in enumerate(xyz):
                    cf.SetAtomPosition(i, p)
                m2.AddConformer(cf, assignId=True)
                ff = FFH.MMFFGetMoleculeForceField(m2, FFH.MMFFGetMoleculeProperties(m2))
                em = ff.CalcEnergy()
                gm = ff.CalcGrad()
                e, g, q = run_xtb(args.xtb, symbols, xyz, work)
                calls += 1
                if not all(map(math.isfinite, [e, em] + list(g) + list(gm) + list(q))):
                    continue
                m2.SetProp("_Name", mid)
                m2.SetProp("smiles", smi)
                m2.SetProp("nci_name", name)
                m2.SetIntProp("erg_conformer", c)
                m2.SetIntProp("erg_displaced", d)
                m2.SetProp("xtb_energy_hartree", "%.12f" % e)
                m2.SetProp("xtb_gradient_hartree_bohr", fmt(g))
                m2.SetProp("xtb_charges_e", fmt(q))
                m2.SetProp("mmff94_energy_kcal_mol", "%.10g" % em)
                m2.SetProp("mmff94_gradient_kcal_mol_angstrom", fmt(gm))
                records.append(m2)
    except Exception as ex:  # noqa: BLE001 -- reported per molecule
        return mid, "failed: %s" % ex, calls
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not records:
        return mid, "no geometry labelled", calls
    tmp = path + ".tmp"
    w = Chem.SDWriter(tmp)
    w.SetForceV3000(False)
    for r in records:
        w.write(r)
    w.close()
    os.replace(tmp, path)
    return mid, "ok %d %.2f" % (len(records), time.time() - t0), calls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smiles", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--molecules", type=int, default=600)
    ap.add_argument("--confs", type=int, default=32)
    ap.add_argument("--seed", type=int, default=2666)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--min-heavy", type=int, default=4)
    ap.add_argument("--max-heavy", type=int, default=12)
    ap.add_argument("--sigma", type=float, default=0.1)
    ap.add_argument("--xtb", default=shutil.which("xtb") or "xtb")
    args = ap.parse_args()
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    acc, rej = select(args)
    rng = random.Random(args.seed)
    order = list(range(len(acc)))
    rng.shuffle(order)
    chosen = [acc[i] for i in order[:args.molecules]]
    n = len(chosen)
    ntr, nva = int(round(0.8 * n)), int(round(0.1 * n))
    jobs = []
    for k, (line, name, smi) in enumerate(chosen):
        split = "train" if k < ntr else ("val" if k < ntr + nva else "test")
        os.makedirs(os.path.join(args.out, split), exist_ok=True)
        jobs.append((args, k, line, name, smi, split))
    # label test and val molecules first, so that a partial (interrupted) set can be evaluated
    jobs.sort(key=lambda j: {"test": 0, "val": 1, "train": 2}[j[5]])
    status, calls = {}, 0
    with Pool(args.workers) as pool:
        for i, (mid, st, c) in enumerate(pool.imap_unordered(do_molecule, jobs)):
            status[mid] = st
            calls += c
            print("%d/%d %s %s" % (i + 1, n, mid, st), file=sys.stderr, flush=True)
    done = [m for m, s in status.items() if s == "done" or s.startswith("ok")]
    failed = {m: s for m, s in status.items() if not (s == "done" or s.startswith("ok"))}
    summary = {
        "smiles_file": args.smiles, "seed": args.seed, "molecules_requested": args.molecules,
        "accepted_by_filter": len(acc), "rejected_by_filter": len(rej), "molecules": len(done),
        "failed": failed, "splits": {s: sum(1 for j in jobs if j[5] == s and ("m%05d" % j[2]) in done) for s in ("train", "val", "test")},
        "geometries_per_molecule": args.confs, "heavy_atoms": [args.min_heavy, args.max_heavy],
        "displacement_sigma_angstrom": args.sigma, "xtb_calls_this_invocation": calls,
        "seconds_this_invocation": time.time() - t0,
    }
    tmp = os.path.join(args.out, "summary.json.tmp")
    with open(tmp, "w") as f:
        json.dump(summary, f, indent=1)
    os.replace(tmp, os.path.join(args.out, "summary.json"))
    print(json.dumps({k: summary[k] for k in ("molecules", "accepted_by_filter", "rejected_by_filter", "seconds_this_invocation")}))


if __name__ == "__main__":
    main()
