package eval

import (
	"slices"

	"github.com/ergml/erg/graphgen"
)

// Planar reports whether g is planar, by the left-right planarity test
// (de Fraysseix & Rosenstiehl; Brandes, "The Left-Right Planarity Test",
// 2009), the algorithm of networkx.check_planarity, without building an
// embedding.
func Planar(g *graphgen.Graph) bool {
	n, m := g.N(), g.M()
	if n > 2 && m > 3*n-6 {
		return false
	}
	lr := newLR(g)
	for v := 0; v < n; v++ {
		if lr.height[v] < 0 {
			lr.height[v] = 0
			lr.roots = append(lr.roots, v)
			lr.orient(v)
		}
	}
	for v := 0; v < n; v++ {
		slices.SortStableFunc(lr.out[v], func(a, b int) int { return lr.nesting[a] - lr.nesting[b] })
	}
	for _, r := range lr.roots {
		if !lr.test(r) {
			return false
		}
	}
	return true
}

type interval struct{ low, high int } // oriented edge ids, -1 for none

func (iv interval) empty() bool { return iv.low < 0 && iv.high < 0 }

type conflictPair struct{ left, right interval }

type lrState struct {
	g          *graphgen.Graph
	src, dst   []int
	undirected map[[2]int]bool
	height     []int
	parentEdge []int
	out        [][]int // oriented out-edges of each node
	lowpt      []int
	lowpt2     []int
	nesting    []int
	ref        []int
	lowptEdge  []int
	stackBot   []int // index into S of the top when the edge was entered (-1: empty)
	S          []conflictPair
	roots      []int
}

func newLR(g *graphgen.Graph) *lrState {
	n := g.N()
	s := &lrState{g: g, undirected: map[[2]int]bool{}, height: make([]int, n), parentEdge: make([]int, n), out: make([][]int, n)}
	for i := range s.height {
		s.height[i] = -1
		s.parentEdge[i] = -1
	}
	return s
}

func (s *lrState) newEdge(v, w int) int {
	s.src = append(s.src, v)
	s.dst = append(s.dst, w)
	for _, p := range []*[]int{&s.lowpt, &s.lowpt2, &s.nesting, &s.lowptEdge, &s.stackBot} {
		*p = append(*p, 0)
	}
	s.ref = append(s.ref, -1)
	return len(s.src) - 1
}

func (s *lrState) orient(v int) {
	e := s.parentEdge[v]
	for _, w := range s.g.Neighbors(v) {
		k := [2]int{min(v, w), max(v, w)}
		if s.undirected[k] {
			continue
		}
		s.undirected[k] = true
		vw := s.newEdge(v, w)
		s.out[v] = append(s.out[v], vw)
		s.lowpt[vw] = s.height[v]
		s.lowpt2[vw] = s.height[v]
		if s.height[w] < 0 { // tree edge
			s.parentEdge[w] = vw
			s.height[w] = s.height[v] + 1
			s.orient(w)
		} else { // back edge
			s.lowpt[vw] = s.height[w]
		}
		s.nesting[vw] = 2 * s.lowpt[vw]
		if s.lowpt2[vw] < s.height[v] {
			s.nesting[vw]++ // chordal
		}
		if e >= 0 {
			switch {
			case s.lowpt[vw] < s.lowpt[e]:
				s.lowpt2[e] = min(s.lowpt[e], s.lowpt2[vw])
				s.lowpt[e] = s.lowpt[vw]
			case s.lowpt[vw] > s.lowpt[e]:
				s.lowpt2[e] = min(s.lowpt2[e], s.lowpt[vw])
			default:
				s.lowpt2[e] = min(s.lowpt2[e], s.lowpt2[vw])
			}
		}
	}
}

func (s *lrState) conflicting(iv interval, b int) bool {
	return !iv.empty() && s.lowpt[iv.high] > s.lowpt[b]
}

