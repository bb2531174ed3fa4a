package bench

import (
	"context"
	"maps"
)

// Alternation is the outcome of Alternate: each side's fastest figure per workload
// over all passes, and the pass that gave it.
type Alternation struct {
	Erg     map[string]float64 // fastest erg milliseconds per workload
	ErgPass map[string]int     // the pass (0-based) of each Erg figure
	// Peer is the last successful peer result with MS replaced by the fastest figure
	// per workload over all passes; nil if the peer never ran.
	Peer     *PeerResult
	PeerPass map[string]int // the pass of each Peer.MS figure
	PeerRuns []*PeerResult  // every successful peer pass: PeerRuns[i] is pass i's
	// PeerErr is the first peer failure; later passes do not run the peer again.
	PeerErr error
}

// Alternate runs repeats passes (at least one), each timing erg's workloads and then
// the peer's, so that both sides see the same machine state over the run, and keeps
// each side's fastest figure per workload. erg returns milliseconds per workload for
// one pass; peer (nil: no peer) runs the peer once. An erg error or a cancelled ctx
// ends the run with that error; a peer error is recorded in PeerErr and the peer is
// not run again.
func Alternate(ctx context.Context, repeats int, erg func(pass int) (map[string]float64, error), peer func(pass int) (*PeerResult, error)) (*Alternation, error) {
	a := &Alternation{Erg: map[string]float64{}, ErgPass: map[string]int{}, PeerPass: map[string]int{}}
	best := map[string]float64{}
	for pass := range max(repeats, 1) {
		ms, err := erg(pass)
		if err != nil {
			return nil, err
		}
		for name, v := range ms {
			if old, ok := a.Erg[name]; !ok || v < old {
				a.Erg[name], a.ErgPass[name] = v, pass
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if peer == nil || a.PeerErr != nil {
			continue
		}
		p, err := peer(pass)
		if err != nil {
			a.PeerErr = err
			continue
		}
		a.PeerRuns = append(a.PeerRuns, p)
		for name, v := range p.MS {
			if old, ok := best[name]; !ok || v < old {
				best[name], a.PeerPass[name] = v, pass
			}
		}
		last := *p
		last.MS = maps.Clone(best)
		a.Peer = &last
	}
	return a, nil
}
