package backend

import (
	"runtime/debug"
	"sync"

	"github.com/gomlx/compute"
)

// ComputeModule is the module of the pure-Go backend, which erg uses through its patched
// copy in third_party/compute (see third_party/README.md).
const ComputeModule = "github.com/gomlx/compute"

// ergMarker is implemented by the Go backend of erg's patched compute only: patch
// third_party/patches/0004-erg-marker.patch adds the method. erg must also compile
// against stock compute, so it cannot name anything the patches add; a type assertion
// to this interface can.
type ergMarker interface{ ErgPatches() []string }

var patched = sync.OnceValue(func() bool {
	b, err := New(Default)
	if err != nil {
		return false
	}
	return isPatched(b)
})

func isPatched(b compute.Backend) bool {
	_, ok := b.(ergMarker)
	return ok
}

// Patched reports whether this program links erg's patched github.com/gomlx/compute
// (third_party/compute: the AVX2 6x16 matmul kernel, cheaper non-matmul ops, VZEROUPPER
// and fast float32 Exp/Log/Logistic) rather than stock compute.
//
// Programs built inside erg's module get the fork through the replace directive in
// erg's go.mod. Programs that import erg as a library do not: replace directives only
// apply in the main module, so they silently run stock compute, which is correct but
// slower (see [UnpatchedWarning]).
//
// The answer comes from a marker, not from build information: the fork's Go backend has
// a method ErgPatches (patch 0004), which Patched finds with a type assertion on the
// default Go backend (created, as by [New], on the first call; about 60 µs). Build
// information (runtime/debug.ReadBuildInfo) would not do: test binaries carry no
// dependency list (checked with Go 1.26), builds outside module mode carry none at all,
// and a replace directive can point at any copy of compute, patched or not. Build
// information is used only to name the linked module in the warning.
func Patched() bool { return patched() }

// UnpatchedWarning returns "" when [Patched] is true, else a one-line warning (no
// trailing newline) to print on standard error: what is lost with stock compute and how
// to get erg's copy.
func UnpatchedWarning() string {
	if Patched() {
		return ""
	}
	return unpatchedWarning(linkedCompute())
}

func unpatchedWarning(linked string) string {
	return "erg: warning: " + linked + " is stock compute, not erg's patched copy, so the pure-Go backend " +
		"runs without the AVX2 6x16 matmul kernel (float32 products 2.1-2.6x slower on AVX2-only CPUs), " +
		"the cheaper non-matmul ops and the VZEROUPPER/Exp/Log fixes (erg bench ebm steps ~4x slower); " +
		"add `replace " + ComputeModule + " => <erg checkout>/third_party/compute` to your go.mod " +
		"(a git clone of erg: that directory is a module of its own, so it is not in erg's module download), " +
		"or copy that directory into your module and replace with the copy"
}

// linkedCompute describes the linked compute module from the build information, e.g.
// "github.com/gomlx/compute v0.1.3" or "github.com/gomlx/compute v0.1.3 => ../compute".
func linkedCompute() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ComputeModule
	}
	return describeModule(bi.Deps)
}

func describeModule(deps []*debug.Module) string {
	for _, m := range deps {
		if m.Path != ComputeModule {
			continue
		}
		s := m.Path + " " + m.Version
		if r := m.Replace; r != nil {
			s += " => " + r.Path
			if r.Version != "" {
				s += " " + r.Version
			}
		}
		return s
	}
	return ComputeModule
}
