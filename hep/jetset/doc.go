// Package jetset makes and reads data sets of boosted jets: Pythia 6 events (package
// hep/pythia6) clustered with anti-kT (package hep/jet), kept in a pT and |η| window
// and, for top and W, matched to the hard parton; each jet is stored as its leading
// constituents (log pT, Δη, Δφ to the jet axis), zero-padded, as in Cheng &
// Courville's EBM-HEP.
//
// A data set F.npy is three files:
//
//	F.npy        float32 [N, 40, 3]: per jet the leading constituents by pT, each
//	             (log(pT/GeV), η−η_jet, φ−φ_jet wrapped to (−π, π]); zero rows pad jets
//	             with fewer constituents
//	F.jets.npy   float64 [N, 5]: jet pT (GeV), η, φ, mass (GeV), multiplicity
//	F.json       metadata: process, events, seeds, cuts, the Pythia settings each
//	             driver process reported, the event→jet efficiency
//
// Generate runs two driver processes in parallel with distinct seeds derived from
// the seed and concatenates their jets in process order, so that the same
// configuration gives byte-identical files.
package jetset
