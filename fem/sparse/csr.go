package sparse

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// CSR is a sparse matrix in compressed sparse row form. Row i holds the
// columns ColIdx[RowPtr[i]:RowPtr[i+1]] (sorted, no duplicates) with values
// Val[RowPtr[i]:RowPtr[i+1]].
type CSR struct {
	Rows, Cols int
	RowPtr     []int32
	ColIdx     []int32
	Val        []float64
}

// NewPattern builds an n×n CSR matrix, all values zero, whose pattern is the
// union of the dense blocks groups[g*k:(g+1)*k] × groups[g*k:(g+1)*k] — the
// sparsity of a finite-element matrix whose cells have k degrees of freedom.
func NewPattern(n, k int, groups []int32) *CSR {
	if k <= 0 || len(groups)%k != 0 {
		panic(fmt.Sprintf("sparse: NewPattern: %d indices not a multiple of block size %d", len(groups), k))
	}
	// Row adjacency via counting then sort+unique per row.
	cnt := make([]int32, n+1)
	for _, d := range groups {
		cnt[d+1] += int32(k)
	}
	for i := 0; i < n; i++ {
		cnt[i+1] += cnt[i]
	}
	tmp := make([]int32, cnt[n])
	fill := slices.Clone(cnt[:n])
	ng := len(groups) / k
	for g := 0; g < ng; g++ {
		blk := groups[g*k : (g+1)*k]
		for _, r := range blk {
			copy(tmp[fill[r]:], blk)
			fill[r] += int32(k)
		}
	}
	a := &CSR{Rows: n, Cols: n, RowPtr: make([]int32, n+1)}
	a.ColIdx = make([]int32, 0, cnt[n]/2)
	for i := 0; i < n; i++ {
		row := tmp[cnt[i]:cnt[i+1]]
		slices.Sort(row)
		row = slices.Compact(row)
		a.ColIdx = append(a.ColIdx, row...)
		a.RowPtr[i+1] = int32(len(a.ColIdx))
	}
	a.ColIdx = slices.Clip(a.ColIdx)
	a.Val = make([]float64, len(a.ColIdx))
	return a
}

// FromDense returns the CSR form of the dense row-major r×c matrix d, keeping
// non-zero entries (and the diagonal).
func FromDense(r, c int, d []float64) *CSR {
	a := &CSR{Rows: r, Cols: c, RowPtr: make([]int32, r+1)}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := d[i*c+j]; v != 0 || i == j {
				a.ColIdx = append(a.ColIdx, int32(j))
				a.Val = append(a.Val, v)
			}
		}
		a.RowPtr[i+1] = int32(len(a.ColIdx))
	}
	return a
}

// Dense returns a as a dense row-major slice.
func (a *CSR) Dense() []float64 {
	d := make([]float64, a.Rows*a.Cols)
	for i := 0; i < a.Rows; i++ {
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			d[i*a.Cols+int(a.ColIdx[p])] += a.Val[p]
		}
	}
	return d
}

// NNZ returns the number of stored entries.
func (a *CSR) NNZ() int { return len(a.Val) }

// Clone returns a deep copy of a.
func (a *CSR) Clone() *CSR {
	return &CSR{Rows: a.Rows, Cols: a.Cols, RowPtr: slices.Clone(a.RowPtr), ColIdx: slices.Clone(a.ColIdx), Val: slices.Clone(a.Val)}
}

// CloneStructure returns a matrix with a's pattern (shared, not copied) and zero values.
func (a *CSR) CloneStructure() *CSR {
	return &CSR{Rows: a.Rows, Cols: a.Cols, RowPtr: a.RowPtr, ColIdx: a.ColIdx, Val: make([]float64, len(a.Val))}
}

