package bench

import (
	"context"
	"errors"
	"testing"
)

func TestAlternate(t *testing.T) {
	ergMS := []map[string]float64{{"a": 3, "b": 1}, {"a": 2, "b": 5}, {"a": 4, "b": 0.5}}
	peerMS := []map[string]float64{{"a": 7}, {"a": 6}, {"a": 8}}
	var order []string
	a, err := Alternate(context.Background(), 3,
		func(pass int) (map[string]float64, error) { order = append(order, "erg"); return ergMS[pass], nil },
		func(pass int) (*PeerResult, error) {
			order = append(order, "peer")
			return &PeerResult{Peer: "p", MS: peerMS[pass]}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(order); got != 6 || order[0] != "erg" || order[1] != "peer" || order[4] != "erg" {
		t.Errorf("passes ran in order %v; want erg, peer alternating three times", order)
	}
	if a.Erg["a"] != 2 || a.ErgPass["a"] != 1 || a.Erg["b"] != 0.5 || a.ErgPass["b"] != 2 {
		t.Errorf("erg best %v passes %v; want a=2 (pass 1), b=0.5 (pass 2)", a.Erg, a.ErgPass)
	}
	if a.Peer == nil || a.Peer.MS["a"] != 6 || a.PeerPass["a"] != 1 || len(a.PeerRuns) != 3 {
		t.Errorf("peer best %+v passes %v runs %d; want a=6 from pass 1 of 3", a.Peer, a.PeerPass, len(a.PeerRuns))
	}
	if peerMS[2]["a"] != 8 {
		t.Error("Alternate modified a peer pass's figures")
	}

	// A failing peer is recorded and not run again; erg passes go on.
	calls := 0
	a, err = Alternate(context.Background(), 3,
		func(int) (map[string]float64, error) { return map[string]float64{"a": 1}, nil },
		func(int) (*PeerResult, error) { calls++; return nil, errors.New("no torch") })
	if err != nil || calls != 1 || a.PeerErr == nil || a.Peer != nil {
		t.Errorf("failing peer: err %v, %d calls, PeerErr %v, Peer %v; want one call recorded", err, calls, a.PeerErr, a.Peer)
	}

	// An erg error ends the run.
	_, err = Alternate(context.Background(), 2,
		func(int) (map[string]float64, error) { return nil, errors.New("boom") }, nil)
	if err == nil || err.Error() != "boom" {
		t.Errorf("erg error: got %v", err)
	}
	// A cancelled context ends it after the erg pass.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Alternate(ctx, 2, func(int) (map[string]float64, error) { return nil, nil }, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}
