package eval

import (
	"fmt"

	"github.com/ergml/erg/graphgen"
)

// VUN holds SPECTRE's validity, uniqueness and novelty fractions of a
// generated set.
type VUN struct {
	Valid  *float64 `json:"valid"`  // fraction valid (nil if the set has no validity rule)
	Unique float64  `json:"unique"` // fraction not isomorphic to an earlier generated graph
	Novel  *float64 `json:"novel"`  // fraction not isomorphic to any training graph (nil without training graphs)
	VUN    *float64 `json:"vun"`    // fraction valid, unique and novel
	Rule   string   `json:"rule,omitempty"`
}

// ComputeVUN computes V.U.N. of gen against train under the validity rule of
// the named data set (see Valid; "" for none), following SPECTRE's
// eval_fraction_unique, eval_fraction_isomorphic and
// eval_fraction_unique_non_isomorphic_valid.
func ComputeVUN(gen, train []*graphgen.Graph, set string) (*VUN, error) {
	if len(gen) == 0 {
		return nil, fmt.Errorf("eval: empty generated set")
	}
	var valid func(*graphgen.Graph) bool
	if set != "" {
		var err error
		if valid, err = Validity(set); err != nil {
			return nil, err
		}
	}
	out := &VUN{Rule: set}
	trainIdx := NewIsoIndex()
	for _, g := range train {
		trainIdx.Add(g)
	}
	seen := NewIsoIndex()
	var nonUnique, valids, novel, vun int
	for _, g := range gen {
		ok := valid != nil && valid(g)
		if ok {
			valids++
		}
		isNovel := !trainIdx.Contains(g)
		if isNovel {
			novel++
		}
		if g.N() > 0 && seen.Contains(g) {
			nonUnique++
			continue
		}
		seen.Add(g)
		if isNovel && ok {
			vun++
		}
	}
	n := float64(len(gen))
	out.Unique = (n - float64(nonUnique)) / n
	if valid != nil {
		v := float64(valids) / n
		out.Valid = &v
	}
	if train != nil {
		v := float64(novel) / n
		out.Novel = &v
		if valid != nil {
			w := float64(vun) / n
			out.VUN = &w
		}
	}
	return out, nil
}

// Validity returns the validity rule of a data set: planar (connected and
// planar), sbm (SPECTRE's strict SBM test on our block fit), lobster, grid.
func Validity(set string) (func(*graphgen.Graph) bool, error) {
	switch set {
	case "planar":
		return func(g *graphgen.Graph) bool { return g.Connected() && Planar(g) }, nil
	case "sbm":
		return func(g *graphgen.Graph) bool { return IsSBM(g, 0.3, 0.005) }, nil
	case "lobster":
		return IsLobster, nil
	case "grid":
		return IsGrid, nil
	}
	return nil, fmt.Errorf("eval: no validity rule for set %q (planar, sbm, lobster, grid)", set)
}
