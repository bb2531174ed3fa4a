package ucr

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lineReader yields lines without their end of line (\n or \r\n), counting them
// from 1; a UTF-8 byte-order mark at the start of the input is dropped.
type lineReader struct {
	r    *bufio.Reader
	line int
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 1<<16)}
}

// next returns the next line; ok is false at the end of the input.
func (l *lineReader) next() (s string, ok bool, err error) {
	s, err = l.r.ReadString('\n')
	if err == io.EOF {
		if s == "" {
			return "", false, nil
		}
		err = nil
	}
	if err != nil {
		return "", false, err
	}
	l.line++
	if l.line == 1 {
		s = strings.TrimPrefix(s, "\uFEFF")
	}
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return s, true, nil
}

// ReadTS reads a file in the sktime/aeon .ts format.
func ReadTS(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ucr: %w", err)
	}
	defer f.Close()
	d, err := ParseTS(f, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	d.Path = path
	return d, nil
}

// tsHeader holds the header tags of a .ts file; -1 / unset means the tag was absent.
type tsHeader struct {
	name        string
	univariate  int // -1 absent, 0 false, 1 true
	dims        int // -1 absent
	equalLength int
	seriesLen   int
	classLabel  int
	classes     []string
	targetLabel int
}

// ParseTS reads the .ts format from r; name (usually the file name) appears in
// errors.
//
// The format: lines starting with # are comments; header tags (@problemName,
// @timeStamps, @missing, @univariate, @dimension(s), @equalLength, @seriesLength,
// @classLabel true|false [labels...], @targetLabel; case-insensitive, unknown tags
// ignored) precede @data; each data line is one case, its dimensions separated by
// ':' and the class label (when @classLabel true) last, values separated by ',' with
// '?' (or NaN) for a missing value. Time-stamped data (@timeStamps true) is not
// supported. When @classLabel is false, Y holds empty strings (or the numeric target
// of a regression problem, @targetLabel true) and Classes is empty.
func ParseTS(r io.Reader, name string) (*Dataset, error) {
	lr := newLineReader(r)
	h := tsHeader{univariate: -1, dims: -1, equalLength: -1, seriesLen: -1, classLabel: -1, targetLabel: -1}
	boolTag := func(line int, tag, v string) (int, error) {
		switch strings.ToLower(v) {
		case "true":
			return 1, nil
		case "false":
			return 0, nil
		}
		return 0, perr(name, line, nil, "%s: want true or false, got %q", tag, v)
	}
	inData := false
	d := &Dataset{}
	var classSet map[string]bool
	for {
		s, ok, err := lr.next()
		if err != nil {
			return nil, perr(name, lr.line+1, err, "reading")
		}
		if !ok {
			break
		}
		t := strings.TrimSpace(s)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if !inData {
			if !strings.HasPrefix(t, "@") {
				return nil, perr(name, lr.line, nil, "expected a header tag (@...) or @data before data, got %q", clip(t))
			}
			fields := strings.Fields(t)
			tag := strings.ToLower(fields[0])
			args := fields[1:]
			arg := ""
			if len(args) > 0 {
				arg = args[0]
			}
			switch tag {
			case "@problemname":
				h.name = strings.Join(args, " ")
			case "@timestamps":
				v, err := boolTag(lr.line, fields[0], arg)
				if err != nil {
					return nil, err
				}
				if v == 1 {
					return nil, perr(name, lr.line, nil, "@timeStamps true is not supported")
				}
			case "@missing":
				if _, err := boolTag(lr.line, fields[0], arg); err != nil {
					return nil, err
				}
			case "@univariate":
				v, err := boolTag(lr.line, fields[0], arg)
				if err != nil {
					return nil, err
				}
				h.univariate = v
			case "@dimension", "@dimensions":
				n, err := strconv.Atoi(arg)
				if err != nil || n < 1 {
					return nil, perr(name, lr.line, nil, "%s: want a positive integer, got %q", fields[0], arg)
				}
				h.dims = n
			case "@equallength":
				v, err := boolTag(lr.line, fields[0], arg)
				if err != nil {
					return nil, err
				}
				h.equalLength = v
			case "@serieslength":
				n, err := strconv.Atoi(arg)
				if err != nil || n < 0 {
					return nil, perr(name, lr.line, nil, "%s: want a non-negative integer, got %q", fields[0], arg)
				}
				h.seriesLen = n
			case "@classlabel":
				v, err := boolTag(lr.line, fields[0], arg)
				if err != nil {
					return nil, err
				}
				h.classLabel = v
				if v == 1 {
					if len(args) < 2 {
						return nil, perr(name, lr.line, nil, "@classLabel true lists no class labels")
					}
					classSet = map[string]bool{}
					for _, c := range args[1:] {
						if classSet[c] {
							return nil, perr(name, lr.line, nil, "@classLabel: class %q listed twice", c)
						}
						classSet[c] = true
						h.classes = append(h.classes, c)
					}
				}
			case "@targetlabel":
				v, err := boolTag(lr.line, fields[0], arg)
				if err != nil {
					return nil, err
				}
				h.targetLabel = v
			case "@data":
				if h.classLabel < 0 && h.targetLabel < 0 {
					return nil, perr(name, lr.line, nil, "@data before @classLabel (or @targetLabel)")
				}
				if h.univariate == 1 && h.dims > 1 {
					return nil, perr(name, lr.line, nil, "@univariate true but @dimensions %d", h.dims)
				}
				if h.univariate == 1 {
					h.dims = 1
				}
				inData = true
			default:
				// unknown tags are ignored so newer files still load
			}
			continue
		}
		if err := parseTSCase(d, &h, classSet, name, lr.line, t); err != nil {
			return nil, err
		}
	}
	if !inData {
		return nil, perr(name, 0, nil, "no @data line")
	}
	if len(d.X) == 0 {
		return nil, perr(name, 0, nil, "no cases after @data")
	}
	d.Name = h.name
	if d.Name == "" {
		d.Name = problemName(name)
	}
	if h.classLabel == 1 {
		d.Classes = h.classes
	}
	return d, nil
}

