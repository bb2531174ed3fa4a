package orbit

import (
	"slices"

	"github.com/ergml/erg/graphgen"
)

// NumOrbits is the number of node orbits of graphlets on at most 4 nodes.
const NumOrbits = 15

// csr is a compressed adjacency structure with edge ids.
type csr struct {
	n   int
	off []int32
	nbr []int32
	eid []int32 // edge id of (x, nbr) at the same position
	deg []int64
}

func build(g *graphgen.Graph) *csr {
	n := g.N()
	c := &csr{n: n, off: make([]int32, n+1), deg: make([]int64, n)}
	for u := 0; u < n; u++ {
		c.off[u+1] = c.off[u] + int32(g.Degree(u))
		c.deg[u] = int64(g.Degree(u))
	}
	m2 := c.off[n]
	c.nbr = make([]int32, m2)
	c.eid = make([]int32, m2)
	var e int32
	// first pass: ids for u<v in order of u
	for u := 0; u < n; u++ {
		for k, v := range g.Neighbors(u) {
			c.nbr[c.off[u]+int32(k)] = int32(v)
			if v > u {
				c.eid[c.off[u]+int32(k)] = e
				e++
			}
		}
	}
	// second pass: copy ids to the (v,u) side
	for u := 0; u < n; u++ {
		for k, v := range g.Neighbors(u) {
			if v < u {
				j, _ := slices.BinarySearch(c.nbr[c.off[v]:c.off[v+1]], int32(u))
				c.eid[c.off[u]+int32(k)] = c.eid[c.off[v]+int32(j)]
			}
		}
	}
	return c
}

// adjacent tests adjacency by binary search in the shorter list.
func (c *csr) adjacent(x, y int32) bool {
	a := c.nbr[c.off[x]:c.off[x+1]]
	if b := c.nbr[c.off[y]:c.off[y+1]]; len(b) < len(a) {
		a, y = b, x
	}
	_, ok := slices.BinarySearch(a, y)
	return ok
}

