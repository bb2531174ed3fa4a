package ff

import (
	"fmt"

	"github.com/ergml/erg/ff/data"
	"github.com/ergml/erg/ff/mol"
	"github.com/ergml/erg/nn"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Arch is the network's shape. The zero value is DefaultArch.
type Arch struct {
	Width   int     `json:"width"`   // GraphSAGE and Janossy width (espaloma: 128 GNN, 512 heads; CPU: 128)
	Layers  int     `json:"layers"`  // GraphSAGE layers (espaloma 3)
	Hidden  int     `json:"hidden"`  // hidden layers of each Janossy MLP (espaloma 4)
	Dropout float64 `json:"dropout"` // feature dropout before each GraphSAGE layer (espaloma 0.1)
}

// DefaultArch is espaloma 0.3's architecture at width 128.
var DefaultArch = Arch{Width: 128, Layers: 3, Hidden: 3, Dropout: 0.1}

// Caps are the padded sizes of a batch: molecules, atoms, terms of each kind,
// conformers.
type Caps struct {
	Mols, Atoms int
	Terms       [numKinds]int
	Confs       int
}

// Scales of the exp-parametrised bond and angle coefficients (kcal/mol/Å² and
// kcal/mol/rad²): an untrained network (outputs near 0) starts near r0 ≈ 1.1 Å,
// k ≈ 340 kcal/mol/Å², θ0 ≈ 108°, k ≈ 100 kcal/mol/rad².
var coefScale = [numKinds][]float64{{300, 45}, {40, 60}, {1, 1, 1, 1, 1, 1}, {1, 1}}

// quarticScale are the scales of the cubic (signed, kcal/mol/Å³) and quartic
// (exp-parametrised, kcal/mol/Å⁴) bond coefficients of BondQuartic: an untrained
// network starts near harmonic (k3 ≈ 0) with a weak quartic term. MMFF94's C–H
// stretch (kb/2 ≈ 340 kcal/mol/Å², cs = −2 Å⁻¹) has k3 ≈ −680 and k4 ≈ 790.
var quarticScale = [2]float64{300, 100}

// coefScales returns, for a kind and bond form, the scale of each coefficient
// of the exp-parametrised outputs (k = exp(y)·se) and of the signed ones
// (k = y·sl); each coefficient has one of the two non-zero.
func coefScales(kind int, f BondForm) (se, sl []float64) {
	K := kindSize(kind, f)
	se, sl = make([]float64, K), make([]float64, K)
	switch kind {
	case kindBond, kindAngle:
		copy(se, coefScale[kind])
		if kind == kindBond && f.quartic() {
			sl[2], se[3] = quarticScale[0], quarticScale[1]
		}
	default:
		copy(sl, coefScale[kind])
	}
	return se, sl
}

// numModelInputs is the number of inputs of the parameter network (forward).
const numModelInputs = 4 + 2*numKinds

// forward builds the parameter network: atom features → Dense+tanh → GraphSAGE
// (mean aggregation, ReLU) → Janossy MLPs per term kind and a charge-equilibration
// head. It returns the coefficients [T, K] of each kind and the charges [A, 1].
// Inputs: feat [A,F], adj [A,A] (row-normalised), molAtom [M,A], atomMol [A,M],
// then per kind sel [P·T·S, A] and molTerm [M, T]. bond sets the bond head's size.
func forward(s *model.Scope, in []*Node, arch Arch, bond BondForm, training bool) ([numKinds]*Node, *Node) {
	feat, adj, molAtom, atomMol := in[0], in[1], in[2], in[3]
	w := arch.Width
	h := Tanh(nn.Dense(s.In("embed"), feat, w))
	for l := 0; l < arch.Layers; l++ {
		if arch.Dropout > 0 {
			h = nn.Dropout(s.In("drop_%d", l), h, arch.Dropout, training)
		}
		agg := Dot(adj, h).Product()
		h = nn.ReLU(Add(nn.Dense(s.In("sage_%d_self", l), h, w), nn.DenseWith(s.In("sage_%d_neigh", l), agg, nn.DenseConfig{Out: w, NoBias: true})))
	}
	hidden := make([]int, arch.Hidden)
	for i := range hidden {
		hidden[i] = w
	}
	var coef [numKinds]*Node
	for k := 0; k < numKinds; k++ {
		sel := in[4+2*k]
		P, S, K := len(kindOrders[k]), kindSlots[k], kindSize(k, bond)
		T := sel.Shape().Dimensions[0] / (P * S)
		x := Dot(sel, h).Product() // [P·T·S, W]
		x = Reshape(x, P*T, S*w)   // rows (p, t): slot features side by side
		y := nn.MLP(s.In("janossy_%s", kindNames[k]), x, nn.MLPConfig{Hidden: hidden, Out: K})
		y = ReduceSum(Reshape(y, P, T, K), 0) // Janossy sum over orderings
		se, sl := coefScales(k, bond)
		cE := Reshape(Const(y.Graph(), toF32(se)), 1, K)
		cL := Reshape(Const(y.Graph(), toF32(sl)), 1, K)
		switch {
		case k == kindBond && bond.quartic():
			y = Add(Mul(Exp(ClipScalar(y, -20, 10)), cE), Mul(y, cL))
		case k == kindBond || k == kindAngle:
			y = Mul(Exp(ClipScalar(y, -20, 10)), cE)
		default:
			y = Mul(y, cL)
		}
		coef[k] = y
	}
	// charge equilibration (espaloma/nn/readout/charge_equilibrium.py): electronegativity e
	// and hardness s per atom, q = −e/s + (1/s)(Q + Σ e/s)/(Σ 1/s), Q = 0.
	a := nn.MLP(s.In("charge"), h, nn.MLPConfig{Hidden: []int{w}, Out: 2})
	e := Slice(a, AxisRange(), AxisRange(0, 1))
	inv := Exp(Neg(ClipScalar(Slice(a, AxisRange(), AxisRange(1, 2)), -10, 10)))
	es := Mul(e, inv)
	sumES := Dot(molAtom, es).Product()
	sumInv := Dot(molAtom, inv).Product()
	ratio := Div(sumES, AddScalar(sumInv, 1e-6))
	q := Add(Neg(es), Mul(inv, Dot(atomMol, ratio).Product()))
	return coef, q
}

// LossWeights weigh the loss terms (kcal/mol, Å units). Defaults are espaloma
// 0.3's weights (refit-espaloma train.py: energy + 1.0·force + charge + mean k²
// of torsions and impropers, all in Hartree and bohr) converted to kcal/mol and Å,
// except Charge (see DefaultWeights).
type LossWeights struct {
	Force   float64 `json:"force"`
	Charge  float64 `json:"charge"`
	Torsion float64 `json:"torsion"`
}

// DefaultWeights: force 1.0 in Eh/bohr is (0.529 Å/bohr)² = 0.28 in kcal/mol/Å
// relative to energies in kcal/mol; the torsion k² term keeps weight 1. The charge
// MSE (e²) is weighted 1000 kcal²/mol² per e² instead of espaloma's 627.5² ≈ 3.9e5 (its
// e² against Eh²), which in a short CPU run left the shared GNN fitting charges only.
var DefaultWeights = LossWeights{Force: data.AngstromPerBohr * data.AngstromPerBohr, Charge: 1000, Torsion: 1}

// lossGraph is the training loss of a batch (inputs: the model inputs, then per
// kind phi [T,K,C], dphi [T,S,K,C·3], scatter [A,T·S], then eT [M,C] (centred),
// wC [M,C], fT [A,C·3], wF [A,C·3], qT [A,1], wA [A,1]).
func lossGraph(s *model.Scope, in []*Node, arch Arch, bond BondForm, lw LossWeights, training bool) (loss, mseE, mseF, mseQ *Node) {
	coef, q := forward(s, in[:numModelInputs], arch, bond, training)
	base := numModelInputs
	var E, grad *Node
	var reg *Node
	for k := 0; k < numKinds; k++ {
		phi, dphi, scatter := in[base+3*k], in[base+3*k+1], in[base+3*k+2]
		molTerm := in[4+2*k+1]
		T, K, C := phi.Shape().Dimensions[0], phi.Shape().Dimensions[1], phi.Shape().Dimensions[2]
		S := kindSlots[k]
		c3 := 3 * C
		et := ReduceSum(Mul(Reshape(coef[k], T, K, 1), phi), 1) // [T, C]
		ek := Dot(molTerm, et).Product()                        // [M, C]
		g := ReduceSum(Mul(Reshape(coef[k], T, 1, K, 1), dphi), 2)
		g = Reshape(g, T*S, c3)
		gk := Dot(scatter, g).Product() // [A, C·3]
		if E == nil {
			E, grad = ek, gk
		} else {
			E, grad = Add(E, ek), Add(grad, gk)
		}
		if k == kindProper || k == kindImproper {
			mask := Reshape(ReduceSum(molTerm, 0), T, 1)
			r := Div(ReduceAllSum(Mul(Square(coef[k]), mask)), AddScalar(MulScalar(ReduceAllSum(mask), float64(K)), 1e-6))
			if reg == nil {
				reg = r
			} else {
				reg = Add(reg, r)
			}
		}
	}
	t := base + 3*numKinds
	eT, wC, fT, wF, qT, wA := in[t], in[t+1], in[t+2], in[t+3], in[t+4], in[t+5]
	nC := AddScalar(ReduceSum(wC, 1), 1e-6)                                 // [M]
	mean := Div(ReduceSum(Mul(E, wC), 1), nC)                               // [M]
	dE := Mul(Sub(Sub(E, Reshape(mean, -1, 1)), eT), wC)                    // [M, C]
	mseE = Div(ReduceAllSum(Square(dE)), AddScalar(ReduceAllSum(wC), 1e-6)) // kcal²/mol²
	dF := Mul(Sub(Neg(grad), fT), wF)                                       // (F_pred − F_t)·w, F_pred = −grad
	mseF = Div(ReduceAllSum(Square(dF)), AddScalar(ReduceAllSum(wF), 1e-6)) // (kcal/mol/Å)²
	dQ := Mul(Sub(q, qT), wA)
	mseQ = Div(ReduceAllSum(Square(dQ)), AddScalar(ReduceAllSum(wA), 1e-6))
	loss = Add(Add(mseE, MulScalar(mseF, lw.Force)), Add(MulScalar(mseQ, lw.Charge), MulScalar(reg, lw.Torsion)))
	return loss, mseE, mseF, mseQ
}

func toF32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// buildBatch builds the tensors of molecules ps padded to caps; with labels it
// also builds the basis (bond form bond) and targets of their first caps.Confs
// conformers.
func buildBatch(ps []*Prepared, caps Caps, bond BondForm, labels bool) ([]*tensors.Tensor, error) {
	A, M, C := caps.Atoms, caps.Mols, caps.Confs
	if len(ps) > M {
		return nil, fmt.Errorf("ff: %d molecules for a batch of %d", len(ps), M)
	}
	F := mol.NumFeatures
	feat := make([]float32, A*F)
	adj := make([]float32, A*A)
	molAtom := make([]float32, M*A)
	atomMol := make([]float32, A*M)
	off := make([]int, len(ps))
	na := 0
	for m, p := range ps {
		off[m] = na
		n := p.Mol.NumAtoms()
		if na+n > A {
			return nil, fmt.Errorf("ff: batch atoms exceed capacity %d", A)
		}
		nb := p.Mol.Neighbors()
		for i := 0; i < n; i++ {
			for f, v := range p.Feat[i] {
				feat[(na+i)*F+f] = float32(v)
			}
			for _, j := range nb[i] {
				adj[(na+i)*A+na+j] = 1 / float32(len(nb[i]))
			}
			molAtom[m*A+na+i] = 1
			atomMol[(na+i)*M+m] = 1
		}
		na += n
	}
	out := []*tensors.Tensor{tensors.FromFlatDataAndDimensions(feat, A, F), tensors.FromFlatDataAndDimensions(adj, A, A),
		tensors.FromFlatDataAndDimensions(molAtom, M, A), tensors.FromFlatDataAndDimensions(atomMol, A, M)}
	var lab []*tensors.Tensor
	for k := 0; k < numKinds; k++ {
		T, S, K, P := caps.Terms[k], kindSlots[k], kindSize(k, bond), len(kindOrders[k])
		sel := make([]float32, P*T*S*A)
		molTerm := make([]float32, M*T)
		var phi, dphi, scatter []float32
		if labels {
			phi = make([]float32, T*K*C)
			dphi = make([]float32, T*S*K*C*3)
			scatter = make([]float32, A*T*S)
		}
		t := 0
		pv := make([]float64, K)
		gv := make([][][3]float64, K)
		for i := range gv {
			gv[i] = make([][3]float64, S)
		}
		for m, p := range ps {
			for ti, atoms := range p.Terms[k] {
				if t >= T {
					return nil, fmt.Errorf("ff: batch %s terms exceed capacity %d", kindNames[k], T)
				}
				for pi, ord := range kindOrders[k] {
					for s, slot := range ord {
						sel[((pi*T+t)*S+s)*A+off[m]+atoms[slot]] = 1
					}
				}
				molTerm[m*T+t] = 1
				if labels {
					for s := 0; s < S; s++ {
						scatter[(off[m]+atoms[s])*T*S+t*S+s] = 1
					}
					for c, x := range p.Sample.X {
						if c >= C {
							break
						}
						p.basis(k, ti, x, pv, gv)
						for kk := 0; kk < K; kk++ {
							phi[(t*K+kk)*C+c] = float32(pv[kk])
							for s := 0; s < S; s++ {
								for d := 0; d < 3; d++ {
									dphi[((t*S+s)*K+kk)*C*3+c*3+d] = float32(gv[kk][s][d])
								}
							}
						}
					}
				}
				t++
			}
		}
		out = append(out, tensors.FromFlatDataAndDimensions(sel, P*T*S, A), tensors.FromFlatDataAndDimensions(molTerm, M, T))
		if labels {
			lab = append(lab, tensors.FromFlatDataAndDimensions(phi, T, K, C), tensors.FromFlatDataAndDimensions(dphi, T, S, K, C*3),
				tensors.FromFlatDataAndDimensions(scatter, A, T*S))
		}
	}
	if !labels {
		return out, nil
	}
	eT := make([]float32, M*C)
	wC := make([]float32, M*C)
	fT := make([]float32, A*C*3)
	wF := make([]float32, A*C*3)
	qT := make([]float32, A)
	wA := make([]float32, A)
	for m, p := range ps {
		s := p.Sample
		nc := min(len(s.X), C)
		var mean float64
		for c := 0; c < nc; c++ {
			mean += s.EXtb[c] - p.ENB[c]
		}
		mean /= float64(nc)
		for c := 0; c < nc; c++ {
			eT[m*C+c] = float32(s.EXtb[c] - p.ENB[c] - mean)
			wC[m*C+c] = 1
			for i := range s.Mol.Elements {
				for d := 0; d < 3; d++ {
					j := (off[m]+i)*C*3 + c*3 + d
					fT[j] = float32(s.FXtb[c][i][d] - p.FNB[c][i][d])
					wF[j] = 1
				}
			}
		}
		for i, v := range s.QXtb {
			qT[off[m]+i] = float32(v)
			wA[off[m]+i] = 1
		}
	}
	out = append(out, lab...)
	out = append(out, tensors.FromFlatDataAndDimensions(eT, M, C), tensors.FromFlatDataAndDimensions(wC, M, C),
		tensors.FromFlatDataAndDimensions(fT, A, C*3), tensors.FromFlatDataAndDimensions(wF, A, C*3),
		tensors.FromFlatDataAndDimensions(qT, A, 1), tensors.FromFlatDataAndDimensions(wA, A, 1))
	return out, nil
}

// capsFor returns the capacities of batches of b molecules drawn from ps: b times
// the largest per-molecule counts.
func capsFor(ps []*Prepared, b, confs int) Caps {
	c := Caps{Mols: b, Confs: confs}
	for _, p := range ps {
		c.Atoms = max(c.Atoms, b*p.Mol.NumAtoms())
		for k := 0; k < numKinds; k++ {
			c.Terms[k] = max(c.Terms[k], b*len(p.Terms[k]), 1)
		}
	}
	return c
}

// exactCaps are the capacities of one molecule alone.
func exactCaps(p *Prepared) Caps {
	c := Caps{Mols: 1, Atoms: p.Mol.NumAtoms(), Confs: 1}
	for k := 0; k < numKinds; k++ {
		c.Terms[k] = max(len(p.Terms[k]), 1)
	}
	return c
}

var _ = dtypes.Float32
