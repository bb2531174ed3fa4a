package mol

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ReadXYZFile reads every frame of an XYZ file; bonds are perceived from
// distances (PerceiveBonds).
func ReadXYZFile(path string) ([]*Molecule, error) { return readFile(path, ReadXYZ) }

// ReadXYZ reads the frames of an XYZ file (atom count, comment, then one
// "symbol x y z" line per atom, Å) from r; name is the file name used in errors.
func ReadXYZ(r io.Reader, name string) ([]*Molecule, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	ln := 0
	var out []*Molecule
	for sc.Scan() {
		ln++
		head := strings.TrimSpace(sc.Text())
		if head == "" {
			continue
		}
		n, err := strconv.Atoi(head)
		if err != nil || n <= 0 {
			return out, &Error{File: name, Line: ln, Msg: fmt.Sprintf("atom count %q is not a positive integer", head)}
		}
		start := ln
		if !sc.Scan() {
			return out, &Error{File: name, Line: ln, Msg: "comment line missing"}
		}
		ln++
		m := &Molecule{Name: strings.TrimSpace(sc.Text()), File: name, Line: start, Props: map[string]string{}}
		for i := 0; i < n; i++ {
			if !sc.Scan() {
				return out, &Error{File: name, Line: ln, Msg: fmt.Sprintf("file ends at atom %d of %d", i+1, n)}
			}
			ln++
			f := strings.Fields(sc.Text())
			if len(f) < 4 {
				return out, &Error{File: name, Line: ln, Atom: i + 1, Msg: fmt.Sprintf("atom line %q: want symbol x y z", sc.Text())}
			}
			e, ok := ParseElement(f[0])
			if !ok {
				if z, err := strconv.Atoi(f[0]); err == nil && z > 0 && z < 119 {
					e, ok = Element(z), true
				}
			}
			if !ok {
				return out, &Error{File: name, Line: ln, Atom: i + 1, Msg: fmt.Sprintf("unknown element %q", f[0])}
			}
			var x [3]float64
			for k := 0; k < 3; k++ {
				v, err := strconv.ParseFloat(f[1+k], 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return out, &Error{File: name, Line: ln, Atom: i + 1, Msg: fmt.Sprintf("coordinate %q is not a finite number", f[1+k])}
				}
				x[k] = v
			}
			m.Elements = append(m.Elements, e)
			m.Coords = append(m.Coords, x)
			m.Charges = append(m.Charges, 0)
			m.AtomLines = append(m.AtomLines, ln)
		}
		m.Bonds = PerceiveBonds(m.Elements, m.Coords)
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("%s:%d: %w", name, ln, err)
	}
	if len(out) == 0 {
		return nil, &Error{File: name, Line: ln, Msg: "no XYZ frames"}
	}
	return out, nil
}

// WriteXYZ writes one XYZ frame of m (Å).
func WriteXYZ(w io.Writer, m *Molecule) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d\n%s\n", len(m.Elements), m.Name)
	for i, e := range m.Elements {
		fmt.Fprintf(bw, "%-2s %14.8f %14.8f %14.8f\n", e.Symbol(), m.Coords[i][0], m.Coords[i][1], m.Coords[i][2])
	}
	return bw.Flush()
}
