package sweepbench

import (
	"context"
	"testing"
)

func TestRun(t *testing.T) {
	rep, err := Run(context.Background(), Config{Cells: 20, SpinCells: 2, SpinMS: 20})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Suite != "sweep" || rep.PeerError != "no peer" || len(rep.Figures) != 4 {
		t.Fatalf("report %+v", rep)
	}
	for _, f := range rep.Figures {
		if !(f.ErgMS > 0) {
			t.Errorf("%s: %g ms", f.Name, f.ErgMS)
		}
	}
	if r, ok := rep.Extra["scaling_1_to_2"].(float64); !ok || !(r > 0) {
		t.Errorf("scaling %v", rep.Extra["scaling_1_to_2"])
	}
	t.Logf("overhead median %.2f ms", rep.Figures[0].ErgMS)
}
