#!/usr/bin/python3
"""FEniCS (DOLFINx 0.5, Debian python3-dolfinx-real) reference solutions for the erg fem tests.

Regenerate the golden files with

    /usr/bin/python3 scripts/fem/golden.py fem/testdata

Each case writes <name>.csv with one row per dof: x,y,u (y = 0 in 1-D), in DOLFINx's
dof order; the Go tests match rows to erg's dofs by coordinates. Coefficients (kappa, f,
g, h, u0) are interpolated into the solution space, so every integral is polynomial and
both programs integrate it exactly: solutions must agree to round-off / solver tolerance.
Linear systems are solved with LU (PETSc preonly+lu). The problem definitions are
mirrored in fem/fenics_test.go; change both together.

The unstructured mesh case also needs Gmsh (Debian gmsh, python3-gmsh): it meshes a
rectangle with a hole, saves it as fem/testdata/hole_v2.msh (ASCII 2.2) and hole_v4.msh
(ASCII 4.1), reads it back with dolfinx.io.gmshio and solves on it.
"""
import logging
import os
import sys

import numpy as np
import ufl
from dolfinx import fem, mesh
from dolfinx.fem.petsc import LinearProblem, NonlinearProblem
from dolfinx.nls.petsc import NewtonSolver
from mpi4py import MPI
from petsc4py import PETSc

logging.getLogger().setLevel(logging.WARNING)  # silence FFCx JIT build logs
COMM = MPI.COMM_WORLD
LU = {"ksp_type": "preonly", "pc_type": "lu"}


def kappa_expr(x):
    return 1 + 0.5 * np.sin(2 * np.pi * x[0]) * np.cos(np.pi * x[1])


def f_expr(x):
    return 10 * np.exp(-20 * ((x[0] - 0.4) ** 2 + (x[1] - 0.6) ** 2))


def g_expr(x):
    return 1 + x[0] ** 2 + 2 * x[1] ** 2


def h_expr(x):
    return x[0] * (1 - x[0]) + 0.5


def interp(V, fn):
    u = fem.Function(V)
    u.interpolate(fn)
    return u


def square(n):
    return mesh.create_unit_square(COMM, n, n, mesh.CellType.triangle, diagonal=mesh.DiagonalType.right)


def boundary_bc(V, msh, g, where=None):
    tdim = msh.topology.dim
    if where is None:
        where = lambda x: np.full(x.shape[1], True)
    facets = mesh.locate_entities_boundary(msh, tdim - 1, where)
    dofs = fem.locate_dofs_topological(V, tdim - 1, facets)
    return fem.dirichletbc(g, dofs)


def write(outdir, name, V, u):
    x = V.tabulate_dof_coordinates()
    data = np.column_stack([x[:, 0], x[:, 1], u.x.array])
    path = os.path.join(outdir, name + ".csv")
    np.savetxt(path, data, delimiter=",", header="x,y,u", comments="", fmt="%.17g")
    print("wrote", path, len(data), "dofs")


def poisson(outdir, name, n, p, neumann=False):
    msh = square(n)
    V = fem.FunctionSpace(msh, ("Lagrange", p))
    kappa, f, g = interp(V, kappa_expr), interp(V, f_expr), interp(V, g_expr)
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    a = kappa * ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx
    L = f * v * ufl.dx
    if neumann:
        # Dirichlet on x=0 and x=1; flux kappa du/dn = h on y=0 and y=1.
        bc = boundary_bc(V, msh, g, lambda x: np.isclose(x[0], 0) | np.isclose(x[0], 1))
        fdim = msh.topology.dim - 1
        tb = mesh.locate_entities_boundary(msh, fdim, lambda x: np.isclose(x[1], 0) | np.isclose(x[1], 1))
        mt = mesh.meshtags(msh, fdim, np.sort(tb), np.full(len(tb), 1, dtype=np.int32))
        ds = ufl.Measure("ds", domain=msh, subdomain_data=mt)
        L = L + interp(V, h_expr) * v * ds(1)
    else:
        bc = boundary_bc(V, msh, g)
    uh = LinearProblem(a, L, bcs=[bc], petsc_options=LU).solve()
    write(outdir, name, V, uh)


