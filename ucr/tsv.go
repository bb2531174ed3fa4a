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

// ReadTSV reads a file in the UCR 2018 text format.
func ReadTSV(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ucr: %w", err)
	}
	defer f.Close()
	d, err := ParseTSV(f, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	d.Path = path
	return d, nil
}

// ParseTSV reads the UCR 2018 text format from r: one univariate case per line, the
// class label in column 0 and the values after it, separated by tabs (or, for the
// older UCR 2015 text files, by commas or spaces: the separator is the first tab,
// comma or space run found on the first data line). "NaN" or "?" is a missing value.
// The UCR 2018 archive pads variable-length series with NaN at the end, so trailing
// NaNs are dropped: each series ends at its last non-NaN value. Blank lines and lines
// starting with '#' are skipped. Classes are the distinct labels, sorted numerically
// when all are numbers.
func ParseTSV(r io.Reader, name string) (*Dataset, error) {
	lr := newLineReader(r)
	d := &Dataset{Name: problemName(name)}
	var sep func(string) []string
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
		if sep == nil {
			switch {
			case strings.Contains(t, "\t"):
				sep = func(s string) []string { return strings.Split(s, "\t") }
			case strings.Contains(t, ","):
				sep = func(s string) []string { return strings.Split(s, ",") }
			default:
				sep = strings.Fields
			}
		}
		fields := sep(t)
		caseNo := len(d.X)
		if len(fields) < 2 {
			return nil, perr(name, lr.line, nil, "case %d: a label and at least one value are needed, got %d field(s)", caseNo, len(fields))
		}
		label := strings.TrimSpace(fields[0])
		if label == "" {
			return nil, perr(name, lr.line, nil, "case %d: empty class label in column 0", caseNo)
		}
		// UCR labels are numbers written as floats in some files ("1.0000000e+00").
		if f, err := strconv.ParseFloat(label, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 && strings.ContainsAny(label, ".eE") {
			label = strconv.FormatFloat(f, 'f', -1, 64)
		}
		vals := make([]float64, 0, len(fields)-1)
		for k, v := range fields[1:] {
			v = strings.TrimSpace(v)
			if v == "?" {
				vals = append(vals, math.NaN())
				continue
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, perr(name, lr.line, nil, "case %d: column %d %q: not a number", caseNo, k+1, clip(v))
			}
			vals = append(vals, x)
		}
		vals = trimNaN(vals)
		if len(vals) == 0 {
			return nil, perr(name, lr.line, nil, "case %d: every value is missing", caseNo)
		}
		d.X = append(d.X, [][]float64{vals})
		d.Y = append(d.Y, label)
	}
	if len(d.X) == 0 {
		return nil, perr(name, 0, nil, "no cases")
	}
	d.Classes = uniqueLabels(d.Y)
	return d, nil
}
