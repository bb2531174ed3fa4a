package ucr

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ReadARFF reads a file in Weka's ARFF format as written by the UCR/UEA archive.
func ReadARFF(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ucr: %w", err)
	}
	defer f.Close()
	d, err := ParseARFF(f, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	d.Path = path
	return d, nil
}

type arffAttr struct {
	name     string
	kind     string   // "numeric", "nominal", "string", "relational"
	values   []string // nominal values
	children int      // relational: number of nested attributes
}

// ParseARFF reads ARFF from r; name (usually the file name) appears in errors.
//
// The archive uses two layouts. Univariate: one numeric attribute per time point and
// the class attribute last. Multivariate: one relational attribute whose nested
// numeric attributes are the time points, then the class; each data row holds a
// quoted string whose lines (separated by "\n") are the dimensions. The class is the
// last attribute; when it is nominal its declared values are Classes, when it is
// numeric (regression) the values are kept as strings and Classes is empty. '%'
// starts a comment, keywords are case-insensitive, '?' is a missing value. As the
// archive pads variable-length series with '?' at the end, trailing missing values are
// dropped (each series ends at its last known value). Sparse rows ({...}) are not
// supported.
func ParseARFF(r io.Reader, name string) (*Dataset, error) {
	lr := newLineReader(r)
	d := &Dataset{}
	var attrs []arffAttr
	var inRel *arffAttr // relational attribute being declared
	inData := false
	for {
		s, ok, err := lr.next()
		if err != nil {
			return nil, perr(name, lr.line+1, err, "reading")
		}
		if !ok {
			break
		}
		t := strings.TrimSpace(s)
		if t == "" || strings.HasPrefix(t, "%") {
			continue
		}
		if !inData {
			if !strings.HasPrefix(t, "@") {
				return nil, perr(name, lr.line, nil, "expected @relation, @attribute or @data, got %q", clip(t))
			}
			kw, rest := splitWord(t)
			switch strings.ToLower(kw) {
			case "@relation":
				n, _, err := arffName(rest)
				if err != nil {
					return nil, perr(name, lr.line, err, "@relation")
				}
				d.Name = n
			case "@attribute":
				n, typ, err := arffName(rest)
				if err != nil {
					return nil, perr(name, lr.line, err, "@attribute")
				}
				a, err := arffType(n, strings.TrimSpace(typ))
				if err != nil {
					return nil, perr(name, lr.line, err, "@attribute %s", n)
				}
				if inRel != nil {
					if a.kind != "numeric" {
						return nil, perr(name, lr.line, nil, "attribute %s inside relational %s must be numeric, is %s", n, inRel.name, a.kind)
					}
					inRel.children++
					continue
				}
				attrs = append(attrs, a)
				if a.kind == "relational" {
					inRel = &attrs[len(attrs)-1]
				}
			case "@end":
				if inRel == nil {
					return nil, perr(name, lr.line, nil, "@end without a relational attribute")
				}
				inRel = nil
			case "@data":
				if inRel != nil {
					return nil, perr(name, lr.line, nil, "@data inside relational attribute %s (missing @end)", inRel.name)
				}
				if len(attrs) < 2 {
					return nil, perr(name, lr.line, nil, "need at least one series attribute and a class attribute, have %d attribute(s)", len(attrs))
				}
				for i, a := range attrs[:len(attrs)-1] {
					if a.kind != "numeric" && a.kind != "relational" {
						return nil, perr(name, lr.line, nil, "attribute %d (%s) is %s; only numeric or relational series attributes are supported", i, a.name, a.kind)
					}
					if a.kind == "relational" && len(attrs) != 2 {
						return nil, perr(name, lr.line, nil, "a relational attribute must be the only series attribute")
					}
				}
				if c := attrs[len(attrs)-1]; c.kind != "nominal" && c.kind != "numeric" && c.kind != "string" {
					return nil, perr(name, lr.line, nil, "class attribute %s is %s; want nominal, numeric or string", c.name, c.kind)
				}
				inData = true
			default:
				return nil, perr(name, lr.line, nil, "unknown keyword %q", kw)
			}
			continue
		}
		if err := arffRow(d, attrs, name, lr.line, t); err != nil {
			return nil, err
		}
	}
	if !inData {
		return nil, perr(name, 0, nil, "no @data line")
	}
	if len(d.X) == 0 {
		return nil, perr(name, 0, nil, "no cases after @data")
	}
	if d.Name == "" {
		d.Name = problemName(name)
	}
	if c := attrs[len(attrs)-1]; c.kind == "nominal" {
		d.Classes = c.values
	} else if c.kind == "string" {
		d.Classes = uniqueLabels(d.Y)
	}
	return d, nil
}

