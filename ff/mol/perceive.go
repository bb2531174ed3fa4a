package mol

// covalentRadius holds single-bond covalent radii in Å from B. Cordero et al.,
// "Covalent radii revisited", Dalton Trans. 2008, 2832-2838, Table 2 (C: sp3 value).
var covalentRadius = map[Element]float64{H: 0.31, C: 0.76, N: 0.71, O: 0.66, F: 0.57, S: 1.05, Cl: 1.02,
	35: 1.20, 53: 1.39, 15: 1.07, 11: 1.66, 14: 1.11, 5: 0.84}

// BondTolerance is added to the sum of covalent radii in PerceiveBonds (Å), the
// value Open Babel's connect-the-dots uses (OBMol::ConnectTheDots, 0.45 Å).
const BondTolerance = 0.45

// PerceiveBonds returns the bonds i<j of atoms closer than the sum of their
// covalent radii plus BondTolerance (and farther than 0.4 Å). Elements without a
// tabulated radius use 1.5 Å.
func PerceiveBonds(el []Element, x [][3]float64) [][2]int {
	var out [][2]int
	for i := range el {
		ri, ok := covalentRadius[el[i]]
		if !ok {
			ri = 1.5
		}
		for j := i + 1; j < len(el); j++ {
			rj, ok := covalentRadius[el[j]]
			if !ok {
				rj = 1.5
			}
			d := dist(x[i], x[j])
			if d > 0.4 && d < ri+rj+BondTolerance {
				out = append(out, [2]int{i, j})
			}
		}
	}
	return out
}

// CovalentRadius returns the single-bond covalent radius of e in Å (Cordero et
// al. 2008, the table PerceiveBonds uses) and whether it is tabulated.
func CovalentRadius(e Element) (float64, bool) {
	r, ok := covalentRadius[e]
	return r, ok
}
