package eval

import (
	"slices"

	"github.com/ergml/erg/graphgen"
)

func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// wlColours returns Weisfeiler–Lehman colours of every node after iters
// rounds, starting from degrees. The colours are isomorphism invariant and
// comparable across graphs.
func wlColours(g *graphgen.Graph, iters int) []uint64 {
	n := g.N()
	c := make([]uint64, n)
	for u := range c {
		c[u] = mix(uint64(g.Degree(u)) + 1)
	}
	next := make([]uint64, n)
	var buf []uint64
	for range iters {
		for u := 0; u < n; u++ {
			buf = buf[:0]
			for _, v := range g.Neighbors(u) {
				buf = append(buf, c[v])
			}
			slices.Sort(buf)
			h := mix(c[u] ^ 0x9e3779b97f4a7c15)
			for _, x := range buf {
				h = mix(h ^ x)
			}
			next[u] = h
		}
		c, next = next, c
	}
	return c
}

// WLHash is a Weisfeiler–Lehman graph hash (3 rounds): isomorphic graphs
// have equal hashes; unequal hashes prove non-isomorphism.
func WLHash(g *graphgen.Graph) uint64 {
	c := wlColours(g, 3)
	slices.Sort(c)
	h := mix(uint64(g.N())<<32 ^ uint64(g.M()))
	for _, x := range c {
		h = mix(h ^ x)
	}
	return h
}

// Isomorphic reports whether a and b are isomorphic, by a VF2-style
// backtracking search over WL-colour-compatible node pairs.
func Isomorphic(a, b *graphgen.Graph) bool {
	if a.N() != b.N() || a.M() != b.M() {
		return false
	}
	n := a.N()
	if n == 0 {
		return true
	}
	ca, cb := wlColours(a, 3), wlColours(b, 3)
	sa, sb := slices.Clone(ca), slices.Clone(cb)
	slices.Sort(sa)
	slices.Sort(sb)
	if !slices.Equal(sa, sb) {
		return false
	}
	// order a's nodes: each component from its rarest-colour node, then BFS
	// preferring nodes with most already-ordered neighbours (VF2++ order).
	freq := map[uint64]int{}
	for _, x := range ca {
		freq[x]++
	}
	order := make([]int, 0, n)
	parent := make([]int, n)
	placed := make([]bool, n)
	for len(order) < n {
		root := -1
		for u := 0; u < n; u++ {
			if !placed[u] && (root < 0 || freq[ca[u]] < freq[ca[root]] || freq[ca[u]] == freq[ca[root]] && a.Degree(u) > a.Degree(root)) {
				root = u
			}
		}
		placed[root] = true
		parent[root] = -1
		order = append(order, root)
		for i := len(order) - 1; i < len(order); i++ {
			u := order[i]
			for _, v := range a.Neighbors(u) {
				if !placed[v] {
					placed[v] = true
					parent[v] = u
					order = append(order, v)
				}
			}
		}
	}
	m := make([]int, n) // a -> b
	used := make([]bool, n)
	for i := range m {
		m[i] = -1
	}
	var try func(k int) bool
	try = func(k int) bool {
		if k == n {
			return true
		}
		x := order[k]
		var cands []int
		if p := parent[x]; p >= 0 {
			cands = b.Neighbors(m[p])
		} else {
			cands = make([]int, n)
			for i := range cands {
				cands[i] = i
			}
		}
	next:
		for _, y := range cands {
			if used[y] || cb[y] != ca[x] || b.Degree(y) != a.Degree(x) {
				continue
			}
			// every mapped neighbour of x must map to a neighbour of y, and
			// y must have no other mapped neighbours
			cnt := 0
			for _, v := range a.Neighbors(x) {
				if m[v] >= 0 {
					if !b.HasEdge(y, m[v]) {
						continue next
					}
					cnt++
				}
			}
			cntB := 0
			for _, w := range b.Neighbors(y) {
				if used[w] {
					cntB++
				}
			}
			if cnt != cntB {
				continue
			}
			m[x], used[y] = y, true
			if try(k + 1) {
				return true
			}
			m[x], used[y] = -1, false
		}
		return false
	}
	return try(0)
}

// IsoIndex is a set of graphs up to isomorphism: a WL-hash prefilter, then
// exact isomorphism tests within a hash bucket.
type IsoIndex struct {
	buckets map[uint64][]*graphgen.Graph
}

// NewIsoIndex returns an empty index.
func NewIsoIndex() *IsoIndex { return &IsoIndex{buckets: map[uint64][]*graphgen.Graph{}} }

// Add inserts g.
func (x *IsoIndex) Add(g *graphgen.Graph) {
	h := WLHash(g)
	x.buckets[h] = append(x.buckets[h], g)
}

// Contains reports whether a graph isomorphic to g was added.
func (x *IsoIndex) Contains(g *graphgen.Graph) bool {
	for _, o := range x.buckets[WLHash(g)] {
		if Isomorphic(g, o) {
			return true
		}
	}
	return false
}
