package topology

import "sort"

// Topology lists every term once, atoms 0-based. Bonds are i<j; angles i-j-k with
// i<k; propers i-j-k-l with (i,j,k,l) < (l,k,j,i) lexicographically. Impropers
// are the three trefoil orderings (a, c, b, d), (b, c, d, a), (d, c, a, b) of a
// centre c with neighbours a<b<d; Improper[3t..3t+2] belong to centre
// Centers[t]. Pairs14 are the ends of propers that are neither 1-2 nor 1-3
// pairs; Excluded are the 1-2 and 1-3 pairs.
type Topology struct {
	N         int
	Bonds     [][2]int
	Angles    [][3]int
	Propers   [][4]int
	Centers   []int
	Impropers [][4]int
	Pairs14   [][2]int
	Excluded  [][2]int
}

// New builds the topology of n atoms joined by bonds.
func New(n int, bonds [][2]int) *Topology {
	nb := make([][]int, n)
	t := &Topology{N: n}
	seen := map[[2]int]bool{}
	for _, b := range bonds {
		i, j := b[0], b[1]
		if i > j {
			i, j = j, i
		}
		if i == j || seen[[2]int{i, j}] {
			continue
		}
		seen[[2]int{i, j}] = true
		nb[i] = append(nb[i], j)
		nb[j] = append(nb[j], i)
		t.Bonds = append(t.Bonds, [2]int{i, j})
	}
	for i := range nb {
		sort.Ints(nb[i])
	}
	sort.Slice(t.Bonds, func(a, b int) bool { return lessN(t.Bonds[a][:], t.Bonds[b][:]) })
	excl := map[[2]int]bool{}
	for _, b := range t.Bonds {
		excl[b] = true
	}
	for j := 0; j < n; j++ {
		for a := 0; a < len(nb[j]); a++ {
			for c := a + 1; c < len(nb[j]); c++ {
				i, k := nb[j][a], nb[j][c]
				t.Angles = append(t.Angles, [3]int{i, j, k})
				excl[pair(i, k)] = true
			}
		}
	}
	for _, b := range t.Bonds {
		j, k := b[0], b[1]
		for _, i := range nb[j] {
			if i == k {
				continue
			}
			for _, l := range nb[k] {
				if l == j || l == i {
					continue
				}
				p := [4]int{i, j, k, l}
				if lessN([]int{l, k, j, i}, p[:]) {
					p = [4]int{l, k, j, i}
				}
				t.Propers = append(t.Propers, p)
			}
		}
	}
	sort.Slice(t.Propers, func(a, b int) bool { return lessN(t.Propers[a][:], t.Propers[b][:]) })
	for c := 0; c < n; c++ {
		if len(nb[c]) != 3 {
			continue
		}
		a, b, d := nb[c][0], nb[c][1], nb[c][2]
		t.Centers = append(t.Centers, c)
		t.Impropers = append(t.Impropers, [4]int{a, c, b, d}, [4]int{b, c, d, a}, [4]int{d, c, a, b})
	}
	p14 := map[[2]int]bool{}
	for _, p := range t.Propers {
		q := pair(p[0], p[3])
		if !excl[q] && !p14[q] {
			p14[q] = true
			t.Pairs14 = append(t.Pairs14, q)
		}
	}
	sort.Slice(t.Pairs14, func(a, b int) bool { return lessN(t.Pairs14[a][:], t.Pairs14[b][:]) })
	for q := range excl {
		t.Excluded = append(t.Excluded, q)
	}
	sort.Slice(t.Excluded, func(a, b int) bool { return lessN(t.Excluded[a][:], t.Excluded[b][:]) })
	return t
}

// NonbondedPairs returns the pairs i<j that are neither excluded nor 1-4.
func (t *Topology) NonbondedPairs() [][2]int {
	skip := map[[2]int]bool{}
	for _, q := range t.Excluded {
		skip[q] = true
	}
	for _, q := range t.Pairs14 {
		skip[q] = true
	}
	var out [][2]int
	for i := 0; i < t.N; i++ {
		for j := i + 1; j < t.N; j++ {
			if !skip[[2]int{i, j}] {
				out = append(out, [2]int{i, j})
			}
		}
	}
	return out
}

func pair(i, j int) [2]int {
	if i > j {
		return [2]int{j, i}
	}
	return [2]int{i, j}
}

func lessN(a, b []int) bool {
	for k := range a {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return false
}

// DropLinear removes the proper torsions whose central bond has a linear atom
// (linear[j] or linear[k]): their dihedral is undefined when i-j-k is straight
// (ethyne, nitriles), so GAFF/OpenFF give them zero barriers; erg leaves them out.
// Pairs14 are kept (the 1-4 interaction is well defined).
func (t *Topology) DropLinear(linear []bool) {
	out := t.Propers[:0]
	for _, p := range t.Propers {
		if !linear[p[1]] && !linear[p[2]] {
			out = append(out, p)
		}
	}
	t.Propers = out
}
