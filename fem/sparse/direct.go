package sparse

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrSingular is returned (wrapped) when a direct factorisation meets a zero pivot.
var ErrSingular = errors.New("sparse: matrix is singular")

// BandLU is a direct LU factorisation with partial pivoting of a sparse matrix
// stored as a band after a reverse Cuthill–McKee reordering (George and Liu
// 1981). Its cost is O(n·b²) for bandwidth b, so it suits small systems (a few
// ten thousand unknowns on 2-D meshes); it works for non-symmetric matrices
// such as Newton Jacobians.
type BandLU struct {
	n, kl, ku, kv, ld int
	ab                []float64 // column-major band, LAPACK dgbtrf layout
	piv               []int32
	perm              []int32 // new index -> old index
	work              []float64
}

// NewBandLU factorises a. With reorder false the natural order is kept.
func NewBandLU(a *CSR, reorder bool) (*BandLU, error) {
	n := a.Rows
	if a.Cols != n {
		panic("sparse: NewBandLU: matrix not square")
	}
	var perm []int32
	if reorder {
		perm = RCM(a)
	} else {
		perm = make([]int32, n)
		for i := range perm {
			perm[i] = int32(i)
		}
	}
	return NewBandLUPerm(a, perm)
}

// NewBandLUPerm is NewBandLU with the symmetric ordering given: perm[k] is the
// original index of the k-th unknown (as RCM returns it). Systems that share a
// sparsity pattern — Newton steps, parameters — can compute the ordering once.
func NewBandLUPerm(a *CSR, perm []int32) (*BandLU, error) {
	n := a.Rows
	if a.Cols != n || len(perm) != n {
		panic("sparse: NewBandLUPerm: matrix not square or ordering of the wrong length")
	}
	inv := make([]int32, n)
	for k, o := range perm {
		inv[o] = int32(k)
	}
	kl, ku := 0, 0
	for i := 0; i < n; i++ {
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			d := int(inv[i]) - int(inv[a.ColIdx[p]])
			if d > kl {
				kl = d
			}
			if -d > ku {
				ku = -d
			}
		}
	}
	f := &BandLU{n: n, kl: kl, ku: ku, kv: kl + ku, ld: 2*kl + ku + 1, perm: perm, piv: make([]int32, n), work: make([]float64, n)}
	f.ab = make([]float64, f.ld*n)
	for i := 0; i < n; i++ {
		ni := int(inv[i])
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			nj := int(inv[a.ColIdx[p]])
			f.ab[f.pos(ni, nj)] += a.Val[p]
		}
	}
	if err := f.factor(); err != nil {
		return nil, err
	}
	return f, nil
}

// Bandwidths returns the lower and upper bandwidth after reordering.
func (f *BandLU) Bandwidths() (kl, ku int) { return f.kl, f.ku }

// pos returns the index of A(i, j) in the band array.
func (f *BandLU) pos(i, j int) int { return j*(f.ld-1) + f.kv + i }

// factor is LAPACK's dgbtf2 (unblocked band LU with partial pivoting).
func (f *BandLU) factor() error {
	n, kl, kv, ab := f.n, f.kl, f.kv, f.ab
	ld := f.ld
	ju := 0
	for j := 0; j < n; j++ {
		km := min(kl, n-1-j)
		// pivot search in column j, rows j..j+km
		col := ab[j*ld+kv : j*ld+kv+km+1]
		jp, best := 0, math.Abs(col[0])
		for r := 1; r <= km; r++ {
			if v := math.Abs(col[r]); v > best {
				jp, best = r, v
			}
		}
		f.piv[j] = int32(j + jp)
		if best == 0 {
			return fmt.Errorf("%w: zero pivot in column %d", ErrSingular, f.perm[j])
		}
		ju = max(ju, min(j+f.ku+jp, n-1))
		if jp != 0 {
			for c := j; c <= ju; c++ {
				p1, p2 := f.pos(j+jp, c), f.pos(j, c)
				ab[p1], ab[p2] = ab[p2], ab[p1]
			}
		}
		if km > 0 {
			inv := 1 / col[0]
			for r := 1; r <= km; r++ {
				col[r] *= inv
			}
			for c := j + 1; c <= ju; c++ {
				u := ab[f.pos(j, c)]
				if u == 0 {
					continue
				}
				base := f.pos(j+1, c)
				dst := ab[base : base+km]
				for r, l := range col[1:] {
					dst[r] -= l * u
				}
			}
		}
	}
	return nil
}

