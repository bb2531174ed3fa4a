package mol

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// Element is an atomic number.
type Element int

// The elements erg ff is trained on (espaloma 0.3 also has P, Br, I; our
// GFN2-xTB data set is filtered to these seven).
const (
	H  Element = 1
	C  Element = 6
	N  Element = 7
	O  Element = 8
	F  Element = 9
	S  Element = 16
	Cl Element = 17
)

// Supported lists the elements the force field has parameters for, in the order
// of the element one-hot feature.
var Supported = []Element{H, C, N, O, F, S, Cl}

var symbols = map[string]Element{
	"H": 1, "He": 2, "Li": 3, "Be": 4, "B": 5, "C": 6, "N": 7, "O": 8, "F": 9, "Ne": 10,
	"Na": 11, "Mg": 12, "Al": 13, "Si": 14, "P": 15, "S": 16, "Cl": 17, "Ar": 18, "K": 19, "Ca": 20,
	"Fe": 26, "Co": 27, "Ni": 28, "Cu": 29, "Zn": 30, "Se": 34, "Br": 35, "I": 53, "Sn": 50, "Hg": 80,
}

// masses in unified atomic mass units (IUPAC 2013 standard atomic weights,
// conventional values), the same values OpenMM's app.element uses to 3 decimals.
var masses = map[Element]float64{H: 1.008, C: 12.011, N: 14.007, O: 15.999, F: 18.998, S: 32.06, Cl: 35.45}

// Symbol returns the element symbol ("Z42" for unknown ones).
func (e Element) Symbol() string {
	for s, z := range symbols {
		if z == e {
			return s
		}
	}
	return fmt.Sprintf("Z%d", int(e))
}

// Mass returns the atomic mass in amu (0 for unsupported elements).
func (e Element) Mass() float64 { return masses[e] }

// ParseElement parses an element symbol case-insensitively ("CL" and "cl" are Cl).
func ParseElement(s string) (Element, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	s = strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
	z, ok := symbols[s]
	return z, ok
}

// Molecule is one molecule and one geometry: elements, coordinates in Å, and the
// bond graph (from the file or perceived from distances). Bond orders are not
// kept: erg's features use connectivity only.
type Molecule struct {
	Name     string
	File     string // the file it was read from, for error messages
	Line     int    // line of the record's first line in File (1-based)
	Elements []Element
	Coords   [][3]float64 // Å
	Charges  []int        // formal charges from the file (SDF/MOL2), zero for XYZ
	// AtomLines holds each atom's line in File (1-based), for error messages.
	AtomLines []int
	Bonds     [][2]int // i < j, sorted
	Props     map[string]string
}

// NumAtoms returns the number of atoms.
func (m *Molecule) NumAtoms() int { return len(m.Elements) }

// Neighbors returns the adjacency lists of the bond graph.
func (m *Molecule) Neighbors() [][]int {
	nb := make([][]int, len(m.Elements))
	for _, b := range m.Bonds {
		nb[b[0]] = append(nb[b[0]], b[1])
		nb[b[1]] = append(nb[b[1]], b[0])
	}
	return nb
}

