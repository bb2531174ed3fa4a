//go:build nvml && cgo

package meter

import (
	"os"
	"strings"
	"testing"
)

// TestNVMLWithoutDriver: NVML dlopens libnvidia-ml.so.1; without a driver Start must
// still succeed and report why the GPU is not metered. On a machine with a driver it
// checks that every device is measured.
func TestNVMLWithoutDriver(t *testing.T) {
	r, err := Probe(Config{PowercapRoot: t.TempDir(), ProcRoot: "testdata/proc/epyc-7742", Process: &fakeProc{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("/proc/driver/nvidia/version"); err == nil {
		if r.GPUCount == 0 {
			t.Errorf("NVIDIA driver loaded but no GPU metered: %+v", r.Sources)
		}
		for _, s := range r.Sources {
			if s.Component == "gpu" && s.Status != StatusMeasured && s.Status != StatusUnavailable {
				t.Errorf("gpu source %+v", s)
			}
		}
		return
	}
	s, ok := findSource(r, "nvml")
	if !ok || s.Status != StatusUnavailable || !strings.Contains(s.Note, "libnvidia-ml.so.1 not found") {
		t.Errorf("nvml source = %+v; want unavailable: library not found", s)
	}
	if r.GPUCount != 0 || r.GPUJoules != 0 {
		t.Errorf("GPUs %d, %v J; want none", r.GPUCount, r.GPUJoules)
	}
}
