package mol

// NumFeatures is the length of an atom's feature vector from Features.
const NumFeatures = 7 + 5 + 5 + 6 + 1

// Features returns one feature vector per atom computed from the element and
// the bond graph only, so XYZ (perceived bonds) and SDF (file bonds) of the same
// molecule give identical features: element one-hot (Supported order), degree
// one-hot (0-4), number of bonded H one-hot (0-4), membership of a simple cycle
// of size 3..8 (6 flags), in any ring. espaloma's RDKit fingerprint also has
// aromaticity and hybridisation (espaloma/graphs/utils/read_homogeneous_graph.py
// fp_rdkit), which need bond orders; we leave them out.
func Features(m *Molecule) [][]float64 {
	nb := m.Neighbors()
	rings := RingSizes(len(m.Elements), nb)
	out := make([][]float64, len(m.Elements))
	for i, e := range m.Elements {
		f := make([]float64, NumFeatures)
		for k, s := range Supported {
			if s == e {
				f[k] = 1
			}
		}
		f[7+min(len(nb[i]), 4)] = 1
		nh := 0
		for _, j := range nb[i] {
			if m.Elements[j] == H {
				nh++
			}
		}
		f[12+min(nh, 4)] = 1
		any := false
		for k := 3; k <= 8; k++ {
			if rings[i][k] {
				f[17+k-3] = 1
				any = true
			}
		}
		if any {
			f[23] = 1
		}
		out[i] = f
	}
	return out
}

// RingSizes reports, per atom, whether it lies on a simple cycle of each length
// 3..8 (index by length).
func RingSizes(n int, nb [][]int) [][9]bool {
	out := make([][9]bool, n)
	path := make([]int, 0, 9)
	on := make([]bool, n)
	var dfs func(start, u int)
	dfs = func(start, u int) {
		if len(path) >= 8 {
			return
		}
		for _, v := range nb[u] {
			if v == start && len(path) >= 3 {
				for _, a := range path {
					out[a][len(path)] = true
				}
				continue
			}
			if v > start && !on[v] {
				on[v] = true
				path = append(path, v)
				dfs(start, v)
				path = path[:len(path)-1]
				on[v] = false
			}
		}
	}
	for s := 0; s < n; s++ {
		on[s] = true
		path = append(path[:0], s)
		dfs(s, s)
		on[s] = false
	}
	return out
}

// Linear reports the atoms whose bonded neighbours lie on a straight line in a
// neutral closed-shell molecule: carbons with exactly two neighbours (alkynes,
// nitriles, allenes, CO2-like centres). Torsions about their bonds are dropped
// (topology.DropLinear).
func Linear(m *Molecule) []bool {
	nb := m.Neighbors()
	out := make([]bool, len(m.Elements))
	for i, e := range m.Elements {
		out[i] = e == C && len(nb[i]) == 2
	}
	return out
}
