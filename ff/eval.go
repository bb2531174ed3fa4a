package ff

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/ergml/erg/ff/mm"
)

// Score is a force field's accuracy on a set of molecules: the mean over
// molecules of the per-molecule RMSE of conformer energies (each set centred on
// its mean) and of all force components, with 95% bootstrap intervals over
// molecules (espaloma 0.3's metric).
type Score struct {
	EnergyRMSE float64    `json:"energy_rmse"` // kcal/mol
	ForceRMSE  float64    `json:"force_rmse"`  // kcal/mol/Å
	EnergyCI   [2]float64 `json:"energy_ci95"`
	ForceCI    [2]float64 `json:"force_ci95"`
}

// Evaluation compares erg's exported force field (valence terms from the network,
// its charge-equilibration charges, the fixed LJ table) and MMFF94 with GFN2-xTB.
type Evaluation struct {
	Erg    Score `json:"erg"`
	MMFF94 Score `json:"mmff94"`
	// The same on the MMFF-relaxed geometries alone (no displaced copies).
	ErgMinima    Score `json:"erg_minima"`
	MMFF94Minima Score `json:"mmff94_minima"`
	Molecules    int   `json:"n_molecules"`
	Confs        int   `json:"n_conformers"`
	// Per molecule, for reports.
	PerMolecule []MoleculeScore `json:"per_molecule,omitempty"`
	// Parity data (centred energies, force components) for PlotParity.
	Parity *Parity `json:"-"`
}

// MoleculeScore is one molecule's RMSEs.
type MoleculeScore struct {
	ID                    string  `json:"id"`
	Atoms                 int     `json:"atoms"`
	ErgEnergy, ErgForce   float64 `json:"-"`
	MMFFEnergy, MMFFForce float64 `json:"-"`
}

