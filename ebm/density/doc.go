// Package density provides the 2-D benchmark densities of the energy-based-model
// literature as seeded generators, and reads and writes user data sets of points
// (2-D or higher) as CSV files.
//
// The eight built-in densities follow the definitions of FFJORD's toy_data.py
// (8gaussians, 2spirals, checkerboard, pinwheel, moons, rings, swissroll) and, for
// 25gaussians, the energy-discrepancy notebook (a 5×5 grid of spacing 2, standard
// deviation 0.2, divided by 1.414). Where the original draws fixed linspace
// positions (moons, rings), the positions here are drawn uniformly, so that every
// point is an independent draw from the same distribution. All sets have most of
// their mass inside [-4, 4]².
//
// Every point is drawn from a math/rand/v2 PCG generator seeded explicitly, so
// Sample(name, n, seed) is reproducible.
//
// References:
//   - Grathwohl, Chen, Bettencourt, Sutskever & Duvenaud, "FFJORD: Free-form
//     continuous dynamics for scalable reversible generative models", ICLR 2019
//     (github.com/rtqichen/ffjord, lib/toy_data.py).
//   - Schröder, Ou, Lim, Zhao, Zhu & Duncan, "Energy discrepancies: a
//     score-independent loss for energy-based models", NeurIPS 2023
//     (github.com/J-zin/energy-discrepancy, notebooks/density_estimation.ipynb).
package density