def interval(outdir, name, n, p):
    msh = mesh.create_interval(COMM, n, [0.0, 1.0])
    V = fem.FunctionSpace(msh, ("Lagrange", p))
    kappa = interp(V, lambda x: 1 + x[0] ** 2)
    f = interp(V, lambda x: np.sin(3 * x[0]))
    g = interp(V, lambda x: x[0])
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    a = kappa * ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx
    L = f * v * ufl.dx
    uh = LinearProblem(a, L, bcs=[boundary_bc(V, msh, g)], petsc_options=LU).solve()
    write(outdir, name, V, uh)


def newton(problem, u, rtol=1e-13):
    s = NewtonSolver(COMM, problem)
    s.convergence_criterion = "incremental"
    s.rtol = rtol
    s.atol = 1e-14
    s.max_it = 50
    ksp = s.krylov_solver
    ksp.setType("preonly")
    ksp.getPC().setType("lu")
    return s.solve(u)


def nonlinear(outdir, name, n):
    """-div((1+u^2) grad u) = f, u = g on the boundary, Newton from u = g inside too."""
    msh = square(n)
    V = fem.FunctionSpace(msh, ("Lagrange", 1))
    f, g = interp(V, f_expr), interp(V, g_expr)
    u = fem.Function(V)
    u.x.array[:] = 0.0
    v = ufl.TestFunction(V)
    F = (1 + u ** 2) * ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx - f * v * ufl.dx
    bc = boundary_bc(V, msh, g)
    its, conv = newton(NonlinearProblem(F, u, bcs=[bc]), u)
    assert conv
    print(name, "newton iterations", its)
    write(outdir, name, V, u)


def heat(outdir, name, n, dt, steps):
    """u_t - div(kappa grad u) = f, backward Euler, u = 0 on the boundary."""
    msh = square(n)
    V = fem.FunctionSpace(msh, ("Lagrange", 1))
    kappa, f = interp(V, kappa_expr), interp(V, f_expr)
    u0 = interp(V, lambda x: np.sin(np.pi * x[0]) * np.sin(np.pi * x[1]))
    zero = fem.Function(V)
    bc = boundary_bc(V, msh, zero)
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    a = u * v * ufl.dx + dt * kappa * ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx
    L = (u0 + dt * f) * v * ufl.dx
    prob = LinearProblem(a, L, bcs=[bc], petsc_options=LU)
    for _ in range(steps):
        uh = prob.solve()
        u0.x.array[:] = uh.x.array
    write(outdir, name, V, u0)


def allen_cahn(outdir, name, n, eps, dt, steps):
    """u_t - eps div grad u + u^3 - u = 0, backward Euler + Newton, natural (zero-flux) boundary."""
    msh = square(n)
    V = fem.FunctionSpace(msh, ("Lagrange", 1))
    u0 = interp(V, lambda x: 0.5 * np.sin(2 * np.pi * x[0]) * np.cos(3 * np.pi * x[1]))
    u = fem.Function(V)
    u.x.array[:] = u0.x.array
    v = ufl.TestFunction(V)
    F = ((u - u0) / dt * v + eps * ufl.inner(ufl.grad(u), ufl.grad(v)) + (u ** 3 - u) * v) * ufl.dx
    prob = NonlinearProblem(F, u, bcs=[])
    for _ in range(steps):
        its, conv = newton(prob, u)
        assert conv
        u0.x.array[:] = u.x.array
    write(outdir, name, V, u)


