// Package rdata gives the real data sets of the mode case studies, exported from Debian's
// R packages with Rscript (they are not shipped with erg):
//
//	galaxies  velocity (km/s) of 82 galaxies (MASS::galaxies; Roeder 1990)
//	faithful  eruptions, waiting of Old Faithful, 272 (datasets::faithful)
//	geyser    waiting, duration of Old Faithful, 299 (MASS::geyser; Azzalini and Bowman 1990)
//	acidity   log acidity index of 155 lakes (mclust::acidity; Crawford et al. 1992)
//	stamps    thickness (mm) of 486 Hidalgo stamps (locfit::stamp counts expanded; Izenman and Sommer 1988)
//
// The CSV files are written by the R program export.R (also run by
// scripts/modes/export-rdata.sh) into Dir(): $ERG_CACHE/modes, else ~/.cache/erg/modes.
//
// References:
//
//   - Roeder, K. (1990). Density estimation with confidence sets exemplified by
//     superclusters and voids in the galaxies. J. Amer. Statist. Assoc. 85, 617–624.
//   - Izenman, A.J. and Sommer, C.J. (1988). Philatelic mixtures and multimodal densities.
//     J. Amer. Statist. Assoc. 83, 941–953.
//   - Venables, W.N. and Ripley, B.D. (2002). Modern Applied Statistics with S (MASS).
package rdata
