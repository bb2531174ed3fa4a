// Package sparse provides the sparse linear algebra of package fem: CSR
// matrices built from finite-element connectivity, preconditioned conjugate
// gradients with Jacobi, IC(0) and modified IC (MIC(0)) preconditioners, BiCGSTAB
// for non-symmetric systems, a band LU direct solver with partial pivoting,
// and the reverse Cuthill–McKee ordering.
//
// References:
//   - M. R. Hestenes, E. Stiefel, Methods of conjugate gradients for solving
//     linear systems, J. Res. Nat. Bur. Standards 49 (1952).
//   - J. A. Meijerink, H. A. van der Vorst, Math. Comp. 31 (1977) (IC(0));
//     I. Gustafsson, BIT 18 (1978) (MIC); T. A. Manteuffel, An incomplete
//     factorization technique for positive definite linear systems, Math.
//     Comp. 34 (1980) (diagonal shifts).
//   - H. A. van der Vorst, Bi-CGSTAB, SIAM J. Sci. Stat. Comput. 13 (1992).
//   - A. George, J. W. H. Liu, Computer Solution of Large Sparse Positive
//     Definite Systems, Prentice-Hall (1981) (RCM, pseudo-peripheral nodes).
//   - E. Anderson et al., LAPACK Users' Guide (dgbtf2/dgbtrs band LU).
package sparse
