// erg patch (see third_party/README.md).

package gobackend

// ErgVZeroUpper (erg patch) clears the upper halves of the YMM registers, so that the legacy-SSE
// scalar float code the Go compiler emits (and math's assembly) does not pay an
// AVX/SSE state transition on every instruction after vectorised code left them dirty.
//
//go:noescape
func ErgVZeroUpper()
