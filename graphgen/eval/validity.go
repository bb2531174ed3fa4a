package eval

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ergml/erg/graphgen"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// IsLobster is GRAN's is_lobster_graph: a tree that becomes a path (or
// empty) after its leaves are removed twice.
func IsLobster(g *graphgen.Graph) bool {
	n := g.N()
	if n == 0 || g.M() != n-1 || !g.Connected() {
		return false
	}
	alive := make([]bool, n)
	deg := make([]int, n)
	for u := range alive {
		alive[u] = true
		deg[u] = g.Degree(u)
	}
	for range 2 {
		var leaves []int
		for u := 0; u < n; u++ {
			if alive[u] && deg[u] == 1 {
				leaves = append(leaves, u)
			}
		}
		for _, u := range leaves {
			alive[u] = false
		}
		for _, u := range leaves {
			for _, v := range g.Neighbors(u) {
				if alive[v] {
					deg[v]--
				}
			}
		}
	}
	nodes, one, two := 0, 0, 0
	for u := 0; u < n; u++ {
		if !alive[u] {
			continue
		}
		nodes++
		switch deg[u] {
		case 1:
			one++
		case 2:
			two++
		}
	}
	// sums of degrees as GRAN writes them: Σ_{deg 1} d = 2, Σ_{deg 2} d = 2(n−2)
	return (one == 2 && 2*two == 2*(nodes-2)) || (one == 0 && two == 0)
}

// IsGrid reports whether g is isomorphic to an r×c lattice for some r, c ≥ 2.
func IsGrid(g *graphgen.Graph) bool {
	n := g.N()
	for r := 2; r*r <= n; r++ {
		if n%r != 0 {
			continue
		}
		c := n / r
		if g.M() != 2*r*c-r-c {
			continue
		}
		b := graphgen.NewBuilder(n)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				u := i*c + j
				if i+1 < r {
					b.Add(u, u+c)
				}
				if j+1 < c {
					b.Add(u, u+1)
				}
			}
		}
		if Isomorphic(g, b.Graph()) {
			return true
		}
	}
	return false
}

// BlockFit is a fitted stochastic block model partition.
type BlockFit struct {
	K      int   // number of non-empty blocks
	Blocks []int // block of every node, 0..K-1
}

// FitBlocks fits an SBM partition: for each K in 1..maxK a spectral
// clustering (leading eigenvectors of D^{-1/2} A D^{-1/2}, row-normalised,
// k-means++ with restarts) refined by greedy single-node moves that raise the
// Bernoulli SBM log-likelihood; K is chosen by a BIC-style description length
// (−LL + ½·K(K+1)/2·log C(n,2) + n·log K). Deterministic for a seed.
func FitBlocks(g *graphgen.Graph, maxK int, seed uint64) BlockFit {
	n := g.N()
	if n < 2 {
		return BlockFit{K: 1, Blocks: make([]int, n)}
	}
	r := rand.New(rand.NewPCG(seed, 0x5b3))
	// spectral embedding
	s := make([]float64, n)
	for u := range s {
		if d := g.Degree(u); d > 0 {
			s[u] = 1 / math.Sqrt(float64(d))
		}
	}
	a := mat.NewSymDense(n, nil)
	for u := 0; u < n; u++ {
		for _, v := range g.Neighbors(u) {
			if v > u {
				a.SetSym(u, v, s[u]*s[v])
			}
		}
	}
	var es mat.EigenSym
	es.Factorize(a, true)
	var vec mat.Dense
	es.VectorsTo(&vec)
	pairs := math.Log(float64(n*(n-1)) / 2)
	best, bestScore := BlockFit{K: 1, Blocks: make([]int, n)}, math.Inf(1)
	for k := 1; k <= min(maxK, n); k++ {
		var blocks []int
		if k == 1 {
			blocks = make([]int, n)
		} else {
			x := make([][]float64, n)
			for u := range x {
				row := make([]float64, k)
				var nr float64
				for j := 0; j < k; j++ {
					row[j] = vec.At(u, n-1-j)
					nr += row[j] * row[j]
				}
				if nr > 0 {
					for j := range row {
						row[j] /= math.Sqrt(nr)
					}
				}
				x[u] = row
			}
			blocks = kmeans(x, k, 10, r)
			refine(g, blocks, k)
		}
		kk, bl := relabel(blocks)
		ll := sbmLogLik(g, bl, kk)
		score := -ll + 0.5*float64(kk*(kk+1)/2)*pairs + float64(n)*math.Log(float64(kk))
		if score < bestScore {
			best, bestScore = BlockFit{K: kk, Blocks: bl}, score
		}
	}
	return best
}