// Evaluate scores the model on labelled molecules; seed drives the bootstrap.
func (m *Model) Evaluate(ps []*Prepared, seed uint64) (*Evaluation, error) {
	coefs := make([]*Coefficients, 0, len(ps))
	caps := m.Info.Caps
	for i := 0; i < len(ps); {
		var batch []*Prepared
		if caps.Mols > 0 {
			batch = pack(ps[i:], caps)
		}
		if len(batch) == 0 {
			cs, err := m.predict(ps[i:i+1], exactCaps(ps[i]))
			if err != nil {
				return nil, err
			}
			coefs = append(coefs, cs...)
			i++
			continue
		}
		cs, err := m.predict(batch, caps)
		if err != nil {
			return nil, err
		}
		coefs = append(coefs, cs...)
		i += len(batch)
	}
	ev := &Evaluation{Molecules: len(ps), Parity: &Parity{}}
	par := ev.Parity
	var eE, eF, mE, mF []float64
	var eE0, eF0, mE0, mF0 []float64
	for i, p := range ps {
		sys, err := p.System(coefs[i])
		if err != nil {
			return nil, err
		}
		s := p.Sample
		n := len(s.X)
		ev.Confs += n
		pe := make([]float64, n)
		var fe, fm, fe0, fm0 float64
		var pe0, xe0, me0 []float64
		for c, x := range s.X {
			r := sys.Energy(toNm(x))
			pe[c] = r.Total / mm.KJPerKcal
			f := fromKJnm(r.Forces)
			var a1, a2 float64
			for a := range f {
				for d := 0; d < 3; d++ {
					par.FXtb, par.FErg, par.FMMFF = append(par.FXtb, s.FXtb[c][a][d]), append(par.FErg, f[a][d]), append(par.FMMFF, s.FMMFF[c][a][d])
					a1 += sq(f[a][d] - s.FXtb[c][a][d])
					a2 += sq(s.FMMFF[c][a][d] - s.FXtb[c][a][d])
				}
			}
			fe, fm = fe+a1, fm+a2
			if len(s.Moved) == n && !s.Moved[c] {
				fe0, fm0 = fe0+a1, fm0+a2
				pe0, xe0, me0 = append(pe0, pe[c]), append(xe0, s.EXtb[c]), append(me0, s.EMMFF[c])
			}
		}
		mx, mp, mm0 := mean(s.EXtb), mean(pe), mean(s.EMMFF)
		for c := range pe {
			par.EXtb, par.EErg, par.EMMFF = append(par.EXtb, s.EXtb[c]-mx), append(par.EErg, pe[c]-mp), append(par.EMMFF, s.EMMFF[c]-mm0)
		}
		if len(pe0) > 0 {
			nf0 := float64(len(pe0) * 3 * len(s.Mol.Elements))
			eE0, eF0 = append(eE0, centredRMSE(pe0, xe0)), append(eF0, math.Sqrt(fe0/nf0))
			mE0, mF0 = append(mE0, centredRMSE(me0, xe0)), append(mF0, math.Sqrt(fm0/nf0))
		}
		nf := float64(n * 3 * len(s.Mol.Elements))
		ms := MoleculeScore{ID: s.ID, Atoms: len(s.Mol.Elements), ErgEnergy: centredRMSE(pe, s.EXtb), ErgForce: math.Sqrt(fe / nf),
			MMFFEnergy: centredRMSE(s.EMMFF, s.EXtb), MMFFForce: math.Sqrt(fm / nf)}
		ev.PerMolecule = append(ev.PerMolecule, ms)
		eE, eF, mE, mF = append(eE, ms.ErgEnergy), append(eF, ms.ErgForce), append(mE, ms.MMFFEnergy), append(mF, ms.MMFFForce)
	}
	r := rand.New(rand.NewPCG(seed, 0xb007))
	ev.Erg = Score{EnergyRMSE: mean(eE), ForceRMSE: mean(eF), EnergyCI: bootstrap(eE, r), ForceCI: bootstrap(eF, r)}
	ev.MMFF94 = Score{EnergyRMSE: mean(mE), ForceRMSE: mean(mF), EnergyCI: bootstrap(mE, r), ForceCI: bootstrap(mF, r)}
	if len(eE0) > 0 {
		ev.ErgMinima = Score{EnergyRMSE: mean(eE0), ForceRMSE: mean(eF0), EnergyCI: bootstrap(eE0, r), ForceCI: bootstrap(eF0, r)}
		ev.MMFF94Minima = Score{EnergyRMSE: mean(mE0), ForceRMSE: mean(mF0), EnergyCI: bootstrap(mE0, r), ForceCI: bootstrap(mF0, r)}
	}
	return ev, nil
}

// pack returns the longest prefix of ps that fits caps.
func pack(ps []*Prepared, caps Caps) []*Prepared {
	var na int
	var nt [numKinds]int
	for i, p := range ps {
		if i == caps.Mols {
			return ps[:i]
		}
		na += p.Mol.NumAtoms()
		ok := na <= caps.Atoms
		for k := 0; k < numKinds; k++ {
			nt[k] += len(p.Terms[k])
			ok = ok && nt[k] <= caps.Terms[k]
		}
		if !ok {
			return ps[:i]
		}
	}
	return ps
}

func centredRMSE(a, b []float64) float64 {
	ma, mb := mean(a), mean(b)
	var s float64
	for i := range a {
		s += sq((a[i] - ma) - (b[i] - mb))
	}
	return math.Sqrt(s / float64(len(a)))
}

func sq(x float64) float64 { return x * x }

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// bootstrap returns the 2.5% and 97.5% quantiles of the mean over 2000 resamples.
func bootstrap(v []float64, r *rand.Rand) [2]float64 {
	const reps = 2000
	if len(v) == 0 {
		return [2]float64{}
	}
	ms := make([]float64, reps)
	for k := range ms {
		var s float64
		for range v {
			s += v[r.IntN(len(v))]
		}
		ms[k] = s / float64(len(v))
	}
	sort.Float64s(ms)
	return [2]float64{ms[reps*25/1000], ms[reps*975/1000-1]}
}
