package modes

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// MinPoints is the smallest sample size the methods accept.
const MinPoints = 3

// ErrData is wrapped by every error about unusable data (empty file, non-numeric cells,
// NaN or infinite values, too few points, constant sample).
var ErrData = errors.New("unusable data")

// ReadCSV reads one numeric column of a CSV file. The column is chosen by header name, or
// by 1-based position ("1", "2", ...); an empty column means the first one. The first
// line is a header when any of its cells is not a number; a file whose first line is
// numeric has no header, and then columns can only be chosen by position. Empty cells are
// skipped (missing values), anything else that is not a finite number is an error naming
// the file, line and field. The sample is checked with Check.
func ReadCSV(path, column string) ([]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseCSV(bytes.NewReader(b), path, column)
}

// ParseCSV is ReadCSV on a reader; name is used in error messages.
func ParseCSV(r io.Reader, name, column string) ([]float64, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	var (
		x      []float64
		col    = -1
		header []string
		first  = true
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrData, err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			if !allNumeric(rec) {
				header = rec
				c, err := pickColumn(header, column)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %w: %v", name, line, ErrData, err)
				}
				col = c
				continue
			}
			c, err := pickColumn(nil, column)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w: %v", name, line, ErrData, err)
			}
			col = c
		}
		if col >= len(rec) {
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue // blank line
			}
			return nil, fmt.Errorf("%s:%d: %w: row has %d fields, column %s needs %d",
				name, line, ErrData, len(rec), fieldName(header, col), col+1)
		}
		s := strings.TrimSpace(rec[col])
		if s == "" || s == "NA" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: field %s: %w: %q is not a number", name, line, fieldName(header, col), ErrData, s)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s:%d: field %s: %w: %q is not finite", name, line, fieldName(header, col), ErrData, s)
		}
		x = append(x, v)
	}
	if first {
		return nil, fmt.Errorf("%s: %w: empty file", name, ErrData)
	}
	if err := Check(x); err != nil {
		return nil, fmt.Errorf("%s: column %s: %w", name, fieldName(header, col), err)
	}
	return x, nil
}

func fieldName(header []string, col int) string {
	if header != nil && col >= 0 && col < len(header) {
		return strconv.Quote(header[col])
	}
	return strconv.Itoa(col + 1)
}

func allNumeric(rec []string) bool {
	for _, s := range rec {
		s = strings.TrimSpace(s)
		if s == "" || s == "NA" {
			continue
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return false
		}
	}
	return true
}

func pickColumn(header []string, column string) (int, error) {
	if column == "" {
		return 0, nil
	}
	for i, h := range header {
		if strings.TrimSpace(h) == column {
			return i, nil
		}
	}
	if k, err := strconv.Atoi(column); err == nil {
		if k < 1 || (header != nil && k > len(header)) {
			return 0, fmt.Errorf("column %d out of range", k)
		}
		return k - 1, nil
	}
	if header == nil {
		return 0, fmt.Errorf("no header line, so column %q must be a 1-based position", column)
	}
	return 0, fmt.Errorf("no column %q in header %q", column, strings.Join(header, ","))
}

// Check returns an error wrapping ErrData when x cannot be analysed: fewer than
// MinPoints values, a NaN or infinite value (naming its index), or all values equal.
func Check(x []float64) error {
	if len(x) == 0 {
		return fmt.Errorf("%w: no values", ErrData)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: value %d is %v", ErrData, i+1, v)
		}
	}
	if len(x) < MinPoints {
		return fmt.Errorf("%w: %d values, need at least %d", ErrData, len(x), MinPoints)
	}
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	if lo == hi {
		return fmt.Errorf("%w: all %d values equal %v (constant data)", ErrData, len(x), lo)
	}
	return nil
}
