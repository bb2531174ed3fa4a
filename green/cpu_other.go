//go:build !unix

package green

// processCPUSeconds is 0 where getrusage is missing; rows then take the meter's CPU time.
func processCPUSeconds() float64 { return 0 }
