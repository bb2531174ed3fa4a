package density

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ergml/erg/internal/atomicfile"
)

// ReadCSV reads a data set of points from a CSV file: one point per line, its
// coordinates separated by commas (2 or more columns, the same number on every line).
// A first line that does not parse as numbers is taken as a header; empty lines and
// lines starting with '#' are skipped. Errors name the file, line and field.
func ReadCSV(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("density: %w", err)
	}
	defer f.Close()
	s := &Set{Name: path}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	line := 0
	first := true
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, ",")
		row := make([]float64, len(fields))
		var perr error
		for j, fl := range fields {
			v, err := strconv.ParseFloat(strings.TrimSpace(fl), 64)
			if err != nil {
				perr = fmt.Errorf("density: %s:%d: field %d: %q is not a number", path, line, j+1, strings.TrimSpace(fl))
				break
			}
			if isNonFinite(v) {
				perr = fmt.Errorf("density: %s:%d: field %d: %v is not finite", path, line, j+1, v)
				break
			}
			row[j] = v
		}
		if perr != nil {
			if first && s.Dim == 0 && !strings.Contains(perr.Error(), "not finite") {
				first = false // a header line
				continue
			}
			return nil, perr
		}
		first = false
		if s.Dim == 0 {
			if len(row) < 2 {
				return nil, fmt.Errorf("density: %s:%d: %d column(s); points need at least 2", path, line, len(row))
			}
			s.Dim = len(row)
		} else if len(row) != s.Dim {
			return nil, fmt.Errorf("density: %s:%d: %d fields, earlier lines have %d", path, line, len(row), s.Dim)
		}
		s.X = append(s.X, row...)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("density: %s:%d: %w", path, line+1, err)
	}
	if s.Len() == 0 {
		return nil, fmt.Errorf("density: %s: no points", path)
	}
	return s, nil
}

func isNonFinite(v float64) bool { return v != v || v > 1e308 || v < -1e308 }

// WriteCSV writes s to path atomically, with a header line x1,x2,... and one point per
// line in the shortest form that reads back to the same float64.
func WriteCSV(path string, s *Set) error {
	var b bytes.Buffer
	for j := range s.Dim {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "x%d", j+1)
	}
	b.WriteByte('\n')
	for i := range s.Len() {
		for j, v := range s.Row(i) {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	if err := atomicfile.Write(path, b.Bytes()); err != nil {
		return fmt.Errorf("density: %w", err)
	}
	return nil
}

// Load returns the named built-in density sampled with n points (seed, stream), or, if
// name is not a built-in density, the points of the CSV file at that path.
func Load(name string, n int, seed, stream uint64) (*Set, error) {
	if Known(name) {
		return Sample(name, n, seed, stream)
	}
	if _, err := os.Stat(name); err != nil {
		if strings.ContainsAny(name, "/.") {
			return nil, fmt.Errorf("density: %w", err)
		}
		return nil, fmt.Errorf("density: unknown density %q (have %s, or a CSV file of points)", name, strings.Join(Names(), ", "))
	}
	return ReadCSV(name)
}
