package ff

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// BestFit fits one molecule's valence coefficients by linear least squares to
// its own labels (centred energies and forces after the fixed nonbonded terms,
// forces weighted as in the training loss) and returns the resulting per-molecule
// energy and force RMSE (kcal/mol, kcal/mol/Å). It is the floor of any parameter
// assignment in this functional form for that molecule (coefficients are not
// constrained to be positive, so the floor is a lower bound), a diagnostic for
// what the network can reach. bond is the bond term's form: with BondQuartic the
// fit has the cubic and quartic bond columns too (the form stays linear, so the
// floor is exact for it as well).
func BestFit(p *Prepared, bond BondForm, forceWeight float64) (energyRMSE, forceRMSE float64) {
	s := p.Sample
	nc, na := len(s.X), p.Mol.NumAtoms()
	var cols int
	for k := 0; k < numKinds; k++ {
		cols += len(p.Terms[k]) * kindSize(k, bond)
	}
	rows := nc + nc*na*3
	A := mat.NewDense(rows, cols, nil)
	b := mat.NewVecDense(rows, nil)
	wf := math.Sqrt(forceWeight)
	var meanT float64
	for c := 0; c < nc; c++ {
		meanT += s.EXtb[c] - p.ENB[c]
	}
	meanT /= float64(nc)
	col := 0
	for k := 0; k < numKinds; k++ {
		K, S := kindSize(k, bond), kindSlots[k]
		pv := make([]float64, K)
		gv := make([][][3]float64, K)
		for i := range gv {
			gv[i] = make([][3]float64, S)
		}
		for t, atoms := range p.Terms[k] {
			for c, x := range s.X {
				p.basis(k, t, x, pv, gv)
				for j := 0; j < K; j++ {
					A.Set(c, col+j, pv[j])
					for sl := 0; sl < S; sl++ {
						for d := 0; d < 3; d++ {
							r := nc + (c*na+atoms[sl])*3 + d
							A.Set(r, col+j, A.At(r, col+j)-wf*gv[j][sl][d])
						}
					}
				}
			}
			col += K
		}
	}
	// centre the energy rows
	for j := 0; j < cols; j++ {
		var m float64
		for c := 0; c < nc; c++ {
			m += A.At(c, j)
		}
		m /= float64(nc)
		for c := 0; c < nc; c++ {
			A.Set(c, j, A.At(c, j)-m)
		}
	}
	// unit columns: the cubic and quartic columns are ~1e-3 of the harmonic
	// ones; scaling changes the solution's coordinates, not its residual
	for j := 0; j < cols; j++ {
		if n := mat.Norm(A.ColView(j), 2); n > 0 {
			for i := 0; i < rows; i++ {
				A.Set(i, j, A.At(i, j)/n)
			}
		}
	}
	for c := 0; c < nc; c++ {
		b.SetVec(c, s.EXtb[c]-p.ENB[c]-meanT)
		for i := 0; i < na; i++ {
			for d := 0; d < 3; d++ {
				b.SetVec(nc+(c*na+i)*3+d, wf*(s.FXtb[c][i][d]-p.FNB[c][i][d]))
			}
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(A, b); err != nil {
		// rank deficient: fall back to the SVD pseudo-inverse solution
		var svd mat.SVD
		if !svd.Factorize(A, mat.SVDThin) {
			return math.NaN(), math.NaN()
		}
		rank := svd.Rank(1e-10)
		var xm mat.Dense
		svd.SolveTo(&xm, b, rank)
		x.CloneFromVec(xm.ColView(0))
	}
	var r mat.VecDense
	r.MulVec(A, &x)
	r.SubVec(&r, b)
	var se, sf float64
	for c := 0; c < nc; c++ {
		se += r.AtVec(c) * r.AtVec(c)
	}
	for i := nc; i < rows; i++ {
		sf += r.AtVec(i) * r.AtVec(i)
	}
	return math.Sqrt(se / float64(nc)), math.Sqrt(sf/float64(rows-nc)) / wf
}

// FloorResult is the per-molecule least-squares floor (BestFit) of a bond form on
// a set of molecules beside MMFF94's error on the same geometries: means over
// molecules of per-molecule RMSEs against GFN2-xTB, with 95% bootstrap intervals.
type FloorResult struct {
	Bond      BondForm `json:"bond"`
	Floor     Score    `json:"floor"`
	MMFF94    Score    `json:"mmff94"`
	Molecules int      `json:"n_molecules"`
	Confs     int      `json:"n_conformers"`
	// ForceRatio is Floor.ForceRMSE / MMFF94.ForceRMSE (the force target
	// is ≤ 0.7).
	ForceRatio float64 `json:"force_ratio_to_mmff94"`
}

// FitFloor runs BestFit with bond form bond on every labelled molecule of ps (force
// weight forceWeight, DefaultWeights.Force in training) and scores MMFF94 on the
// same geometries; seed drives the bootstrap.
func FitFloor(ps []*Prepared, bond BondForm, forceWeight float64, seed uint64) (*FloorResult, error) {
	if err := bond.Validate(); err != nil {
		return nil, err
	}
	if !(forceWeight > 0) {
		return nil, fmt.Errorf("ff: force weight %v: must be positive", forceWeight)
	}
	out := &FloorResult{Bond: BondForm(bond.String()), Molecules: len(ps)}
	var fe, fs, me, mf []float64
	for _, p := range ps {
		s := p.Sample
		if s == nil || len(s.X) == 0 {
			return nil, fmt.Errorf("ff: FitFloor: molecule %q has no labelled geometries", p.Mol.Name)
		}
		out.Confs += len(s.X)
		e, f := BestFit(p, bond, forceWeight)
		fe, fs = append(fe, e), append(fs, f)
		var a float64
		for c := range s.X {
			for i := range s.FXtb[c] {
				for d := 0; d < 3; d++ {
					a += sq(s.FMMFF[c][i][d] - s.FXtb[c][i][d])
				}
			}
		}
		me = append(me, centredRMSE(s.EMMFF, s.EXtb))
		mf = append(mf, math.Sqrt(a/float64(len(s.X)*3*p.Mol.NumAtoms())))
	}
	r := rand.New(rand.NewPCG(seed, 0xb007))
	out.Floor = Score{EnergyRMSE: mean(fe), ForceRMSE: mean(fs), EnergyCI: bootstrap(fe, r), ForceCI: bootstrap(fs, r)}
	out.MMFF94 = Score{EnergyRMSE: mean(me), ForceRMSE: mean(mf), EnergyCI: bootstrap(me, r), ForceCI: bootstrap(mf, r)}
	out.ForceRatio = out.Floor.ForceRMSE / out.MMFF94.ForceRMSE
	return out, nil
}
