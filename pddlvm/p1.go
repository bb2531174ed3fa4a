package pddlvm

import (
	"fmt"
	"math"

	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/mesh"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"gonum.org/v1/gonum/mat"
)

// Nonlinearity multiplies the conductivity by a function of the solution,
// κ(x, u; θ) = κ(x; θ)·q(u), q(u) = 1 + Beta·u² (the nonlinear Poisson problem of
// the FEniCS demos when Beta = 1). A nil *Nonlinearity means q = 1.
type Nonlinearity struct {
	Beta float64
}

func (n *Nonlinearity) q(u float64) float64 {
	if n == nil {
		return 1
	}
	return 1 + n.Beta*u*u
}

// Disc is the P1 finite-element discretisation of
//
//	−∇·(κ(x, u; θ) ∇u) = f  in Ω,  u = g on ∂Ω,
//
// on a mesh of intervals or triangles, with κ evaluated at the quadrature points of
// each cell (the degree-3 rule fem uses for a coefficient given as a function).
// Its Residual builds r(u, θ) = A(u, θ)u − b on the free (interior) nodes inside a
// GoMLX graph, differentiable in u and θ; there is no linear solve.
type Disc struct {
	Mesh   *mesh.Mesh
	Space  *fem.Space
	Field  *KL
	Nonlin *Nonlinearity
	F      func(x []float64) float64 // source f
	G      func(x []float64) float64 // Dirichlet value g (nil: 0)

	Free  []int32   // free node indices, in increasing order
	Fixed []int32   // Dirichlet node indices
	GVal  []float64 // g at Fixed
	Load  []float64 // ∫ f φ_i at the free nodes

	nd, dim, nc, nq int
	catIdx          []int32   // per cell, per local node: index into [free..., fixed...]
	grads           []float64 // [nc, nd, dim] physical basis gradients
	meas            []float64 // [nc] cell measure
	qw              []float64 // [nq] normalised weights (sum 1)
	qphi            []float64 // [nq, nd] basis values at the quadrature points
	qx              []float64 // [nc, nq, dim] physical quadrature points
	basis           []float64 // [nc*nq, d] KL basis at the quadrature points
	basisMean       float64
}