// Count returns, per node, the counts of the 15 orbits (ORCA numbering).
func Count(g *graphgen.Graph) [][NumOrbits]int64 {
	c := build(g)
	n := c.n
	orbit := make([][NumOrbits]int64, n)
	if n == 0 {
		return orbit
	}
	m := g.M()
	// stage 1: triangles over every edge
	tri := make([]int64, m)
	for x := 0; x < n; x++ {
		ax := c.nbr[c.off[x]:c.off[x+1]]
		for k, y := range ax {
			if int(y) <= x {
				continue
			}
			ay := c.nbr[c.off[y]:c.off[y+1]]
			var t int64
			for i, j := 0, 0; i < len(ax) && j < len(ay); {
				switch {
				case ax[i] == ay[j]:
					t++
					i++
					j++
				case ax[i] < ay[j]:
					i++
				default:
					j++
				}
			}
			tri[c.eid[c.off[x]+int32(k)]] = t
		}
	}
	// stage 2: 4-cliques per node
	c4 := make([]int64, n)
	neigh := make([]int32, 0, 64)
	markX := make([]bool, n) // neighbours of the current x
	markY := make([]bool, n) // neighbours of the current y
	for x := int32(0); int(x) < n; x++ {
		for _, v := range c.nbr[c.off[x]:c.off[x+1]] {
			markX[v] = true
		}
		for _, y := range c.nbr[c.off[x]:c.off[x+1]] {
			if y >= x {
				break
			}
			neigh = neigh[:0]
			for _, z := range c.nbr[c.off[y]:c.off[y+1]] {
				if z >= y {
					break
				}
				if markX[z] {
					neigh = append(neigh, z)
				}
			}
			for i, z := range neigh {
				for _, zz := range neigh[i+1:] {
					if c.adjacent(z, zz) {
						c4[x]++
						c4[y]++
						c4[z]++
						c4[zz]++
					}
				}
			}
		}
		for _, v := range c.nbr[c.off[x]:c.off[x+1]] {
			markX[v] = false
		}
	}
	// stage 3: per node, the equations relating orbit counts
	common := make([]int64, n)
	commonList := make([]int32, 0, n)
	deg := c.deg
	for x := int32(0); int(x) < n; x++ {
		var f12_14, f10_13, f13_14, f11_13, f7_11, f5_8, f6_9, f9_12, f4_8, f8_12 int64
		f14 := c4[x]
		for _, z := range commonList {
			common[z] = 0
		}
		commonList = commonList[:0]
		o := &orbit[x]
		o[0] = deg[x]
		lo, hi := c.off[x], c.off[x+1]
		dx := deg[x]
		for _, v := range c.nbr[lo:hi] {
			markX[v] = true
		}
		// x as a middle node
		for p1 := lo; p1 < hi; p1++ {
			y, ey := c.nbr[p1], c.eid[p1]
			dy := deg[y]
			for q := c.off[y]; q < c.off[y+1]; q++ {
				z, ez := c.nbr[q], c.eid[q]
				markY[z] = true
				if markX[z] {
					if z < y {
						f12_14 += tri[ez] - 1
						f10_13 += (dy - 1 - tri[ez]) + (deg[z] - 1 - tri[ez])
					}
				} else {
					if common[z] == 0 {
						commonList = append(commonList, z)
					}
					common[z]++
				}
			}
			for p2 := p1 + 1; p2 < hi; p2++ {
				z, ez := c.nbr[p2], c.eid[p2]
				if markY[z] {
					o[3]++
					f13_14 += (tri[ey] - 1) + (tri[ez] - 1)
					f11_13 += (dx - 1 - tri[ey]) + (dx - 1 - tri[ez])
				} else {
					o[2]++
					f7_11 += (dx - 1 - tri[ey] - 1) + (dx - 1 - tri[ez] - 1)
					f5_8 += (dy - 1 - tri[ey]) + (deg[z] - 1 - tri[ez])
				}
			}
			for _, z := range c.nbr[c.off[y]:c.off[y+1]] {
				markY[z] = false
			}
		}
		// x as a side node
		for p1 := lo; p1 < hi; p1++ {
			y, ey := c.nbr[p1], c.eid[p1]
			dy := deg[y]
			for q := c.off[y]; q < c.off[y+1]; q++ {
				z, ez := c.nbr[q], c.eid[q]
				if z == x || markX[z] {
					continue
				}
				o[1]++
				f6_9 += dy - 1 - tri[ey] - 1
				f9_12 += tri[ez]
				f4_8 += deg[z] - 1 - tri[ez]
				f8_12 += common[z] - 1
			}
		}
		for _, v := range c.nbr[lo:hi] {
			markX[v] = false
		}
		o[14] = f14
		o[13] = (f13_14 - 6*f14) / 2
		o[12] = f12_14 - 3*f14
		o[11] = (f11_13 - f13_14 + 6*f14) / 2
		o[10] = f10_13 - f13_14 + 6*f14
		o[9] = (f9_12 - 2*f12_14 + 6*f14) / 2
		o[8] = (f8_12 - 2*f12_14 + 6*f14) / 2
		o[7] = (f13_14 + f7_11 - f11_13 - 6*f14) / 6
		o[6] = (2*f12_14 + f6_9 - f9_12 - 6*f14) / 2
		o[5] = 2*f12_14 + f5_8 - f8_12 - 6*f14
		o[4] = 2*f12_14 + f4_8 - f8_12 - 6*f14
	}
	return orbit
}

// Totals sums the per-node counts over all nodes.
func Totals(counts [][NumOrbits]int64) [NumOrbits]int64 {
	var t [NumOrbits]int64
	for _, c := range counts {
		for k, v := range c {
			t[k] += v
		}
	}
	return t
}
