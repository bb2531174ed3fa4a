// Command patchedprobe prints what the backend package reports about the linked
// github.com/gomlx/compute, and the build information's entry for it. backend's tests
// build it inside erg's module and inside a library user's module.
package main

import (
	"fmt"
	"runtime/debug"

	"github.com/ergml/erg/backend"
)

func main() {
	fmt.Printf("patched=%v\n", backend.Patched())
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == backend.ComputeModule {
				fmt.Printf("dep=%s %s replaced=%v\n", m.Path, m.Version, m.Replace != nil)
			}
		}
	}
	fmt.Printf("warning=%s\n", backend.UnpatchedWarning())
}
