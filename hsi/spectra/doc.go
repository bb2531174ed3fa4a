// Package spectra reads spectral tables: AVIRIS band calibration files (.spc: band
// centre, FWHM and their standard deviations, as the Indian Pines 92AV3C.spc) and
// ECOSTRESS (formerly ASTER) spectral library text files (a "Key: value" header, a
// blank line, then wavelength–value pairs), and resamples a spectrum to a sensor's
// bands with Gaussian spectral response functions.
//
// python3-spectral ships both as test data (TestData finds them): 92AV3C.spc, the 220
// AVIRIS bands of Indian Pines (400–2499 nm), and three real ECOSTRESS spectra:
// construction concrete (0.3–15 µm), lichen and red maple (Acer rubrum, 0.35–2.5 µm).
//
// References:
//
//   - Meerdink et al., "The ECOSTRESS spectral library version 1.0", Remote Sensing
//     of Environment 230, 2019.
//   - Boggs, Spectral Python (SPy): spectral.io.aviris.read_aviris_bands and
//     spectral.database.ecostress.read_ecostress_file, whose parsing this follows.
package spectra