func relabel(b []int) (int, []int) {
	m := map[int]int{}
	out := make([]int, len(b))
	for i, x := range b {
		if _, ok := m[x]; !ok {
			m[x] = len(m)
		}
		out[i] = m[x]
	}
	return len(m), out
}

func kmeans(x [][]float64, k, restarts int, r *rand.Rand) []int {
	n, d := len(x), len(x[0])
	dist := func(a, b []float64) float64 {
		var s float64
		for i := range a {
			s += (a[i] - b[i]) * (a[i] - b[i])
		}
		return s
	}
	var best []int
	bestCost := math.Inf(1)
	for range restarts {
		cent := [][]float64{slices.Clone(x[r.IntN(n)])}
		dd := make([]float64, n)
		for len(cent) < k {
			var tot float64
			for i := range x {
				dd[i] = math.Inf(1)
				for _, c := range cent {
					dd[i] = min(dd[i], dist(x[i], c))
				}
				tot += dd[i]
			}
			t := r.Float64() * tot
			j := 0
			for ; j < n-1 && t > dd[j]; j++ {
				t -= dd[j]
			}
			cent = append(cent, slices.Clone(x[j]))
		}
		asg := make([]int, n)
		for iter := 0; iter < 100; iter++ {
			changed := false
			for i := range x {
				bj, bd := 0, math.Inf(1)
				for j, c := range cent {
					if v := dist(x[i], c); v < bd {
						bj, bd = j, v
					}
				}
				if asg[i] != bj || iter == 0 {
					changed = changed || asg[i] != bj
					asg[i] = bj
				}
			}
			for j := range cent {
				for t := range cent[j] {
					cent[j][t] = 0
				}
			}
			cnt := make([]int, k)
			for i, j := range asg {
				cnt[j]++
				for t := 0; t < d; t++ {
					cent[j][t] += x[i][t]
				}
			}
			for j := range cent {
				if cnt[j] > 0 {
					for t := range cent[j] {
						cent[j][t] /= float64(cnt[j])
					}
				}
			}
			if !changed && iter > 0 {
				break
			}
		}
		var cost float64
		for i, j := range asg {
			cost += dist(x[i], cent[j])
		}
		if cost < bestCost {
			best, bestCost = slices.Clone(asg), cost
		}
	}
	return best
}

// blockCounts returns node counts and edge counts between blocks (e[r][s]
// edges with one end in r and one in s; e[r][r] edges inside r).
func blockCounts(g *graphgen.Graph, b []int, k int) ([]float64, [][]float64) {
	nr := make([]float64, k)
	e := make([][]float64, k)
	for i := range e {
		e[i] = make([]float64, k)
	}
	for _, x := range b {
		nr[x]++
	}
	for _, ed := range g.Edges() {
		r, s := b[ed[0]], b[ed[1]]
		e[r][s]++
		if r != s {
			e[s][r]++
		}
	}
	return nr, e
}

func bern(e, pairs float64) float64 {
	if pairs <= 0 || e <= 0 || e >= pairs {
		return 0
	}
	p := e / pairs
	return e*math.Log(p) + (pairs-e)*math.Log(1-p)
}