def hole_mesh(outdir):
    """[0,2]x[0,1] minus the disk of radius 0.2 at (0.6, 0.5); physical tags: surface 1,
    outer boundary 1, hole boundary 2."""
    import gmsh
    gmsh.initialize()
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.model.add("hole")
    rect = gmsh.model.occ.addRectangle(0, 0, 0, 2, 1)
    disk = gmsh.model.occ.addDisk(0.6, 0.5, 0, 0.2, 0.2)
    out, _ = gmsh.model.occ.cut([(2, rect)], [(2, disk)])
    gmsh.model.occ.synchronize()
    surf = out[0][1]
    outer, hole = [], []
    for dim, tag in gmsh.model.getBoundary([(2, surf)], oriented=False):
        com = gmsh.model.occ.getCenterOfMass(dim, tag)
        (hole if abs(com[0] - 0.6) < 0.25 and abs(com[1] - 0.5) < 0.25 else outer).append(tag)
    gmsh.model.addPhysicalGroup(2, [surf], 1)
    gmsh.model.addPhysicalGroup(1, outer, 1)
    gmsh.model.addPhysicalGroup(1, hole, 2)
    gmsh.option.setNumber("Mesh.MeshSizeMax", 0.1)
    gmsh.option.setNumber("Mesh.RandomSeed", 1)
    gmsh.model.mesh.generate(2)
    gmsh.option.setNumber("Mesh.Binary", 0)
    gmsh.option.setNumber("Mesh.MshFileVersion", 2.2)
    gmsh.write(os.path.join(outdir, "hole_v2.msh"))
    gmsh.option.setNumber("Mesh.MshFileVersion", 4.1)
    gmsh.write(os.path.join(outdir, "hole_v4.msh"))
    gmsh.finalize()


def hole(outdir, name, p):
    """On the Gmsh mesh: -div(kappa grad u) = f, u = g on the outer boundary (tag 1),
    kappa du/dn = h on the hole (tag 2)."""
    import gmsh
    from dolfinx.io import gmshio
    # gmshio.read_from_msh has a NameError bug in DOLFINx 0.5.2; open the file ourselves.
    gmsh.initialize()
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.open(os.path.join(outdir, "hole_v4.msh"))
    msh, _, ft = gmshio.model_to_mesh(gmsh.model, COMM, 0, gdim=2)
    gmsh.finalize()
    V = fem.FunctionSpace(msh, ("Lagrange", p))
    kappa, f, g, h = interp(V, kappa_expr), interp(V, f_expr), interp(V, g_expr), interp(V, h_expr)
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    ds = ufl.Measure("ds", domain=msh, subdomain_data=ft)
    a = kappa * ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx
    L = f * v * ufl.dx + h * v * ds(2)
    dofs = fem.locate_dofs_topological(V, 1, ft.find(1))
    uh = LinearProblem(a, L, bcs=[fem.dirichletbc(g, dofs)], petsc_options=LU).solve()
    write(outdir, name, V, uh)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "fem/testdata"
    os.makedirs(outdir, exist_ok=True)
    poisson(outdir, "fenics_p1_poisson_n16", 16, 1)
    poisson(outdir, "fenics_p2_poisson_n8", 8, 2)
    poisson(outdir, "fenics_p1_neumann_n16", 16, 1, neumann=True)
    interval(outdir, "fenics_p1_interval_n20", 20, 1)
    interval(outdir, "fenics_p2_interval_n10", 10, 2)
    nonlinear(outdir, "fenics_p1_nonlinear_n16", 16)
    heat(outdir, "fenics_p1_heat_n16", 16, 0.01, 10)
    allen_cahn(outdir, "fenics_p1_allencahn_n16", 16, 0.01, 0.05, 10)
    try:
        import gmsh  # noqa: F401
    except ImportError:
        print("gmsh (python3-gmsh) not installed: skipping the unstructured-mesh cases")
        return
    hole_mesh(outdir)
    hole(outdir, "fenics_p1_hole", 1)
    hole(outdir, "fenics_p2_hole", 2)


if __name__ == "__main__":
    main()
