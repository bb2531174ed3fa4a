package meter

import "time"

// Usage is what a metered process has used so far.
type Usage struct {
	CPU time.Duration // user + system CPU time, all threads
	RSS int64         // resident memory in bytes (current or peak; the meter keeps the peak it sees)
}

// Process reports the resource use of what is metered; the CPU-time estimate and the
// RAM estimate are computed from it. Implementations must be safe for use from
// several goroutines.
type Process interface {
	Usage() (Usage, error)
}

// ProcessFunc adapts a function to the Process interface (handy for tests and for
// metering something other than the current process).
type ProcessFunc func() (Usage, error)

// Usage calls f.
func (f ProcessFunc) Usage() (Usage, error) { return f() }

var _ Process = ProcessFunc(nil)
