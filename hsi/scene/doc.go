// Package scene generates ip-like, a synthetic AVIRIS-like hyperspectral benchmark
// standing in for Indian Pines (which cannot be reached from erg's machines): 145×145
// pixels of 220 bands (400–2499 nm, the real Indian Pines band centres and FWHM from
// 92AV3C.spc), 16 classes named after Indian Pines' laid out as fields (Voronoi
// cells, several per class, with unlabelled margins and background), and three tiny
// classes of a few small patches (tens of pixels).
//
// Each pixel is a linear mixture of five endmembers: green vegetation (the ECOSTRESS
// red maple spectrum, its red edge shifted a few nm per class), dry vegetation
// (ECOSTRESS lichen), concrete (ECOSTRESS construction concrete), a parametric soil
// (a rising ramp with 1.4 and 1.9 µm water and a 2.2 µm clay feature) and a
// parametric water. Each class is a distinct mixture, close to others as in the real
// scene (the corn and soybean classes differ mainly in canopy cover). Abundances get
// a per-field offset and spatially correlated perturbations (Gaussian random fields,
// correlation length 5–15 px), then a per-pixel brightness of ±10%. Endmembers are
// resampled to the bands with Gaussian responses of each band's FWHM. Noise has an SNR
// of 100 in the VNIR falling to 30 at 2.5 µm; the water-absorption bands (104–108,
// 150–163, 220) keep 1% of the signal under the same noise, so they are useless; the
// corrected copy drops them (200 bands), like the corrected Indian Pines cube.
//
// The generator is deterministic given its seed; erg hsi scene records the SHA-256 of
// every file it writes.
//
// References:
//
//   - Baumgardner, Biehl, Landgrebe, "220 band AVIRIS hyperspectral image data set:
//     June 12, 1992 Indian Pine Test Site 3", Purdue University Research Repository, 2015.
//   - Keshava, Mustard, "Spectral unmixing", IEEE Signal Processing Magazine 19(1), 2002
//     (linear mixing).
package scene
