package graphgen

import (
	"fmt"
	"slices"
)

// Graph is an undirected simple graph on nodes 0..N()-1 stored as sorted
// adjacency lists. Self-loops and multi-edges are never stored.
type Graph struct {
	adj [][]int
	m   int
}

// New returns a graph with n nodes and no edges.
func New(n int) *Graph {
	return &Graph{adj: make([][]int, n)}
}

// FromEdges builds a graph with n nodes from an edge list. Self-loops are
// dropped and repeated edges collapsed; the counts of both are returned so a
// caller can warn about them. It panics if an endpoint is out of range.
func FromEdges(n int, edges [][2]int) (g *Graph, loops, multi int) {
	g = New(n)
	for _, e := range edges {
		u, v := e[0], e[1]
		if u < 0 || u >= n || v < 0 || v >= n {
			panic(fmt.Sprintf("graphgen: edge (%d,%d) out of range for %d nodes", u, v, n))
		}
		if u == v {
			loops++
			continue
		}
		g.adj[u] = append(g.adj[u], v)
		g.adj[v] = append(g.adj[v], u)
	}
	for u := range g.adj {
		a := g.adj[u]
		slices.Sort(a)
		before := len(a)
		a = slices.Compact(a)
		multi += before - len(a)
		g.adj[u] = slices.Clip(a)
		g.m += len(a)
	}
	g.m /= 2
	return g, loops, multi / 2
}

// N returns the number of nodes.
func (g *Graph) N() int { return len(g.adj) }

// M returns the number of edges.
func (g *Graph) M() int { return g.m }

// Degree returns the degree of node u.
func (g *Graph) Degree(u int) int { return len(g.adj[u]) }

// Neighbors returns the sorted neighbours of u. The slice must not be modified.
func (g *Graph) Neighbors(u int) []int { return g.adj[u] }

// HasEdge reports whether u and v are adjacent (binary search, O(log deg)).
func (g *Graph) HasEdge(u, v int) bool {
	a := g.adj[u]
	if len(g.adj[v]) < len(a) {
		a, v = g.adj[v], u
	}
	_, ok := slices.BinarySearch(a, v)
	return ok
}

// Edges returns the edges (u, v) with u < v in lexicographic order.
func (g *Graph) Edges() [][2]int {
	out := make([][2]int, 0, g.m)
	for u, a := range g.adj {
		for _, v := range a {
			if v > u {
				out = append(out, [2]int{u, v})
			}
		}
	}
	return out
}

// Builder accumulates edges of a graph whose size is known in advance; use it
// where FromEdges' edge slice would be inconvenient.
type Builder struct {
	n     int
	edges [][2]int
}

// NewBuilder returns a builder for a graph on n nodes.
func NewBuilder(n int) *Builder { return &Builder{n: n} }

// Add records the edge (u, v).
func (b *Builder) Add(u, v int) { b.edges = append(b.edges, [2]int{u, v}) }

// Graph returns the built graph (self-loops dropped, multi-edges collapsed).
func (b *Builder) Graph() *Graph {
	g, _, _ := FromEdges(b.n, b.edges)
	return g
}

// Subgraph returns the subgraph induced by nodes, relabelled 0..len(nodes)-1 in
// the order given.
func (g *Graph) Subgraph(nodes []int) *Graph {
	idx := make(map[int]int, len(nodes))
	for i, u := range nodes {
		idx[u] = i
	}
	b := NewBuilder(len(nodes))
	for i, u := range nodes {
		for _, v := range g.adj[u] {
			if j, ok := idx[v]; ok && j > i {
				b.Add(i, j)
			}
		}
	}
	return b.Graph()
}

// Connected reports whether the graph is connected (the empty graph is not).
func (g *Graph) Connected() bool {
	n := g.N()
	if n == 0 {
		return false
	}
	return len(g.BFS(0, -1)) == n
}

// BFS returns the nodes reachable from src within maxDepth hops (all reachable
// nodes if maxDepth < 0), in breadth-first order.
func (g *Graph) BFS(src, maxDepth int) []int {
	dist := make([]int32, g.N())
	for i := range dist {
		dist[i] = -1
	}
	dist[src] = 0
	order := []int{src}
	for i := 0; i < len(order); i++ {
		u := order[i]
		if maxDepth >= 0 && int(dist[u]) == maxDepth {
			continue
		}
		for _, v := range g.adj[u] {
			if dist[v] < 0 {
				dist[v] = dist[u] + 1
				order = append(order, v)
			}
		}
	}
	return order
}

// Components returns the connected components, each sorted, in order of their
// smallest node.
func (g *Graph) Components() [][]int {
	seen := make([]bool, g.N())
	var out [][]int
	for s := range g.adj {
		if seen[s] {
			continue
		}
		c := g.BFS(s, -1)
		for _, u := range c {
			seen[u] = true
		}
		slices.Sort(c)
		out = append(out, c)
	}
	return out
}
