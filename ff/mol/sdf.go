package mol

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ReadSDFFile reads every record of an MDL SD file (V2000 connection tables).
func ReadSDFFile(path string) ([]*Molecule, error) { return readFile(path, ReadSDF) }

// ReadSDF reads the records of an SD file from r; name is the file name used in
// errors. Each record gives one Molecule with its data items ("> <name>") in
// Props. V3000 records are refused with an error naming the line; formal charges
// come from the atom block's charge column and "M  CHG" lines (the latter wins,
// as in the CTfile specification), radicals from "M  RAD" make the record
// odd-electron (reported by Check as a formal-charge-like error).
func ReadSDF(r io.Reader, name string) ([]*Molecule, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, len(lines)+1, err)
	}
	ln := 0
	next := func() (string, bool) {
		if ln >= len(lines) {
			return "", false
		}
		ln++
		return lines[ln-1], true
	}
	restBlank := func() bool {
		for _, l := range lines[ln:] {
			if strings.TrimSpace(l) != "" {
				return false
			}
		}
		return true
	}
	var out []*Molecule
	for !restBlank() {
		title, _ := next()
		m, err := readCTab(next, &ln, name, ln, strings.TrimSpace(title))
		if err != nil {
			return out, err
		}
		out = append(out, m)
		if err := readData(next, &ln, name, m); err != nil {
			return out, err
		}
	}
	if len(out) == 0 {
		return nil, &Error{File: name, Line: ln, Msg: "no SD records"}
	}
	return out, nil
}

func readCTab(next func() (string, bool), ln *int, file string, start int, title string) (*Molecule, error) {
	bad := func(format string, a ...any) error {
		return &Error{File: file, Line: *ln, Msg: fmt.Sprintf(format, a...)}
	}
	if _, ok := next(); !ok {
		return nil, bad("truncated header (program line missing)")
	}
	if _, ok := next(); !ok {
		return nil, bad("truncated header (comment line missing)")
	}
	counts, ok := next()
	if !ok {
		return nil, bad("counts line missing")
	}
	if strings.Contains(counts, "V3000") {
		return nil, bad("V3000 connection table: only V2000 SD files are supported (convert with RDKit Chem.SDWriter, SetForceV3000(False), or Open Babel)")
	}
	na, err1 := fixedInt(counts, 0, 3)
	nb, err2 := fixedInt(counts, 3, 6)
	if err1 != nil || err2 != nil || na < 0 || nb < 0 || na > 999 || nb > 999 {
		return nil, bad("counts line %q: atom and bond counts must be integers in columns 1-3 and 4-6", counts)
	}
	m := &Molecule{Name: title, File: file, Line: start, Props: map[string]string{}}
	m.Elements = make([]Element, 0, na)
	m.Coords = make([][3]float64, 0, na)
	m.Charges = make([]int, 0, na)
	for i := 0; i < na; i++ {
		l, ok := next()
		if !ok {
			return nil, bad("file ends in the atom block (atom %d of %d)", i+1, na)
		}
		f := strings.Fields(l)
		if len(f) < 4 {
			return nil, &Error{File: file, Line: *ln, Atom: i + 1, Msg: fmt.Sprintf("atom line %q: want x y z symbol", l)}
		}
		var xyz [3]float64
		for k := 0; k < 3; k++ {
			v, err := strconv.ParseFloat(f[k], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &Error{File: file, Line: *ln, Atom: i + 1, Msg: fmt.Sprintf("coordinate %q is not a finite number", f[k])}
			}
			xyz[k] = v
		}
		e, ok := ParseElement(f[3])
		if !ok {
			return nil, &Error{File: file, Line: *ln, Atom: i + 1, Msg: fmt.Sprintf("unknown element %q", f[3])}
		}
		q := 0
		if len(f) >= 6 {
			code, err := strconv.Atoi(f[5])
			if err != nil {
				return nil, &Error{File: file, Line: *ln, Atom: i + 1, Msg: fmt.Sprintf("charge field %q is not an integer", f[5])}
			}
			switch code {
			case 0:
			case 1, 2, 3:
				q = 4 - code
			case 4: // doublet radical
				q = 99
			case 5, 6, 7:
				q = 4 - code
			default:
				return nil, &Error{File: file, Line: *ln, Atom: i + 1, Msg: fmt.Sprintf("charge code %d outside 0-7", code)}
			}
		}
		m.Elements = append(m.Elements, e)
		m.Coords = append(m.Coords, xyz)
		m.Charges = append(m.Charges, q)
		m.AtomLines = append(m.AtomLines, *ln)
	}
	bonds := make([][2]int, 0, nb)
	for i := 0; i < nb; i++ {
		l, ok := next()
		if !ok {
			return nil, bad("file ends in the bond block (bond %d of %d)", i+1, nb)
		}
		a, err1 := fixedInt(l, 0, 3)
		b, err2 := fixedInt(l, 3, 6)
		if err1 != nil || err2 != nil {
			return nil, bad("bond line %q: atom numbers must be integers in columns 1-3 and 4-6", l)
		}
		if a < 1 || a > na || b < 1 || b > na || a == b {
			return nil, bad("bond %d joins atoms %d and %d; the record has %d atoms", i+1, a, b, na)
		}
		bonds = append(bonds, [2]int{a - 1, b - 1})
	}
	m.Bonds = normBonds(bonds)
	chgSeen := false
	for {
		l, ok := next()
		if !ok {
			return nil, bad("file ends before \"M  END\"")
		}
		if strings.HasPrefix(l, "M  END") {
			break
		}
		if strings.HasPrefix(l, "M  CHG") || strings.HasPrefix(l, "M  RAD") {
			f := strings.Fields(l[6:])
			if len(f) == 0 {
				return nil, bad("%q: entry count missing", l[:6])
			}
			n, err := strconv.Atoi(f[0])
			if err != nil || n < 0 || len(f) < 1+2*n {
				return nil, bad("%q: want a count and that many atom/value pairs", l)
			}
			if strings.HasPrefix(l, "M  CHG") && !chgSeen {
				chgSeen = true
				for i := range m.Charges {
					if m.Charges[i] != 99 {
						m.Charges[i] = 0
					}
				}
			}
			for k := 0; k < n; k++ {
				a, err1 := strconv.Atoi(f[1+2*k])
				v, err2 := strconv.Atoi(f[2+2*k])
				if err1 != nil || err2 != nil || a < 1 || a > na {
					return nil, bad("%q: entry %d is not an atom number (1-%d) and an integer", l, k+1, na)
				}
				if strings.HasPrefix(l, "M  CHG") {
					m.Charges[a-1] = v
				} else if v != 0 {
					m.Charges[a-1] = 99
				}
			}
		}
	}
	for i, q := range m.Charges {
		if q == 99 {
			return nil, &Error{File: file, Line: m.AtomLines[i], Atom: i + 1, Msg: "radical: odd-electron molecules are not supported"}
		}
	}
	return m, nil
}

