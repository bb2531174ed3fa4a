//go:build !unix

package tsc

import (
	"runtime"
	"time"
)

var startWall = time.Now()

// processCPUTime approximates CPU time as wall time × GOMAXPROCS where getrusage is
// not available.
func processCPUTime() time.Duration {
	return time.Since(startWall) * time.Duration(runtime.GOMAXPROCS(0))
}
