package jet

import "math"

// tiles is the rapidity-φ grid of the tiled strategy: tiles at least R wide, so that
// a particle's neighbours within R lie in its own or the 8 surrounding tiles.
type tiles struct {
	ymin, dy, dphi float64
	ny, nphi       int
	members        [][]int // slot indices per tile
	neigh          [][]int // the tile and its neighbours (deduplicated)
	stamp          []int   // visit marks
	epoch          int
	tile, pos      []int // per slot: its tile and position in the tile's member list
}

func (t *tiles) setup(rap []float64, n int, r float64) {
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, y := range rap[:n] {
		ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
	}
	// Keep the grid to |y| ≤ 6-ish: particles beyond fall into the edge tiles.
	ymin, ymax = math.Max(ymin, -6), math.Min(ymax, 6)
	if ymax < ymin {
		ymin, ymax = 0, 0
	}
	t.ny = max(1, int((ymax-ymin)/r))
	t.dy = math.Max(r, (ymax-ymin)/float64(t.ny))
	t.ymin = ymin
	t.nphi = max(1, int(2*math.Pi/r))
	t.dphi = 2 * math.Pi / float64(t.nphi)
	nt := t.ny * t.nphi
	if cap(t.members) < nt {
		t.members = make([][]int, nt)
		t.neigh = make([][]int, nt)
		t.stamp = make([]int, nt)
	}
	t.members, t.neigh, t.stamp = t.members[:nt], t.neigh[:nt], t.stamp[:nt]
	for i := range nt {
		t.members[i] = t.members[i][:0]
		t.neigh[i] = t.neigh[i][:0]
		t.stamp[i] = 0
	}
	t.epoch = 0
	for iy := range t.ny {
		for ip := range t.nphi {
			k := iy*t.nphi + ip
			for dy := -1; dy <= 1; dy++ {
				jy := iy + dy
				if jy < 0 || jy >= t.ny {
					continue
				}
				for dp := -1; dp <= 1; dp++ {
					jp := ((ip+dp)%t.nphi + t.nphi) % t.nphi
					m := jy*t.nphi + jp
					dup := false
					for _, x := range t.neigh[k] {
						dup = dup || x == m
					}
					if !dup {
						t.neigh[k] = append(t.neigh[k], m)
					}
				}
			}
		}
	}
	if cap(t.tile) < n {
		t.tile, t.pos = make([]int, n), make([]int, n)
	}
	t.tile, t.pos = t.tile[:n], t.pos[:n]
}

func (t *tiles) index(y, phi float64) int {
	iy := int(math.Floor((y - t.ymin) / t.dy))
	iy = min(max(iy, 0), t.ny-1)
	ip := int(phi / t.dphi)
	ip = min(max(ip, 0), t.nphi-1)
	return iy*t.nphi + ip
}

func (t *tiles) add(i, k int) {
	t.tile[i], t.pos[i] = k, len(t.members[k])
	t.members[k] = append(t.members[k], i)
}

func (t *tiles) remove(i int) {
	k := t.tile[i]
	m := t.members[k]
	last := m[len(m)-1]
	m[t.pos[i]] = last
	t.pos[last] = t.pos[i]
	t.members[k] = m[:len(m)-1]
}

// relabel records that the jet of slot from now lives in slot to.
func (t *tiles) relabel(from, to int) {
	k := t.tile[from]
	t.members[k][t.pos[from]] = to
	t.tile[to], t.pos[to] = k, t.pos[from]
}

// runTiled clusters the first n entries of the buffers with nearest neighbours
// searched in neighbouring tiles only (FastJet's N2Tiled idea); it makes the same
// merges as runPlain.
func (c *Clusterer) runTiled(n int, r2 float64) {
	rap, phi, kt2, nnDist, nn, diJ, hist := c.rap, c.phi, c.kt2, c.nnDist, c.nn, c.diJ, c.hist
	t := &c.tiles
	t.setup(rap, n, c.Def.R)
	for i := range n {
		t.add(i, t.index(rap[i], phi[i]))
	}
	dist := func(i, j int) float64 {
		dphi := math.Abs(phi[i] - phi[j])
		if dphi > math.Pi {
			dphi = 2*math.Pi - dphi
		}
		drap := rap[i] - rap[j]
		return dphi*dphi + drap*drap
	}
	dij := func(i int) float64 {
		k := kt2[i]
		if j := nn[i]; j >= 0 && kt2[j] < k {
			k = kt2[j]
		}
		return nnDist[i] * k
	}
	setNN := func(i int) {
		nnDist[i], nn[i] = r2, -1
		for _, k := range t.neigh[t.tile[i]] {
			for _, j := range t.members[k] {
				if j == i {
					continue
				}
				if d := dist(i, j); d < nnDist[i] {
					nnDist[i], nn[i] = d, j
				}
			}
		}
	}
	for i := range n {
		setNN(i)
	}
	for i := range n {
		diJ[i] = dij(i)
	}
	var visit []int
	mark := func(k int) {
		for _, m := range t.neigh[k] {
			if t.stamp[m] != t.epoch {
				t.stamp[m] = t.epoch
				visit = append(visit, m)
			}
		}
	}
	for tail := n; tail > 0; {
		best := 0
		for i := 1; i < tail; i++ {
			if diJ[i] < diJ[best] {
				best = i
			}
		}
		a, b := best, nn[best]
		t.epoch++
		visit = visit[:0]
		if b >= 0 {
			if a < b {
				a, b = b, a
			}
			mark(t.tile[a])
			mark(t.tile[b])
			pa, pb := c.mom[hist[a]], c.mom[hist[b]]
			m := [4]float64{pa[0] + pb[0], pa[1] + pb[1], pa[2] + pb[2], pa[3] + pb[3]}
			c.mom = append(c.mom, m)
			c.parent = append(c.parent, [2]int{hist[a], hist[b]})
			hist[b] = len(c.mom) - 1
			rap[b], phi[b], kt2[b] = Rapidity(m), phi02(m), c.Def.scale(m)
			nnDist[b], nn[b] = r2, -1
			t.remove(b)
			t.add(b, t.index(rap[b], phi[b]))
			mark(t.tile[b])
		} else {
			c.final = append(c.final, hist[a])
			mark(t.tile[a])
			b = -1
		}
		t.remove(a)
		tail--
		if a != tail {
			mark(t.tile[tail])
			t.relabel(tail, a)
			rap[a], phi[a], kt2[a], nnDist[a], nn[a], diJ[a], hist[a] =
				rap[tail], phi[tail], kt2[tail], nnDist[tail], nn[tail], diJ[tail], hist[tail]
		}
		for _, k := range visit {
			for _, i := range t.members[k] {
				if nn[i] == a || (b >= 0 && nn[i] == b) {
					setNN(i)
					diJ[i] = dij(i)
				}
				if b >= 0 && i != b {
					d := dist(i, b)
					if d < nnDist[i] {
						nnDist[i], nn[i] = d, b
						diJ[i] = dij(i)
					}
					if d < nnDist[b] {
						nnDist[b], nn[b] = d, i
					}
				}
				if nn[i] == tail {
					nn[i] = a
				}
			}
		}
		if b >= 0 {
			diJ[b] = dij(b)
		}
	}
}