// Error is a bad-input error naming the file, line and atom (1-based; 0 when
// not applicable).
type Error struct {
	File string
	Line int
	Atom int // 1-based atom number, 0 if none
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Atom > 0 {
		fmt.Fprintf(&b, ": atom %d", e.Atom)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// maxNeighbors is the valence limit of neutral closed-shell atoms counted in
// neighbours (S up to 6 for sulfones/sulfonic acids).
var maxNeighbors = map[Element]int{H: 1, C: 4, N: 3, O: 2, F: 1, S: 4, Cl: 1}

// Check reports the first reason the molecule is outside what the force field
// covers: an element outside Supported, a formal charge, an odd electron count,
// two atoms closer than 0.5 Å, more neighbours than the element's valence
// allows, or several fragments. The error names the file, line and atom.
func (m *Molecule) Check() error {
	at := func(i int, format string, a ...any) error {
		line := m.Line
		if i < len(m.AtomLines) {
			line = m.AtomLines[i]
		}
		return &Error{File: m.File, Line: line, Atom: i + 1, Msg: fmt.Sprintf(format, a...)}
	}
	if len(m.Elements) == 0 {
		return &Error{File: m.File, Line: m.Line, Msg: "no atoms"}
	}
	electrons := 0
	for i, e := range m.Elements {
		if _, ok := masses[e]; !ok {
			return at(i, "element %s outside the force field's C/H/N/O/F/S/Cl", e.Symbol())
		}
		electrons += int(e)
	}
	for i, q := range m.Charges {
		if q != 0 {
			return at(i, "formal charge %+d: charged molecules are not supported", q)
		}
	}
	if electrons%2 != 0 {
		return &Error{File: m.File, Line: m.Line, Msg: fmt.Sprintf("odd electron count %d (radical or charged): only neutral closed-shell molecules are supported", electrons)}
	}
	for i := range m.Coords {
		for j := 0; j < i; j++ {
			if d := dist(m.Coords[i], m.Coords[j]); d < 0.5 || math.IsNaN(d) {
				return at(i, "%s %d and %s %d are %.3g Å apart (< 0.5 Å)", m.Elements[j].Symbol(), j+1, m.Elements[i].Symbol(), i+1, d)
			}
		}
	}
	nb := m.Neighbors()
	for i, l := range nb {
		if len(l) > maxNeighbors[m.Elements[i]] {
			return at(i, "%s has %d bonded neighbours, valence limit %d", m.Elements[i].Symbol(), len(l), maxNeighbors[m.Elements[i]])
		}
	}
	if comp := Fragments(len(m.Elements), m.Bonds); len(comp) > 1 {
		return at(comp[1][0], "%d fragments: atom %d is not bonded to atom 1's fragment", len(comp), comp[1][0]+1)
	}
	return nil
}

// Fragments returns the connected components of the bond graph, each sorted, in
// order of their smallest atom.
func Fragments(n int, bonds [][2]int) [][]int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, b := range bonds {
		a, c := find(b[0]), find(b[1])
		if a != c {
			if a < c {
				parent[c] = a
			} else {
				parent[a] = c
			}
		}
	}
	idx := map[int]int{}
	var out [][]int
	for i := 0; i < n; i++ {
		r := find(i)
		k, ok := idx[r]
		if !ok {
			k = len(out)
			idx[r] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], i)
	}
	return out
}

// SameGraph reports an error naming the first atom where b differs from a in
// element or bonded neighbours: the files describe the atoms in another order.
func SameGraph(a, b *Molecule) error {
	if len(a.Elements) != len(b.Elements) {
		return &Error{File: b.File, Line: b.Line, Msg: fmt.Sprintf("%d atoms, %s has %d", len(b.Elements), a.File, len(a.Elements))}
	}
	for i := range a.Elements {
		if a.Elements[i] != b.Elements[i] {
			return &Error{File: b.File, Line: b.Line, Atom: i + 1, Msg: fmt.Sprintf("element %s where %s has %s: atom order differs", b.Elements[i].Symbol(), a.File, a.Elements[i].Symbol())}
		}
	}
	na, nb := a.Neighbors(), b.Neighbors()
	for i := range na {
		if fmt.Sprint(sorted(na[i])) != fmt.Sprint(sorted(nb[i])) {
			return &Error{File: b.File, Line: b.Line, Atom: i + 1, Msg: fmt.Sprintf("bonded to atoms %v where %s has %v: atom order or bonds differ", plus1(sorted(nb[i])), a.File, plus1(sorted(na[i])))}
		}
	}
	return nil
}

func sorted(l []int) []int {
	c := append([]int(nil), l...)
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j] < c[j-1]; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
	return c
}

func plus1(l []int) []int {
	c := make([]int, len(l))
	for i, v := range l {
		c[i] = v + 1
	}
	return c
}

func dist(a, b [3]float64) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return math.Sqrt(dx*dx + dy*dy + dz*dz)
}

func normBonds(bonds [][2]int) [][2]int {
	seen := map[[2]int]bool{}
	var out [][2]int
	for _, b := range bonds {
		if b[0] > b[1] {
			b[0], b[1] = b[1], b[0]
		}
		if b[0] == b[1] || seen[b] {
			continue
		}
		seen[b] = true
		out = append(out, b)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && less(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func less(a, b [2]int) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

// readFile opens path and reads its molecules with read, naming the file in errors.
func readFile(path string, read func(io.Reader, string) ([]*Molecule, error)) ([]*Molecule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, path)
}
