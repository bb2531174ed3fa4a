//go:build unix

package meter

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// Self is the current process: CPU time of all its threads from
// getrusage(RUSAGE_SELF), resident memory from /proc/self/statm (current RSS) or,
// where that file is missing, ru_maxrss (peak RSS).
func Self() Process { return ProcessFunc(selfUsage) }

// Children is the terminated and waited-for children of the current process, from
// getrusage(RUSAGE_CHILDREN): their CPU time and the peak RSS of the largest one.
// The figures appear when a child has been waited for, so Read shows nothing until
// then; use it to meter a command run with os/exec, calling Stop after Wait.
func Children() Process { return ProcessFunc(childrenUsage) }

func selfUsage() (Usage, error) {
	u, err := rusage(syscall.RUSAGE_SELF)
	if err != nil {
		return u, err
	}
	if rss, ok := statmRSS(); ok {
		u.RSS = rss
	}
	return u, nil
}

func childrenUsage() (Usage, error) { return rusage(syscall.RUSAGE_CHILDREN) }

func rusage(who int) (Usage, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return Usage{}, fmt.Errorf("meter: getrusage: %w", err)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	rss := int64(ru.Maxrss)
	if runtime.GOOS != "darwin" { // Linux and the BSDs report ru_maxrss in KiB, macOS in bytes
		rss *= 1024
	}
	return Usage{CPU: cpu, RSS: rss}, nil
}

// statmRSS reads the resident pages of this process from /proc/self/statm.
func statmRSS() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}