// splitWord splits s at its first run of white space.
func splitWord(s string) (string, string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// arffName reads a possibly quoted name from the start of s and returns the rest.
func arffName(s string) (name, rest string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", fmt.Errorf("missing name")
	}
	if q := s[0]; q == '\'' || q == '"' {
		j := strings.IndexByte(s[1:], q)
		if j < 0 {
			return "", "", fmt.Errorf("unterminated quote in %q", clip(s))
		}
		return s[1 : 1+j], strings.TrimSpace(s[2+j:]), nil
	}
	n, rest := splitWord(s)
	return n, rest, nil
}

func arffType(name, typ string) (arffAttr, error) {
	a := arffAttr{name: name}
	lt := strings.ToLower(typ)
	switch {
	case lt == "numeric" || lt == "real" || lt == "integer":
		a.kind = "numeric"
	case lt == "string":
		a.kind = "string"
	case lt == "relational":
		a.kind = "relational"
	case strings.HasPrefix(lt, "date"):
		a.kind = "date"
	case strings.HasPrefix(typ, "{"):
		if !strings.HasSuffix(typ, "}") {
			return a, fmt.Errorf("nominal values %q lack a closing '}'", clip(typ))
		}
		vals, err := splitQuoted(typ[1:len(typ)-1], ',')
		if err != nil {
			return a, err
		}
		seen := map[string]bool{}
		for _, v := range vals {
			v = strings.TrimSpace(v)
			if v == "" {
				return a, fmt.Errorf("empty nominal value")
			}
			if seen[v] {
				return a, fmt.Errorf("nominal value %q listed twice", v)
			}
			seen[v] = true
			a.values = append(a.values, v)
		}
		a.kind = "nominal"
	default:
		return a, fmt.Errorf("unknown type %q", clip(typ))
	}
	return a, nil
}

// splitQuoted splits s at sep outside single or double quotes, removing the quotes
// and resolving backslash escapes (\n, \t, \\, \', \") inside them.
func splitQuoted(s string, sep byte) ([]string, error) {
	var out []string
	var b strings.Builder
	quote := byte(0)
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(s[i])
			}
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
			quoted = true
		case c == sep:
			out = append(out, cleanField(b.String(), quoted))
			b.Reset()
			quoted = false
		default:
			b.WriteByte(c)
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote")
	}
	out = append(out, cleanField(b.String(), quoted))
	return out, nil
}

func cleanField(s string, quoted bool) string {
	if quoted {
		return s
	}
	return strings.TrimSpace(s)
}

func arffRow(d *Dataset, attrs []arffAttr, name string, line int, t string) error {
	caseNo := len(d.X)
	if strings.HasPrefix(t, "{") {
		return perr(name, line, nil, "case %d: sparse ARFF rows are not supported", caseNo)
	}
	vals, err := splitQuoted(t, ',')
	if err != nil {
		return perr(name, line, err, "case %d", caseNo)
	}
	class := attrs[len(attrs)-1]
	if attrs[0].kind == "relational" {
		if len(vals) != 2 {
			return perr(name, line, nil, "case %d: %d fields, want 2 (the quoted series and the class)", caseNo, len(vals))
		}
		rows := strings.Split(strings.ReplaceAll(vals[0], "\r", ""), "\n")
		if len(d.X) > 0 && len(rows) != d.Dims() {
			return perr(name, line, nil, "case %d: %d dimensions, case 0 has %d", caseNo, len(rows), d.Dims())
		}
		c := make([][]float64, len(rows))
		for j, row := range rows {
			s, err := parseValues(row, name, line, caseNo, j)
			if err != nil {
				return err
			}
			if len(s) != attrs[0].children {
				return perr(name, line, nil, "case %d: dimension %d has %d values, relational attribute %s declares %d", caseNo, j, len(s), attrs[0].name, attrs[0].children)
			}
			c[j] = trimNaN(s)
		}
		d.X = append(d.X, c)
	} else {
		if len(vals) != len(attrs) {
			return perr(name, line, nil, "case %d: %d fields, want %d", caseNo, len(vals), len(attrs))
		}
		s := make([]float64, len(vals)-1)
		for k, v := range vals[:len(vals)-1] {
			if v == "?" {
				s[k] = math.NaN()
				continue
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return perr(name, line, nil, "case %d: attribute %d (%s) %q: not a number", caseNo, k, attrs[k].name, clip(v))
			}
			s[k] = x
		}
		d.X = append(d.X, [][]float64{trimNaN(s)})
	}
	label := vals[len(vals)-1]
	switch class.kind {
	case "nominal":
		found := false
		for _, v := range class.values {
			if v == label {
				found = true
				break
			}
		}
		if !found {
			return perr(name, line, nil, "case %d: class %q not among the declared values %v", caseNo, label, class.values)
		}
	case "numeric":
		if _, err := strconv.ParseFloat(label, 64); err != nil {
			return perr(name, line, nil, "case %d: numeric class %q is not a number", caseNo, clip(label))
		}
	}
	d.Y = append(d.Y, label)
	return nil
}

// trimNaN returns s without its trailing NaNs.
func trimNaN(s []float64) []float64 {
	end := len(s)
	for end > 0 && math.IsNaN(s[end-1]) {
		end--
	}
	return s[:end:end]
}
