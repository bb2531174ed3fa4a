// Package marronwand provides the 15 normal-mixture test densities of Marron and Wand
// (1992, Table 1): density, sampling and the true number of modes.
//
// References:
//
//   - Marron, J.S. and Wand, M.P. (1992). Exact mean integrated squared error. Ann.
//     Statist. 20, 712–736.
package marronwand
