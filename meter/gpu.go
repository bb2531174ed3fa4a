package meter

import (
	"os"
	"path/filepath"
	"time"
)

// gpuDevice is one metered GPU.
type gpuDevice interface {
	name() string   // "nvml:0"
	model() string  // "NVIDIA A100-SXM4-40GB"
	method() string // how its energy is obtained
	fastPoll() bool // true when its power must be sampled often (no energy counter)
	poll(now time.Time) (joules float64, err error)
}

// nvidiaDriverNote says whether an NVIDIA kernel driver is loaded, judged from
// <procRoot>/driver/nvidia/version.
func nvidiaDriverNote(procRoot string) (string, bool) {
	p := filepath.Join(procRoot, "driver", "nvidia", "version")
	if _, err := os.Stat(p); err == nil {
		return "an NVIDIA driver is loaded (" + p + "): GPU energy is NOT counted", true
	}
	return "no NVIDIA driver (" + p + " absent)", false
}