// NewDisc prepares the discretisation. Every boundary node of m is a Dirichlet node.
func NewDisc(m *mesh.Mesh, field *KL, nonlin *Nonlinearity, f, g func(x []float64) float64) *Disc {
	if field.Dim != m.Dim {
		panic(fmt.Sprintf("pddlvm: field dimension %d on a %d-D mesh", field.Dim, m.Dim))
	}
	d := &Disc{Mesh: m, Space: fem.NewSpace(m, 1), Field: field, Nonlin: nonlin, F: f, G: g}
	d.dim, d.nd, d.nc = m.Dim, m.Dim+1, m.NumCells()
	bnd := map[int32]bool{}
	for _, v := range m.Facets {
		bnd[v] = true
	}
	nn := m.NumNodes()
	pos := make([]int32, nn)
	for i := 0; i < nn; i++ {
		if !bnd[int32(i)] {
			pos[i] = int32(len(d.Free))
			d.Free = append(d.Free, int32(i))
		}
	}
	for i := 0; i < nn; i++ {
		if bnd[int32(i)] {
			pos[i] = int32(len(d.Free) + len(d.Fixed))
			d.Fixed = append(d.Fixed, int32(i))
			gv := 0.0
			if g != nil {
				gv = g(m.Node(i))
			}
			d.GVal = append(d.GVal, gv)
		}
	}
	load := d.Space.Load(fem.Func(f))
	for _, i := range d.Free {
		d.Load = append(d.Load, load[i])
	}
	q := fem.QuadratureRule(d.dim, 3)
	d.nq = q.NumPoints()
	sw := 0.0
	for _, w := range q.Weights {
		sw += w
	}
	for _, w := range q.Weights {
		d.qw = append(d.qw, w/sw)
	}
	phi := make([]float64, d.nd)
	for k := 0; k < d.nq; k++ {
		d.Space.Elem.Eval(q.Points[k*d.dim:(k+1)*d.dim], phi, nil)
		d.qphi = append(d.qphi, phi...)
	}
	d.catIdx = make([]int32, d.nc*d.nd)
	d.grads = make([]float64, d.nc*d.nd*d.dim)
	d.meas = make([]float64, d.nc)
	d.qx = make([]float64, d.nc*d.nq*d.dim)
	for c := 0; c < d.nc; c++ {
		v := m.Cell(c)
		for a, i := range v {
			d.catIdx[c*d.nd+a] = pos[i]
		}
		gr := d.grads[c*d.nd*d.dim : (c+1)*d.nd*d.dim]
		if d.dim == 1 {
			a, b := m.X[v[0]], m.X[v[1]]
			gr[0], gr[1] = -1/(b-a), 1/(b-a)
			d.meas[c] = math.Abs(b - a)
			for k := 0; k < d.nq; k++ {
				d.qx[c*d.nq+k] = a + (b-a)*q.Points[k]
			}
			continue
		}
		x0, y0 := m.X[2*v[0]], m.X[2*v[0]+1]
		j00, j01 := m.X[2*v[1]]-x0, m.X[2*v[2]]-x0
		j10, j11 := m.X[2*v[1]+1]-y0, m.X[2*v[2]+1]-y0
		det := j00*j11 - j01*j10
		d.meas[c] = math.Abs(det) / 2
		// reference gradients (-1,-1), (1,0), (0,1); physical = J⁻ᵀ ref
		k00, k01, k10, k11 := j11/det, -j10/det, -j01/det, j00/det
		ref := [3][2]float64{{-1, -1}, {1, 0}, {0, 1}}
		for a := 0; a < 3; a++ {
			gr[2*a] = k00*ref[a][0] + k01*ref[a][1]
			gr[2*a+1] = k10*ref[a][0] + k11*ref[a][1]
		}
		for k := 0; k < d.nq; k++ {
			p0, p1 := q.Points[2*k], q.Points[2*k+1]
			d.qx[(c*d.nq+k)*2] = x0 + j00*p0 + j01*p1
			d.qx[(c*d.nq+k)*2+1] = y0 + j10*p0 + j11*p1
		}
	}
	nt := field.Terms
	d.basis = make([]float64, d.nc*d.nq*nt)
	for p := 0; p < d.nc*d.nq; p++ {
		field.Basis(d.qx[p*d.dim:(p+1)*d.dim], d.basis[p*nt:(p+1)*nt])
	}
	d.basisMean = field.Mean
	return d
}

// NumFree is the number of unknowns (free nodes).
func (d *Disc) NumFree() int { return len(d.Free) }

// NumParams is the dimension d of θ.
func (d *Disc) NumParams() int { return d.Field.Terms }

// Full returns the nodal vector of all mesh nodes from free values uf.
func (d *Disc) Full(uf []float64) []float64 {
	u := make([]float64, d.Mesh.NumNodes())
	for k, i := range d.Free {
		u[i] = uf[k]
	}
	for k, i := range d.Fixed {
		u[i] = d.GVal[k]
	}
	return u
}

func constOf(g *Graph, dt dtypes.DType, x []float64, dims ...int) *Node {
	return Reshape(ConvertDType(Const(g, x), dt), dims...)
}

func i32Const(g *Graph, x []int32, dims ...int) *Node {
	return Reshape(Const(g, x), dims...)
}

// LogKappaGraph returns log κ at the quadrature points, shape [B, cells, quad points],
// for θ of shape [B, d].
func (d *Disc) LogKappaGraph(theta *Node) *Node {
	g, dt := theta.Graph(), theta.DType()
	b := theta.Shape().Dimensions[0]
	nt := d.Field.Terms
	basis := constOf(g, dt, d.basis, d.nc*d.nq, nt)
	lk := Dot(theta, Transpose(basis, 0, 1)).Product() // [B, nc*nq]
	lk = AddScalar(lk, d.basisMean)
	return Reshape(lk, b, d.nc, d.nq)
}

