//go:build !unix

package meter

import (
	"errors"
	"runtime"
)

var errNoRusage = errors.New("meter: process CPU time is not available on " + runtime.GOOS + "; pass Config.Process")

// Self is the current process; on this system it only reports an error.
func Self() Process { return ProcessFunc(func() (Usage, error) { return Usage{}, errNoRusage }) }

// Children is the waited-for children; on this system it only reports an error.
func Children() Process { return ProcessFunc(func() (Usage, error) { return Usage{}, errNoRusage }) }
