// Package jetebm trains energy-based models of jets (package hep/jetset data): an
// energy E(x) over a jet's 40 leading constituents (log pT, Δη, Δφ), trained on QCD
// jets by contrastive divergence with a replay buffer, used as a generator (Langevin
// samples), an anomaly detector (score E: top and W jets get higher energy) and, with
// class logits, as a JEM-style hybrid classifier.
//
// Energies (Energies): "mlp", the paper's MLPJet 120-512-512-128-64-1 with ReLU (the
// paper adds spectral normalisation, not done here); "deepsets", a per-constituent
// network summed over non-padded constituents; "transformer", attention blocks with
// padding masks and sum pooling (the paper's 8×128, 16 heads, FFN 1024 selectable
// with Config.Layers/Dim/Heads/FFN; the default here is small for CPUs).
//
// Training (CDLoss) follows the paper's code (taolicheng/EBM-HEP, ebm_jet_attn.py):
// negatives from K = 24 Langevin steps x ← x + N(0, σ²) − ε∇E(x) (ε = 0.1, σ = 0.005)
// started from a 10k replay buffer, 5 % of chains re-initialised from log pT ~ N(2, 1),
// η ~ N(0, 0.1), φ ~ N(0, 0.2); positives with data noise σ; loss
// mean E(x⁺) − mean E(x⁻) + α·mean(E(x⁺)² + E(x⁻)²), α = 0.1; Adam lr 1e-4 with
// β1 = 0, gradient norm clipped to 0.1.
//
// This package has its own CD loss rather than ebm.CDLoss, which restarts chains from
// uniform noise on a box and ties the Langevin noise to the step size (√(2ε)).
//
// References:
//   - Cheng & Courville, "Versatile energy-based probabilistic models for high energy
//     physics", NeurIPS 2023 (github.com/taolicheng/EBM-HEP).
//   - Du & Mordatch, "Implicit generation and modeling with energy-based models",
//     NeurIPS 2019 (replay buffer, short-run Langevin).
//   - Grathwohl et al., "Your classifier is secretly an energy based model and you should
//     treat it like one", ICLR 2020 (JEM).
package jetebm