// Index returns the position of entry (i, j) in Val, or -1 if it is not stored.
func (a *CSR) Index(i, j int) int {
	lo, hi := int(a.RowPtr[i]), int(a.RowPtr[i+1])
	jj := int32(j)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a.ColIdx[m] < jj {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < int(a.RowPtr[i+1]) && a.ColIdx[lo] == jj {
		return lo
	}
	return -1
}

// At returns entry (i, j) (zero when not stored).
func (a *CSR) At(i, j int) float64 {
	if p := a.Index(i, j); p >= 0 {
		return a.Val[p]
	}
	return 0
}

// Diag returns the diagonal of a.
func (a *CSR) Diag() []float64 {
	d := make([]float64, min(a.Rows, a.Cols))
	for i := range d {
		d[i] = a.At(i, i)
	}
	return d
}

// Zero sets all stored values to zero, keeping the pattern.
func (a *CSR) Zero() { clear(a.Val) }

// parallelRows is the row count above which MulVec uses two goroutines.
const parallelRows = 20000

// MulVec sets y = A x.
func (a *CSR) MulVec(y, x []float64) {
	if len(x) != a.Cols || len(y) != a.Rows {
		panic(fmt.Sprintf("sparse: MulVec: %dx%d matrix with x of %d and y of %d", a.Rows, a.Cols, len(x), len(y)))
	}
	if a.Rows < parallelRows || runtime.GOMAXPROCS(0) < 2 {
		a.mulRange(y, x, 0, a.Rows)
		return
	}
	// split by nonzeros in two halves
	half := a.RowPtr[a.Rows] / 2
	mid, _ := slices.BinarySearch(a.RowPtr, half)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { a.mulRange(y, x, mid, a.Rows); wg.Done() }()
	a.mulRange(y, x, 0, mid)
	wg.Wait()
}

func (a *CSR) mulRange(y, x []float64, r0, r1 int) {
	rp, ci, v := a.RowPtr, a.ColIdx, a.Val
	for i := r0; i < r1; i++ {
		lo, hi := rp[i], rp[i+1]
		cols := ci[lo:hi]
		vals := v[lo:hi]
		vals = vals[:len(cols)]
		// two accumulators halve the floating-point add dependency chain
		s0, s1 := 0.0, 0.0
		k := 0
		for ; k+1 < len(cols); k += 2 {
			s0 += vals[k] * x[cols[k]]
			s1 += vals[k+1] * x[cols[k+1]]
		}
		if k < len(cols) {
			s0 += vals[k] * x[cols[k]]
		}
		y[i] = s0 + s1
	}
}

// Transpose returns Aᵀ.
func (a *CSR) Transpose() *CSR {
	t := &CSR{Rows: a.Cols, Cols: a.Rows, RowPtr: make([]int32, a.Cols+1), ColIdx: make([]int32, len(a.ColIdx)), Val: make([]float64, len(a.Val))}
	for _, j := range a.ColIdx {
		t.RowPtr[j+1]++
	}
	for i := 0; i < a.Cols; i++ {
		t.RowPtr[i+1] += t.RowPtr[i]
	}
	fill := slices.Clone(t.RowPtr[:a.Cols])
	for i := 0; i < a.Rows; i++ {
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			j := a.ColIdx[p]
			t.ColIdx[fill[j]] = int32(i)
			t.Val[fill[j]] = a.Val[p]
			fill[j]++
		}
	}
	return t
}

// IsSymmetric reports whether A equals Aᵀ within tol·max|a_ij|.
func (a *CSR) IsSymmetric(tol float64) bool {
	if a.Rows != a.Cols {
		return false
	}
	mx := 0.0
	for _, v := range a.Val {
		mx = math.Max(mx, math.Abs(v))
	}
	for i := 0; i < a.Rows; i++ {
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			if math.Abs(a.Val[p]-a.At(int(a.ColIdx[p]), i)) > tol*mx {
				return false
			}
		}
	}
	return true
}

// Permute returns P A Pᵀ for the permutation perm (perm[k] is the old index of
// new row k), with sorted rows, and vmap with pa.Val[q] = a.Val[vmap[q]] so that
// new values of a matrix with a's pattern can be permuted by a gather.
func Permute(a *CSR, perm []int32) (pa *CSR, vmap []int32) {
	n := a.Rows
	if a.Cols != n || len(perm) != n {
		panic("sparse: Permute: need a square matrix and a permutation of its size")
	}
	inv := make([]int32, n)
	for k, o := range perm {
		inv[o] = int32(k)
	}
	pa = &CSR{Rows: n, Cols: n, RowPtr: make([]int32, n+1), ColIdx: make([]int32, len(a.ColIdx)), Val: make([]float64, len(a.Val))}
	vmap = make([]int32, len(a.ColIdx))
	for k, o := range perm {
		pa.RowPtr[k+1] = pa.RowPtr[k] + (a.RowPtr[o+1] - a.RowPtr[o])
	}
	for k, o := range perm {
		q := pa.RowPtr[k]
		for p := a.RowPtr[o]; p < a.RowPtr[o+1]; p++ {
			pa.ColIdx[q] = inv[a.ColIdx[p]]
			vmap[q] = p
			q++
		}
		cs, ps := pa.ColIdx[pa.RowPtr[k]:q], vmap[pa.RowPtr[k]:q]
		for x := 1; x < len(cs); x++ {
			for y := x; y > 0 && cs[y] < cs[y-1]; y-- {
				cs[y], cs[y-1] = cs[y-1], cs[y]
				ps[y], ps[y-1] = ps[y-1], ps[y]
			}
		}
	}
	for q, p := range vmap {
		pa.Val[q] = a.Val[p]
	}
	return pa, vmap
}
