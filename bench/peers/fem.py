#!/usr/bin/python3
"""FEniCS (DOLFINx 0.5) side of `erg bench fem`: assemble and solve the 2-D P1 Poisson
problem -div(kappa grad u) = f on the unit square (create_unit_square, diagonal=right),
u = g on the boundary, with kappa, f, g interpolated into P1 -- the same problem erg solves.

    /usr/bin/python3 bench/peers/fem.py --n 64,256 --reps 10

Each workload is timed warm: forms are compiled and one solve is run first, then the
median wall time of --reps calls of LinearProblem.solve() (matrix and vector assembly,
Dirichlet lifting, PETSc CG with ICC(0), relative unpreconditioned residual 1e-10) is
reported. Prints one JSON line keyed by workload name (poisson2d-p1-<n>):
{"peer": "DOLFINx 0.5.2", "ms": {name: median ms}, "min_ms": {...}, "iterations": {...},
"dofs": {...}, "umax": {...}, "solver": "PETSc CG + ICC(0)"}.
"""
import argparse
import json
import logging
import time

import numpy as np
import ufl
import dolfinx
from dolfinx import fem, mesh
from dolfinx.fem.petsc import LinearProblem
from mpi4py import MPI

logging.getLogger().setLevel(logging.WARNING)


def workload(n, reps, tol):
    msh = mesh.create_unit_square(MPI.COMM_WORLD, n, n, mesh.CellType.triangle, diagonal=mesh.DiagonalType.right)
    V = fem.FunctionSpace(msh, ("Lagrange", 1))

    def interp(fn):
        u = fem.Function(V)
        u.interpolate(fn)
        return u

    kappa = interp(lambda x: 1 + 0.5 * np.sin(2 * np.pi * x[0]) * np.cos(np.pi * x[1]))
    f = interp(lambda x: 10 * np.exp(-20 * ((x[0] - 0.4) ** 2 + (x[1] - 0.6) ** 2)))
    g = interp(lambda x: 1 + x[0] ** 2 + 2 * x[1] ** 2)
    facets = mesh.locate_entities_boundary(msh, 1, lambda x: np.full(x.shape[1], True))
    bc = fem.dirichletbc(g, fem.locate_dofs_topological(V, 1, facets))
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    a = kappa * ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx
    L = f * v * ufl.dx
    opts = {"ksp_type": "cg", "pc_type": "icc", "ksp_rtol": tol, "ksp_atol": 0.0, "ksp_norm_type": "unpreconditioned"}
    prob = LinearProblem(a, L, bcs=[bc], petsc_options=opts)
    prob.solve()  # warm: JIT, sparsity, first factorisation
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        uh = prob.solve()
        times.append(time.perf_counter() - t0)
    its = prob.solver.getIterationNumber()
    return {"n": n, "ms": 1e3 * float(np.median(times)), "min_ms": 1e3 * min(times), "iterations": its,
            "dofs": V.dofmap.index_map.size_global, "umax": float(uh.x.array.max())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", default="64,256")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--tol", type=float, default=1e-10)
    args = ap.parse_args()
    out = {"peer": "DOLFINx " + dolfinx.__version__, "solver": "PETSc CG + ICC(0)", "rtol": args.tol,
           "ms": {}, "min_ms": {}, "iterations": {}, "dofs": {}, "umax": {}}
    for n in args.n.split(","):
        w = workload(int(n), args.reps, args.tol)
        name = "poisson2d-p1-%d" % w["n"]
        for key in ("ms", "min_ms", "iterations", "dofs", "umax"):
            out[key][name] = w[key]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
