// Package jet clusters particles into jets with the generalised-kT family of
// sequential-recombination algorithms (anti-kT, Cambridge/Aachen, kT) in the
// E-scheme, as FastJet does.
//
// Cluster implements FastJet's N2Plain strategy (nearest-neighbour bookkeeping,
// O(N²) time): distances use rapidity y and azimuth φ, dᵢⱼ = min(ptᵢ^2p, ptⱼ^2p) ΔR²ᵢⱼ/R²
// and dᵢB = ptᵢ^2p, with p = −1 for anti-kT. Its jets equal go-hep's port of FastJet
// (go-hep.org/x/hep/fastjet, naive O(N³)) on Pythia events to 1e-9 in pT (see the
// tests).
//
// References:
//   - Cacciari, Salam & Soyez, "The anti-kt jet clustering algorithm", JHEP 04 (2008) 063.
//   - Cacciari, Salam & Soyez, "FastJet user manual", Eur. Phys. J. C 72 (2012) 1896;
//     Cacciari & Salam, "Dispelling the N³ myth for the kt jet-finder", Phys. Lett. B 641
//     (2006) 57.
package jet
