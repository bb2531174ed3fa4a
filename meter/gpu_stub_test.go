//go:build !nvml || !cgo

package meter

import (
	"strings"
	"testing"
)

func TestGPUStubNotes(t *testing.T) {
	for _, c := range []struct {
		procRoot string
		disable  bool
		want     string
	}{
		{"testdata/proc/epyc-7742", false, "no NVIDIA driver (testdata/proc/epyc-7742/driver/nvidia/version absent)"},
		{"testdata/proc/vm-unknown", false, "GPU energy is NOT counted"},
		{"testdata/proc/vm-unknown", true, "disabled by Config.DisableGPU"},
	} {
		r, err := Probe(Config{PowercapRoot: t.TempDir(), ProcRoot: c.procRoot, Process: &fakeProc{}, DisableGPU: c.disable})
		if err != nil {
			t.Fatal(err)
		}
		s, ok := findSource(r, "nvml")
		if !ok || s.Status != StatusUnavailable || !strings.Contains(s.Note, c.want) {
			t.Errorf("%s (disable %v): nvml = %+v; want a note containing %q", c.procRoot, c.disable, s, c.want)
		}
		if !c.disable && !strings.Contains(s.Note, "-tags nvml") {
			t.Errorf("note %q does not say how to enable NVML", s.Note)
		}
	}
}