// readData reads "> <name>" data items up to and including "$$$$".
func readData(next func() (string, bool), ln *int, file string, m *Molecule) error {
	key := ""
	var val []string
	flush := func() {
		if key != "" {
			m.Props[key] = strings.Join(val, "\n")
		}
		key, val = "", nil
	}
	for {
		l, ok := next()
		if !ok {
			flush()
			return nil // a last record without "$$$$" is accepted
		}
		if strings.HasPrefix(l, "$$$$") {
			flush()
			return nil
		}
		if strings.HasPrefix(l, ">") && key == "" {
			i, j := strings.Index(l, "<"), strings.LastIndex(l, ">")
			if i < 0 || j <= i {
				return &Error{File: file, Line: *ln, Msg: fmt.Sprintf("data header %q: want \"> <name>\"", l)}
			}
			key = l[i+1 : j]
			continue
		}
		if key != "" {
			if strings.TrimSpace(l) == "" {
				flush()
				continue
			}
			val = append(val, l)
		}
	}
}

func fixedInt(l string, a, b int) (int, error) {
	if len(l) < b {
		if len(l) <= a {
			return 0, fmt.Errorf("short line")
		}
		b = len(l)
	}
	return strconv.Atoi(strings.TrimSpace(l[a:b]))
}

// WriteSDF writes m as one V2000 record (bond order 1 for every bond: erg does
// not perceive bond orders) with its Props as data items.
func WriteSDF(w io.Writer, m *Molecule, keys []string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n  erg ff\n\n%3d%3d  0  0  0  0  0  0  0  0999 V2000\n", m.Name, len(m.Elements), len(m.Bonds))
	for i, e := range m.Elements {
		x := m.Coords[i]
		fmt.Fprintf(bw, "%10.4f%10.4f%10.4f %-3s 0  0  0  0  0  0  0  0  0  0  0  0\n", x[0], x[1], x[2], e.Symbol())
	}
	for _, b := range m.Bonds {
		fmt.Fprintf(bw, "%3d%3d  1  0\n", b[0]+1, b[1]+1)
	}
	fmt.Fprintf(bw, "M  END\n")
	for _, k := range keys {
		if v, ok := m.Props[k]; ok {
			fmt.Fprintf(bw, ">  <%s>\n%s\n\n", k, v)
		}
	}
	fmt.Fprintf(bw, "$$$$\n")
	return bw.Flush()
}