func (s *lrState) lowest(p conflictPair) int {
	if p.left.empty() {
		return s.lowpt[p.right.low]
	}
	if p.right.empty() {
		return s.lowpt[p.left.low]
	}
	return min(s.lowpt[p.left.low], s.lowpt[p.right.low])
}

func (s *lrState) test(v int) bool {
	e := s.parentEdge[v]
	for i, ei := range s.out[v] {
		w := s.dst[ei]
		s.stackBot[ei] = len(s.S)
		if ei == s.parentEdge[w] { // tree edge
			if !s.test(w) {
				return false
			}
		} else { // back edge
			s.lowptEdge[ei] = ei
			s.S = append(s.S, conflictPair{left: interval{-1, -1}, right: interval{ei, ei}})
		}
		if s.lowpt[ei] < s.height[v] { // ei has return edges
			if i == 0 {
				s.lowptEdge[e] = s.lowptEdge[ei]
			} else if !s.addConstraints(ei, e) {
				return false
			}
		}
	}
	if e >= 0 {
		s.removeBackEdges(e)
	}
	return true
}

func (s *lrState) pop() conflictPair {
	p := s.S[len(s.S)-1]
	s.S = s.S[:len(s.S)-1]
	return p
}

func (s *lrState) addConstraints(ei, e int) bool {
	P := conflictPair{interval{-1, -1}, interval{-1, -1}}
	for {
		Q := s.pop()
		if !Q.left.empty() {
			Q.left, Q.right = Q.right, Q.left
		}
		if !Q.left.empty() {
			return false
		}
		if s.lowpt[Q.right.low] > s.lowpt[e] {
			if P.right.empty() {
				P.right = Q.right
			} else {
				s.ref[P.right.low] = Q.right.high
			}
			P.right.low = Q.right.low
		} else {
			s.ref[Q.right.low] = s.lowptEdge[e]
		}
		if len(s.S) == s.stackBot[ei] {
			break
		}
	}
	for len(s.S) > 0 {
		top := s.S[len(s.S)-1]
		if !s.conflicting(top.left, ei) && !s.conflicting(top.right, ei) {
			break
		}
		Q := s.pop()
		if s.conflicting(Q.right, ei) {
			Q.left, Q.right = Q.right, Q.left
		}
		if s.conflicting(Q.right, ei) {
			return false
		}
		s.ref[P.right.low] = Q.right.high
		if Q.right.low >= 0 {
			P.right.low = Q.right.low
		}
		if P.left.empty() {
			P.left = Q.left
		} else {
			s.ref[P.left.low] = Q.left.high
		}
		P.left.low = Q.left.low
	}
	if !(P.left.empty() && P.right.empty()) {
		s.S = append(s.S, P)
	}
	return true
}

func (s *lrState) removeBackEdges(e int) {
	u := s.src[e]
	for len(s.S) > 0 && s.lowest(s.S[len(s.S)-1]) == s.height[u] {
		s.pop()
	}
	if len(s.S) > 0 {
		P := s.pop()
		for P.left.high >= 0 && s.dst[P.left.high] == u {
			P.left.high = s.ref[P.left.high]
		}
		if P.left.high < 0 && P.left.low >= 0 {
			s.ref[P.left.low] = P.right.low
			P.left.low = -1
		}
		for P.right.high >= 0 && s.dst[P.right.high] == u {
			P.right.high = s.ref[P.right.high]
		}
		if P.right.high < 0 && P.right.low >= 0 {
			s.ref[P.right.low] = P.left.low
			P.right.low = -1
		}
		s.S = append(s.S, P)
	}
	if s.lowpt[e] < s.height[u] && len(s.S) > 0 {
		top := s.S[len(s.S)-1]
		hl, hr := top.left.high, top.right.high
		if hl >= 0 && (hr < 0 || s.lowpt[hl] > s.lowpt[hr]) {
			s.ref[e] = hl
		} else {
			s.ref[e] = hr
		}
	}
}
