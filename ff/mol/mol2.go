package mol

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ReadMOL2File reads every molecule of a Tripos MOL2 file.
func ReadMOL2File(path string) ([]*Molecule, error) { return readFile(path, ReadMOL2) }

// ReadMOL2 reads the molecules of a Tripos MOL2 file from r (sections
// @<TRIPOS>MOLECULE, ATOM, BOND; the element is the SYBYL atom type before the
// dot, "C.ar" is C); name is the file name used in errors. MOL2 partial charges
// are ignored (erg assigns its own).
func ReadMOL2(r io.Reader, name string) ([]*Molecule, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	ln := 0
	var out []*Molecule
	var m *Molecule
	section := ""
	molLine := 0
	var ids map[int]int
	finish := func() {
		if m != nil {
			m.Bonds = normBonds(m.Bonds)
			out = append(out, m)
		}
	}
	for sc.Scan() {
		ln++
		l := strings.TrimRight(sc.Text(), "\r")
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasPrefix(t, "@<TRIPOS>") {
			section = strings.TrimPrefix(t, "@<TRIPOS>")
			if section == "MOLECULE" {
				finish()
				m = &Molecule{File: name, Line: ln, Props: map[string]string{}}
				ids = map[int]int{}
				molLine = 0
			} else if m == nil {
				return out, &Error{File: name, Line: ln, Msg: fmt.Sprintf("%s section before @<TRIPOS>MOLECULE", t)}
			}
			continue
		}
		switch section {
		case "MOLECULE":
			molLine++
			if molLine == 1 {
				m.Name = t
			}
		case "ATOM":
			f := strings.Fields(t)
			if len(f) < 6 {
				return out, &Error{File: name, Line: ln, Msg: fmt.Sprintf("atom line %q: want id name x y z type", t)}
			}
			id, err := strconv.Atoi(f[0])
			if err != nil {
				return out, &Error{File: name, Line: ln, Msg: fmt.Sprintf("atom id %q is not an integer", f[0])}
			}
			i := len(m.Elements)
			var x [3]float64
			for k := 0; k < 3; k++ {
				v, err := strconv.ParseFloat(f[2+k], 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return out, &Error{File: name, Line: ln, Atom: i + 1, Msg: fmt.Sprintf("coordinate %q is not a finite number", f[2+k])}
				}
				x[k] = v
			}
			sym := f[5]
			if k := strings.IndexByte(sym, '.'); k >= 0 {
				sym = sym[:k]
			}
			e, ok := ParseElement(sym)
			if !ok {
				return out, &Error{File: name, Line: ln, Atom: i + 1, Msg: fmt.Sprintf("atom type %q names no element", f[5])}
			}
			if _, dup := ids[id]; dup {
				return out, &Error{File: name, Line: ln, Atom: i + 1, Msg: fmt.Sprintf("atom id %d repeated", id)}
			}
			ids[id] = i
			m.Elements = append(m.Elements, e)
			m.Coords = append(m.Coords, x)
			m.Charges = append(m.Charges, 0)
			m.AtomLines = append(m.AtomLines, ln)
		case "BOND":
			f := strings.Fields(t)
			if len(f) < 4 {
				return out, &Error{File: name, Line: ln, Msg: fmt.Sprintf("bond line %q: want id atom1 atom2 type", t)}
			}
			a, err1 := strconv.Atoi(f[1])
			b, err2 := strconv.Atoi(f[2])
			ia, ok1 := ids[a]
			ib, ok2 := ids[b]
			if err1 != nil || err2 != nil || !ok1 || !ok2 || ia == ib {
				return out, &Error{File: name, Line: ln, Msg: fmt.Sprintf("bond %q joins unknown atoms", t)}
			}
			m.Bonds = append(m.Bonds, [2]int{ia, ib})
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("%s:%d: %w", name, ln, err)
	}
	finish()
	if len(out) == 0 {
		return nil, &Error{File: name, Line: ln, Msg: "no @<TRIPOS>MOLECULE record"}
	}
	for _, m := range out {
		if len(m.Elements) == 0 {
			return out, &Error{File: name, Line: m.Line, Msg: "molecule without atoms"}
		}
	}
	return out, nil
}
