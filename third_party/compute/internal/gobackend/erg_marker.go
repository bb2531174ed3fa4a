// erg patch (see third_party/README.md).

package gobackend

// ErgPatches lists the erg patches applied to this copy of gomlx/compute v0.1.3 (the
// files in erg's third_party/patches). Code that must also compile against stock
// compute, such as erg's backend package, detects the patched backend with a type
// assertion instead of a reference:
//
//	_, patched := b.(interface{ ErgPatches() []string })
func (b *Backend) ErgPatches() []string {
	return []string{
		"0001-avx2-6x16-matmul-kernel",
		"0002-cheaper-non-matmul-ops",
		"0003-vzeroupper-exp-log-reductions",
		"0004-erg-marker",
	}
}