// Residual returns r(u, θ) = A(u, θ)u − b at the free nodes, shape [B, NumFree], for
// u of shape [B, NumFree] (free node values) and θ of shape [B, d].
func (d *Disc) Residual(u, theta *Node) *Node {
	g, dt := u.Graph(), u.DType()
	b := u.Shape().Dimensions[0]
	nf, nfix := len(d.Free), len(d.Fixed)
	if u.Rank() != 2 || u.Shape().Dimensions[1] != nf {
		panic(fmt.Sprintf("pddlvm: Residual: u has shape %s, want [B, %d]", u.Shape(), nf))
	}
	ut := Transpose(u, 0, 1) // [nf, B]
	cat := ut
	if nfix > 0 {
		gv := constOf(g, dt, d.GVal, nfix, 1)
		cat = Concatenate([]*Node{ut, BroadcastToDims(gv, nfix, b)}, 0) // [nf+nfix, B]
	}
	idx := i32Const(g, d.catIdx, d.nc, d.nd, 1)
	ue := Gather(cat, idx) // [nc, nd, B]
	grads := constOf(g, dt, d.grads, d.nc, d.nd, d.dim, 1)
	gu := ReduceSum(Mul(grads, ExpandAxes(ue, 2)), 1) // [nc, dim, B]
	// coefficient: mean over quadrature points of κ(x_q; θ) q(u_q)
	lk := d.LogKappaGraph(theta)   // [B, nc, nq]
	kq := Transpose(Exp(lk), 0, 1) // [nc, B, nq]
	kq = Transpose(kq, 1, 2)       // [nc, nq, B]
	if d.Nonlin != nil && d.Nonlin.Beta != 0 {
		qphi := constOf(g, dt, d.qphi, 1, d.nq, d.nd, 1)
		uq := ReduceSum(Mul(qphi, ExpandAxes(ue, 1)), 2) // [nc, nq, B]
		kq = Mul(kq, AddScalar(MulScalar(Square(uq), d.Nonlin.Beta), 1))
	}
	qw := constOf(g, dt, d.qw, 1, d.nq, 1)
	kc := ReduceSum(Mul(kq, qw), 1) // [nc, B]
	meas := constOf(g, dt, d.meas, d.nc, 1)
	flux := Mul(gu, ExpandAxes(Mul(kc, meas), 1))        // [nc, dim, B]
	loc := ReduceSum(Mul(grads, ExpandAxes(flux, 1)), 2) // [nc, nd, B]
	r := ScatterSum(Zeros(g, cat.Shape()), Reshape(idx, d.nc*d.nd, 1), Reshape(loc, d.nc*d.nd, b), false, false)
	r = Slice(r, AxisRange(0, nf)) // [nf, B]
	r = Sub(r, constOf(g, dt, d.Load, nf, 1))
	return Transpose(r, 0, 1)
}

// KappaFunc returns κ(·; θ) as a function of position, for fem assembly.
func (d *Disc) KappaFunc(theta []float64) func(x []float64) float64 {
	th := append([]float64(nil), theta...)
	return func(x []float64) float64 { return d.Field.Kappa(x, th) }
}

func (d *Disc) gOrZero() func(x []float64) float64 {
	if d.G == nil {
		return func([]float64) float64 { return 0 }
	}
	return d.G
}

// Whitener returns W = A₀⁻¹ restricted to the free nodes, row-major [NumFree, NumFree],
// where A₀ is the stiffness matrix of the mean field κ(x; 0) (and u = 0 for a
// nonlinear problem). Using the residual covariance σ² A₀A₀ᵀ instead of σ² I makes
// the whitened residual W r(u, θ) have the units of u and the likelihood well
// conditioned; it costs one factorisation of a θ-independent matrix before training.
func (d *Disc) Whitener() ([]float64, error) {
	k := d.Space.Stiffness(fem.Func(d.KappaFunc(make([]float64, d.NumParams()))))
	nf := len(d.Free)
	pos := make(map[int32]int, nf)
	for k, i := range d.Free {
		pos[i] = k
	}
	a := mat.NewDense(nf, nf, nil)
	for r, i := range d.Free {
		for p := k.RowPtr[i]; p < k.RowPtr[i+1]; p++ {
			if c, ok := pos[k.ColIdx[p]]; ok {
				a.Set(r, c, k.Val[p])
			}
		}
	}
	var inv mat.Dense
	if err := inv.Inverse(a); err != nil {
		return nil, fmt.Errorf("pddlvm: whitener: %w", err)
	}
	return inv.RawMatrix().Data, nil
}
