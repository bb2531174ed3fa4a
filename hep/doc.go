// Package hep holds erg's LHC-jet capability: Pythia 6 events (package hep/pythia6),
// anti-kT jets (package hep/jet) and jet data sets in .npy files (package
// hep/jetset), on which energy-based models are trained as generators, anomaly
// detectors and hybrid classifiers.
//
// Jets are made here at particle level (no detector simulation) in pp collisions at
// 14 TeV; the paper used 13 TeV Delphes jets, so its tables are not reproduced and the
// targets come from baselines measured on our own jets.
//
// References:
//   - Cheng & Courville, "Versatile energy-based probabilistic models for high energy
//     physics", NeurIPS 2023 (github.com/taolicheng/EBM-HEP).
//   - Sjöstrand, Mrenna & Skands, "PYTHIA 6.4 physics and manual", JHEP 05 (2006) 026.
//   - Cacciari, Salam & Soyez, "The anti-kt jet clustering algorithm", JHEP 04 (2008) 063;
//     "FastJet user manual", Eur. Phys. J. C 72 (2012) 1896.
package hep
