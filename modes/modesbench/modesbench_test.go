package modesbench

import "testing"

func TestRunErgOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	res, err := Run(Config{NoPeer: true, Reps: 1, Only: "kde"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Name != "kde" || !(res[0].ErgMS > 0) || res[0].PeerMS != 0 {
		t.Errorf("results %+v", res)
	}
	t.Logf("binned KDE of 1e6 points: %.1f ms", res[0].ErgMS)
}