func sbmLogLik(g *graphgen.Graph, b []int, k int) float64 {
	nr, e := blockCounts(g, b, k)
	var ll float64
	for r := 0; r < k; r++ {
		ll += bern(e[r][r], nr[r]*(nr[r]-1)/2)
		for s := r + 1; s < k; s++ {
			ll += bern(e[r][s], nr[r]*nr[s])
		}
	}
	return ll
}

// refine moves single nodes between blocks while the SBM log-likelihood
// rises, updating block counts incrementally.
func refine(g *graphgen.Graph, b []int, k int) {
	nr, e := blockCounts(g, b, k)
	ll := func() float64 {
		var v float64
		for r := 0; r < k; r++ {
			v += bern(e[r][r], nr[r]*(nr[r]-1)/2)
			for s := r + 1; s < k; s++ {
				v += bern(e[r][s], nr[r]*nr[s])
			}
		}
		return v
	}
	cnt := make([]float64, k)
	// move u (with cnt = its neighbours per block, u itself excluded) from a to c
	move := func(a, c int) {
		for x := 0; x < k; x++ {
			if x == a {
				e[a][a] -= cnt[a]
			} else {
				e[a][x] -= cnt[x]
				e[x][a] = e[a][x]
			}
		}
		nr[a]--
		for x := 0; x < k; x++ {
			if x == c {
				e[c][c] += cnt[c]
			} else {
				e[c][x] += cnt[x]
				e[x][c] = e[c][x]
			}
		}
		nr[c]++
	}
	cur := ll()
	for sweep := 0; sweep < 50; sweep++ {
		moved := false
		for u := range b {
			for x := range cnt {
				cnt[x] = 0
			}
			for _, v := range g.Neighbors(u) {
				cnt[b[v]]++
			}
			old := b[u]
			bestB, bestLL := old, cur
			for c := 0; c < k; c++ {
				if c == old {
					continue
				}
				move(old, c)
				if v := ll(); v > bestLL+1e-9 {
					bestB, bestLL = c, v
				}
				move(c, old)
			}
			if bestB != old {
				move(old, bestB)
				b[u] = bestB
				cur, moved = bestLL, true
			}
		}
		if !moved {
			return
		}
	}
}

// SBMPValue is SPECTRE's is_sbm_graph statistic on a partition: the mean over
// block pairs of the p-value of the Wald statistic (p̂−p)²/(p̂(1−p̂)+1e-6) under
// χ²(1), p̂ the within- or between-block edge density.
func SBMPValue(g *graphgen.Graph, fit BlockFit, pIntra, pInter float64) float64 {
	nr, e := blockCounts(g, fit.Blocks, fit.K)
	chi := distuv.ChiSquared{K: 1}
	var sum float64
	k := fit.K
	for r := 0; r < k; r++ {
		for s := 0; s < k; s++ {
			var est, p float64
			if r == s {
				// graph-tool's e_rr counts intra edges twice, over n(n−1)
				est, p = 2*e[r][r]/(nr[r]*(nr[r]-1)+1e-6), pIntra
			} else {
				est, p = e[r][s]/(nr[r]*nr[s]+1e-6), pInter
			}
			w := (est - p) * (est - p) / (est*(1-est) + 1e-6)
			sum += 1 - chi.CDF(math.Abs(w))
		}
	}
	return sum / float64(k*k)
}

// IsSBM is SPECTRE's strict SBM validity on our block fit: 2–5 blocks of
// 20–40 nodes and a mean Wald p-value above 0.9.
func IsSBM(g *graphgen.Graph, pIntra, pInter float64) bool {
	fit := FitBlocks(g, 6, 1)
	if fit.K < 2 || fit.K > 5 {
		return false
	}
	cnt := make([]int, fit.K)
	for _, x := range fit.Blocks {
		cnt[x]++
	}
	for _, c := range cnt {
		if c < 20 || c > 40 {
			return false
		}
	}
	return SBMPValue(g, fit, pIntra, pInter) > 0.9
}
