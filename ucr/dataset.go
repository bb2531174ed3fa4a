package ucr

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Dataset is one split (train or test) of a classification problem.
type Dataset struct {
	// Name is the problem name (@problemName, @relation, or the file name without
	// the _TRAIN/_TEST suffix).
	Name string
	// X holds the series as X[case][dim][time]. Every case has the same number of
	// dimensions; lengths may differ between cases (and, rarely, between dimensions
	// of one case). Missing values are NaN.
	X [][][]float64
	// Y holds the class label of each case.
	Y []string
	// Classes lists the class labels: in the order the file declares them when it
	// does (.ts @classLabel, .arff nominal class attribute), else sorted (numerically
	// when every label is a number).
	Classes []string
	// Path is the file the dataset was read from, if any.
	Path string
}

// Len returns the number of cases.
func (d *Dataset) Len() int { return len(d.X) }

// Dims returns the number of dimensions (channels) per case, 0 for an empty dataset.
func (d *Dataset) Dims() int {
	if len(d.X) == 0 {
		return 0
	}
	return len(d.X[0])
}

// Lengths returns the shortest and the longest series length over all cases and
// dimensions.
func (d *Dataset) Lengths() (minLen, maxLen int) {
	minLen = -1
	for _, c := range d.X {
		for _, s := range c {
			if minLen < 0 || len(s) < minLen {
				minLen = len(s)
			}
			if len(s) > maxLen {
				maxLen = len(s)
			}
		}
	}
	if minLen < 0 {
		minLen = 0
	}
	return minLen, maxLen
}

// EqualLength reports whether every series of every case has the same length.
func (d *Dataset) EqualLength() bool {
	lo, hi := d.Lengths()
	return lo == hi
}

// HasMissing reports whether any value is NaN.
func (d *Dataset) HasMissing() bool {
	for _, c := range d.X {
		for _, s := range c {
			for _, v := range s {
				if math.IsNaN(v) {
					return true
				}
			}
		}
	}
	return false
}

// ClassIndex returns the index of label in d.Classes, or -1.
func (d *Dataset) ClassIndex(label string) int {
	for i, c := range d.Classes {
		if c == label {
			return i
		}
	}
	return -1
}

// ClassCounts returns the number of cases per class, in the order of d.Classes.
func (d *Dataset) ClassCounts() []int {
	n := make([]int, len(d.Classes))
	for _, y := range d.Y {
		if i := d.ClassIndex(y); i >= 0 {
			n[i]++
		}
	}
	return n
}

// Validate checks the invariants every reader guarantees: as many labels as cases,
// the same number of dimensions in every case, and every label in Classes.
func (d *Dataset) Validate() error {
	if len(d.X) != len(d.Y) {
		return fmt.Errorf("ucr: %s: %d cases but %d labels", d.Name, len(d.X), len(d.Y))
	}
	for i, c := range d.X {
		if len(c) != d.Dims() {
			return fmt.Errorf("ucr: %s: case %d has %d dimensions, case 0 has %d", d.Name, i, len(c), d.Dims())
		}
	}
	for i, y := range d.Y {
		if d.ClassIndex(y) < 0 {
			return fmt.Errorf("ucr: %s: case %d: label %q not among the classes %v", d.Name, i, y, d.Classes)
		}
	}
	return nil
}

// Clone returns a deep copy of d.
func (d *Dataset) Clone() *Dataset {
	c := *d
	c.X = make([][][]float64, len(d.X))
	for i, cs := range d.X {
		c.X[i] = make([][]float64, len(cs))
		for j, s := range cs {
			c.X[i][j] = append([]float64(nil), s...)
		}
	}
	c.Y = append([]string(nil), d.Y...)
	c.Classes = append([]string(nil), d.Classes...)
	return &c
}

// ParseError is the error every reader returns for malformed input.
type ParseError struct {
	File string // file name (or the name given to a Parse function)
	Line int    // 1-based line number, 0 when the error concerns the whole file
	Msg  string // what was wrong
	Err  error  // underlying error, if any
}

func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	s += ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *ParseError) Unwrap() error { return e.Err }

func perr(file string, line int, err error, format string, a ...any) *ParseError {
	return &ParseError{File: file, Line: line, Msg: fmt.Sprintf(format, a...), Err: err}
}

// ReadFile reads a dataset file, choosing the reader by extension: .ts, .tsv (also
// .txt and .csv, read as UCR text with the label first), .arff.
func ReadFile(path string) (*Dataset, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ts":
		return ReadTS(path)
	case ".tsv", ".txt", ".csv":
		return ReadTSV(path)
	case ".arff":
		return ReadARFF(path)
	}
	return nil, fmt.Errorf("ucr: %s: unknown extension (want .ts, .tsv or .arff)", path)
}

// ErrNoSplit is returned (wrapped) by Load when a directory holds no NAME_TRAIN or
// NAME_TEST file.
var ErrNoSplit = errors.New("no archive split file")

// Extensions lists the file extensions Load looks for, in order of preference.
var Extensions = []string{".ts", ".arff", ".tsv", ".txt"}

// Load reads the train and test splits of the problem in dir, whose base name is the
// problem name: it looks for NAME_TRAIN and NAME_TEST with the first extension of
// Extensions that exists (so dir may hold the archive in several formats).
func Load(dir string) (train, test *Dataset, err error) {
	name := filepath.Base(filepath.Clean(dir))
	train, err = LoadSplit(dir, name, "TRAIN")
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadSplit(dir, name, "TEST")
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// LoadSplit reads dir/NAME_SPLIT.{ts,arff,tsv,txt}, split being "TRAIN" or "TEST".
func LoadSplit(dir, name, split string) (*Dataset, error) {
	p, err := SplitPath(dir, name, split)
	if err != nil {
		return nil, err
	}
	d, err := ReadFile(p)
	if err != nil {
		return nil, err
	}
	if d.Name == "" {
		d.Name = name
	}
	return d, nil
}

// SplitPath returns the path of dir/NAME_SPLIT with the first extension of Extensions
// that exists, without reading it.
func SplitPath(dir, name, split string) (string, error) {
	for _, ext := range Extensions {
		p := filepath.Join(dir, name+"_"+split+ext)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("ucr: %s: %w: no %s_%s with extension %v", dir, ErrNoSplit, name, split, Extensions)
}

// sortLabels sorts labels numerically when every label parses as a number, else as
// strings.
func sortLabels(labels []string) {
	numeric := true
	for _, l := range labels {
		if _, err := strconv.ParseFloat(l, 64); err != nil {
			numeric = false
			break
		}
	}
	if numeric {
		sort.SliceStable(labels, func(i, j int) bool {
			a, _ := strconv.ParseFloat(labels[i], 64)
			b, _ := strconv.ParseFloat(labels[j], 64)
			return a < b
		})
		return
	}
	sort.Strings(labels)
}

// uniqueLabels returns the distinct labels of ys, sorted by sortLabels.
func uniqueLabels(ys []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, y := range ys {
		if !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	sortLabels(out)
	return out
}

// problemName strips the directory, extension and a _TRAIN/_TEST suffix from path.
func problemName(path string) string {
	b := filepath.Base(path)
	b = strings.TrimSuffix(b, filepath.Ext(b))
	for _, s := range []string{"_TRAIN", "_TEST", "_train", "_test"} {
		b = strings.TrimSuffix(b, s)
	}
	return b
}