// Solve solves A x = b; x and b may be the same slice.
func (f *BandLU) Solve(x, b []float64) {
	n := f.n
	if len(x) != n || len(b) != n {
		panic(fmt.Sprintf("sparse: BandLU.Solve: n=%d, x of %d, b of %d", n, len(x), len(b)))
	}
	y := f.work
	for k, o := range f.perm {
		y[k] = b[o]
	}
	ld, kv := f.ld, f.kv
	for j := 0; j < n-1; j++ {
		if l := int(f.piv[j]); l != j {
			y[l], y[j] = y[j], y[l]
		}
		km := min(f.kl, n-1-j)
		yj := y[j]
		if yj != 0 {
			col := f.ab[j*ld+kv+1 : j*ld+kv+1+km]
			dst := y[j+1 : j+1+km]
			for r, l := range col {
				dst[r] -= l * yj
			}
		}
	}
	for j := n - 1; j >= 0; j-- {
		y[j] /= f.ab[f.pos(j, j)]
		yj := y[j]
		if yj == 0 {
			continue
		}
		i0 := max(0, j-kv)
		base := f.pos(i0, j)
		col := f.ab[base : base+(j-i0)]
		dst := y[i0:j]
		for r, u := range col {
			dst[r] -= u * yj
		}
	}
	for k, o := range f.perm {
		x[o] = y[k]
	}
}

// RCM returns the reverse Cuthill–McKee ordering of the symmetrised graph of a:
// perm[k] is the old index of the node placed at position k. Each connected
// component starts from a pseudo-peripheral node.
func RCM(a *CSR) []int32 {
	n := a.Rows
	// symmetric adjacency
	t := a.Transpose()
	adj := make([][]int32, n)
	for i := 0; i < n; i++ {
		row := append([]int32(nil), a.ColIdx[a.RowPtr[i]:a.RowPtr[i+1]]...)
		row = append(row, t.ColIdx[t.RowPtr[i]:t.RowPtr[i+1]]...)
		slices.Sort(row)
		row = slices.Compact(row)
		out := row[:0]
		for _, j := range row {
			if int(j) != i {
				out = append(out, j)
			}
		}
		adj[i] = out
	}
	deg := func(i int32) int { return len(adj[i]) }
	visited := make([]bool, n)
	order := make([]int32, 0, n)
	level := make([]int32, n)
	bfs := func(s int32, mark []bool) (last []int32, depth int) {
		// returns the last level; does not modify visited
		q := []int32{s}
		mark[s] = true
		level[s] = 0
		seen := []int32{s}
		for h := 0; h < len(q); h++ {
			v := q[h]
			for _, w := range adj[v] {
				if !mark[w] {
					mark[w] = true
					level[w] = level[v] + 1
					q = append(q, w)
					seen = append(seen, w)
				}
			}
		}
		depth = int(level[q[len(q)-1]])
		for _, v := range q {
			if int(level[v]) == depth {
				last = append(last, v)
			}
		}
		for _, v := range seen {
			mark[v] = false
		}
		return last, depth
	}
	mark := make([]bool, n)
	for s0 := 0; s0 < n; s0++ {
		if visited[s0] {
			continue
		}
		// pseudo-peripheral node (George–Liu)
		s := int32(s0)
		last, depth := bfs(s, mark)
		for it := 0; it < 10; it++ {
			best := last[0]
			for _, v := range last {
				if deg(v) < deg(best) {
					best = v
				}
			}
			l2, d2 := bfs(best, mark)
			if d2 <= depth {
				break
			}
			s, last, depth = best, l2, d2
		}
		// Cuthill–McKee from s
		start := len(order)
		order = append(order, s)
		visited[s] = true
		for h := start; h < len(order); h++ {
			v := order[h]
			nb := make([]int32, 0, len(adj[v]))
			for _, w := range adj[v] {
				if !visited[w] {
					visited[w] = true
					nb = append(nb, w)
				}
			}
			slices.SortFunc(nb, func(x, y int32) int { return deg(x) - deg(y) })
			order = append(order, nb...)
		}
	}
	slices.Reverse(order)
	return order
}
