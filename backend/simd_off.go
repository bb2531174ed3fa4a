//go:build !goexperiment.simd

package backend

// SIMD reports whether this binary was built with GOEXPERIMENT=simd, which makes the
// pure-Go backend's kernels use AVX2 (about 3x faster training and inference).
const SIMD = false