func parseTSCase(d *Dataset, h *tsHeader, classSet map[string]bool, name string, line int, t string) error {
	caseNo := len(d.X)
	parts := strings.Split(t, ":")
	label := ""
	if h.classLabel == 1 || h.targetLabel == 1 {
		if len(parts) < 2 {
			return perr(name, line, nil, "case %d: no ':' before the class label", caseNo)
		}
		label = strings.TrimSpace(parts[len(parts)-1])
		parts = parts[:len(parts)-1]
		if h.classLabel == 1 && !classSet[label] {
			return perr(name, line, nil, "case %d: class label %q not declared in @classLabel %v", caseNo, label, h.classes)
		}
		if h.targetLabel == 1 {
			if _, err := strconv.ParseFloat(label, 64); err != nil {
				return perr(name, line, nil, "case %d: target %q is not a number", caseNo, label)
			}
		}
	}
	if h.dims < 0 {
		h.dims = len(parts)
	}
	if len(parts) != h.dims {
		return perr(name, line, nil, "case %d: %d dimensions, want %d", caseNo, len(parts), h.dims)
	}
	c := make([][]float64, len(parts))
	for j, p := range parts {
		s, err := parseValues(p, name, line, caseNo, j)
		if err != nil {
			return err
		}
		if h.equalLength == 1 && h.seriesLen >= 0 && len(s) != h.seriesLen {
			return perr(name, line, nil, "case %d: dimension %d has %d values, @seriesLength is %d", caseNo, j, len(s), h.seriesLen)
		}
		if h.equalLength == 1 && j > 0 && len(s) != len(c[0]) {
			return perr(name, line, nil, "case %d: dimension %d has %d values but @equalLength is true and dimension 0 has %d", caseNo, j, len(s), len(c[0]))
		}
		if h.equalLength == 1 && len(d.X) > 0 && len(s) != len(d.X[0][0]) {
			return perr(name, line, nil, "case %d: dimension %d has %d values but @equalLength is true and case 0 has %d", caseNo, j, len(s), len(d.X[0][0]))
		}
		c[j] = s
	}
	d.X = append(d.X, c)
	d.Y = append(d.Y, label)
	return nil
}

// parseValues parses a comma-separated list of numbers; "?" is NaN.
func parseValues(p, name string, line, caseNo, dim int) ([]float64, error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return nil, perr(name, line, nil, "case %d: dimension %d is empty", caseNo, dim)
	}
	n := strings.Count(p, ",") + 1
	out := make([]float64, 0, n)
	for k := 0; k < n; k++ {
		var v string
		if i := strings.IndexByte(p, ','); i >= 0 {
			v, p = p[:i], p[i+1:]
		} else {
			v = p
		}
		v = strings.TrimSpace(v)
		if v == "?" {
			out = append(out, math.NaN())
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, perr(name, line, nil, "case %d: dimension %d: value %d %q: not a number", caseNo, dim, k, clip(v))
		}
		out = append(out, x)
	}
	return out, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}
