// Package fem is a finite-element library for the parametric PDEs that
// physics-driven models are trained on: continuous P1 and P2 Lagrange elements
// on 1-D intervals and 2-D triangle meshes (package fem/mesh), assembly into
// sparse CSR matrices (package fem/sparse), Dirichlet and Neumann boundaries,
// linear solvers (CG with Jacobi, IC(0) or MIC(0) preconditioning; a band LU
// for small or non-symmetric systems), Newton's method for the nonlinear
// Poisson problem −∇·((1+u²)∇u) = f, and implicit time stepping for the heat
// equation and reaction–diffusion.
//
// A Space numbers the degrees of freedom of a mesh; P1 dofs are the mesh nodes,
// so on mesh.UnitSquare they are in FEniCS's create_unit_square order. Forms
// take coefficients as Fields: Const, Func (a function of position) or Nodal
// (values at the dofs, the way parameters θ of κ(x; θ) = Σ θ_a φ_a(x) enter).
//
// The pieces are exposed for reuse by learning code (PDDLVM, PINNs):
// ElementStiffness, ElementMass and ElementLoad give cell matrices;
// AddStiffness, AddMass, AddLoad and AddNeumann assemble into a matrix from
// Space.Pattern; Dirichlet.Apply / Lift / Set handle essential conditions;
// Poisson.Residual and NonlinearPoisson.Residual return the discrete residual
// r(u, θ) = A(θ)u − f (u − g on Dirichlet dofs), NonlinearPoisson.Jacobian its
// derivative, and Space.KappaGradient the derivative of wᵀA(θ)u with respect
// to nodal θ.
//
// Verification (see the tests): manufactured solutions give the expected
// orders (P1: L2 O(h²), H1 O(h); P2: O(h³), O(h²)), Newton converges
// quadratically, the θ-method has temporal order 1 (backward Euler) and 2
// (Crank–Nicolson), and solutions agree with FEniCS/DOLFINx 0.5 on the same
// meshes to round-off (golden files made by scripts/fem/golden.py).
//
// References:
//   - M. Vadeboncoeur, Ö. D. Akyildiz, I. Kazlauskaite, M. Girolami, F. Cirak,
//     Fully probabilistic deep models for forward and inverse problems in
//     parametric PDEs (PDDLVM), J. Comput. Phys. 491 (2023).
//   - Z. Hao et al., Physics-informed machine learning: a survey on problems,
//     methods and applications, arXiv:2211.08064 (2022).
//   - S. C. Brenner, L. R. Scott, The Mathematical Theory of Finite Element
//     Methods, 3rd ed., Springer (2008).
//   - I. A. Baratta et al., DOLFINx: the next generation FEniCS problem solving
//     environment, Zenodo 10.5281/zenodo.10447666 (2023).
//   - J. A. Meijerink, H. A. van der Vorst, An iterative solution method for
//     linear systems of which the coefficient matrix is a symmetric M-matrix,
//     Math. Comp. 31 (1977); I. Gustafsson, A class of first order
//     factorization methods, BIT 18 (1978).
//   - D. A. Dunavant, High degree efficient symmetrical Gaussian quadrature
//     rules for the triangle, Int. J. Numer. Meth. Eng. 21 (1985).
package fem
