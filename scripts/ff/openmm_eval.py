#!/usr/bin/python3
"""OpenMM 7.7 reference for erg ff (python3-simtk): reads a System XML and positions
(JSON list of [x,y,z] in nm) and prints per-force-group energies (kJ/mol) and forces
(kJ/mol/nm) on the Reference platform, plus the outcome of a 1 ps Langevin run at 300 K
(1 fs steps, friction 1/ps, seed 1) as JSON. Used by ff/mm's TestOpenMM.

usage: openmm_eval.py system.xml positions.json [system2.xml positions2.json ...]
(one JSON object per pair, one per line)
"""
import json
import math
import sys

import openmm as mm
from openmm import unit

for xml_path, pos_path in zip(sys.argv[1::2], sys.argv[2::2]):
    with open(xml_path) as f:
        system = mm.XmlSerializer.deserialize(f.read())
    with open(pos_path) as f:
        pos = json.load(f)
    groups = {}
    for force in system.getForces():
        groups[force.getForceGroup()] = force.getName()
    integ = mm.VerletIntegrator(0.001)
    ctx = mm.Context(system, integ, mm.Platform.getPlatformByName("Reference"))
    ctx.setPositions([mm.Vec3(*p) for p in pos] * unit.nanometer)
    out = {"groups": {}, "group_forces": {}}
    for g, name in groups.items():
        st = ctx.getState(getEnergy=True, getForces=True, groups={g})
        out["groups"][name] = st.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
        out["group_forces"][name] = [list(v) for v in st.getForces(asNumpy=False).value_in_unit(unit.kilojoule_per_mole / unit.nanometer)]
    st = ctx.getState(getEnergy=True, getForces=True)
    out["total"] = st.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
    out["forces"] = [list(v) for v in st.getForces().value_in_unit(unit.kilojoule_per_mole / unit.nanometer)]
    li = mm.LangevinIntegrator(300 * unit.kelvin, 1 / unit.picosecond, 0.001 * unit.picoseconds)
    li.setRandomNumberSeed(1)
    c2 = mm.Context(system, li, mm.Platform.getPlatformByName("Reference"))
    c2.setPositions([mm.Vec3(*p) for p in pos] * unit.nanometer)
    c2.setVelocitiesToTemperature(300 * unit.kelvin, 1)
    li.step(1000)
    s2 = c2.getState(getEnergy=True, getPositions=True)
    e = s2.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
    p = s2.getPositions(asNumpy=False).value_in_unit(unit.nanometer)
    out["langevin_1ps"] = {"potential_kj_mol": e if math.isfinite(e) else None,
                           "finite": math.isfinite(e) and all(math.isfinite(c) for v in p for c in v),
                           "max_abs_coordinate_nm": max(abs(c) for v in p for c in v)}
    print(json.dumps(out))
