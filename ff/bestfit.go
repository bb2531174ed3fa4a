package ff

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// BestFit fits one molecule's valence coefficients by linear least squares to
// its own labels (centred energies and forces after the fixed nonbonded terms,
// forces weighted as in the training loss) and returns the resulting per-molecule
// energy and force RMSE (kcal/mol, kcal/mol/Å). It is the floor of any parameter
// assignment in this functional form for that molecule (coefficients are not
// constrained to be positive, so the floor is a lower bound), a diagnostic for
// what the network can reach.
func BestFit(p *Prepared, forceWeight float64) (energyRMSE, forceRMSE float64) {
	s := p.Sample
	nc, na := len(s.X), p.Mol.NumAtoms()
	var cols int
	for k := 0; k < numKinds; k++ {
		cols += len(p.Terms[k]) * kindK[k]
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
		K, S := kindK[k], kindSlots[k]
		pv := make([]float64, K)
		gv := make([][][3]float64, K)
		for i := range gv {
			gv[i] = make([][3]float64, S)
		}
		for _, atoms := range p.Terms[k] {
			for c, x := range s.X {
				basis(k, atoms, x, pv, gv)
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
