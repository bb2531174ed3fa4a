#!/usr/bin/python3
"""Writes pinn/testdata/sobol_scipy.json: the first 256 points of the unscrambled
Sobol' sequence in 10 dimensions from SciPy's qmc.Sobol (Joe-Kuo direction numbers),
the reference of pinn's TestSobolMatchesSciPy.

Run from the repository root with Debian's python3-scipy:
    /usr/bin/python3 scripts/pddlvm/sobol_golden.py
"""
import json

import scipy
from scipy.stats import qmc

pts = qmc.Sobol(d=10, scramble=False).random(256)
with open("pinn/testdata/sobol_scipy.json", "w") as f:
    json.dump({"scipy": scipy.__version__, "dim": 10, "points": pts.tolist()}, f)
