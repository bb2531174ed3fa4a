package green

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// Row statuses.
const (
	StatusOK      = "ok"      // the cell ran; its figures are filled
	StatusSkipped = "skipped" // the cell cannot run here (Reason says why)
	StatusFailed  = "failed"  // the cell's run failed (Reason); it runs again on resume
)

// Row is one cell of a study CSV. Energy is labelled: EnergyStatus is measured,
// estimated or mixed, EnergyMethod the meter's method per component.
type Row struct {
	Cell    string
	Model   string
	Threads int
	DType   string
	Batch   int
	Backend string
	Seed    uint64
	Data    string
	Status  string
	Reason  string

	TestAccuracy float64
	MacroF1      float64
	Epochs       int
	ImagesSeen   int64 // training images processed: steps × batch
	WallSeconds  float64
	CPUSeconds   float64
	Joules       float64
	JPerImage    float64 // Joules / ImagesSeen
	EnergyStatus string
	EnergyMethod string
	WattsPerCore float64 // the meter's power per busy logical CPU
	MachineCPUs  int     // logical CPUs of the machine
	Params       int64
	FLOPs        int64 // forward FLOPs per image (ModelCost)
	RunDir       string
}

// Columns are the study CSV's header, in order.
var Columns = []string{"cell", "model", "threads", "dtype", "batch", "backend", "seed", "data", "status", "reason",
	"test_accuracy", "macro_f1", "epochs", "images_seen", "wall_s", "cpu_s", "joules", "j_per_image",
	"energy_status", "energy_method", "watts_per_core", "machine_cpus", "params", "flops", "run_dir"}

func ftoa(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func (r Row) record() []string {
	return []string{r.Cell, r.Model, strconv.Itoa(r.Threads), r.DType, strconv.Itoa(r.Batch), r.Backend,
		strconv.FormatUint(r.Seed, 10), r.Data, r.Status, r.Reason,
		ftoa(r.TestAccuracy), ftoa(r.MacroF1), strconv.Itoa(r.Epochs), strconv.FormatInt(r.ImagesSeen, 10),
		ftoa(r.WallSeconds), ftoa(r.CPUSeconds), ftoa(r.Joules), ftoa(r.JPerImage),
		r.EnergyStatus, r.EnergyMethod, ftoa(r.WattsPerCore), strconv.Itoa(r.MachineCPUs),
		strconv.FormatInt(r.Params, 10), strconv.FormatInt(r.FLOPs, 10), r.RunDir}
}

// WriteCSV writes rows to path atomically (a temporary file renamed over it).
func WriteCSV(path string, rows []Row) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(Columns)
	for _, r := range rows {
		_ = w.Write(r.record())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("green: %w", err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("green: %w", err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("green: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("green: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("green: %w", err)
	}
	return nil
}

// CSVError is a bad study CSV: the file, the line (1 is the header) and the column.
type CSVError struct {
	File   string
	Line   int
	Column string
	Reason string
}

func (e *CSVError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: column %s: %s", e.File, e.Line, e.Column, e.Reason)
}

// Location is the file and line of the error (erg's JSON errors report them).
func (e *CSVError) Location() (string, int) { return e.File, e.Line }

// ReadCSV reads a study CSV written by WriteCSV. A header that differs from Columns
// is a *CSVError naming the first column that does not match; so is a value that
// does not parse, with its line.
func ReadCSV(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("green: %w", err)
	}
	defer f.Close()
	return DecodeCSV(f, path)
}

// DecodeCSV reads a study CSV from r; name is the file name for errors.
func DecodeCSV(r io.Reader, name string) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &CSVError{File: name, Line: 1, Reason: "empty file: no header"}
	}
	if err != nil {
		return nil, &CSVError{File: name, Line: 1, Reason: err.Error()}
	}
	for i, c := range Columns {
		if i >= len(head) {
			return nil, &CSVError{File: name, Line: 1, Column: c, Reason: fmt.Sprintf("missing: the header has %d columns, want %d", len(head), len(Columns))}
		}
		if head[i] != c {
			return nil, &CSVError{File: name, Line: 1, Column: head[i], Reason: fmt.Sprintf("column %d is %q, want %q", i+1, head[i], c)}
		}
	}
	if len(head) > len(Columns) {
		return nil, &CSVError{File: name, Line: 1, Column: head[len(Columns)], Reason: "unexpected extra column"}
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, &CSVError{File: name, Line: line, Reason: err.Error()}
		}
		if len(rec) != len(Columns) {
			return nil, &CSVError{File: name, Line: line, Reason: fmt.Sprintf("%d fields, want %d", len(rec), len(Columns))}
		}
		var row Row
		var perr error
		col := func(i int) string { return rec[i] }
		fl := func(i int, dst *float64) {
			if perr != nil {
				return
			}
			if rec[i] == "" {
				*dst = math.NaN()
				return
			}
			v, err := strconv.ParseFloat(rec[i], 64)
			if err != nil {
				perr = &CSVError{File: name, Line: line, Column: Columns[i], Reason: fmt.Sprintf("%q is not a number", rec[i])}
			}
			*dst = v
		}
		in := func(i int, dst *int64) {
			if perr != nil {
				return
			}
			v, err := strconv.ParseInt(rec[i], 10, 64)
			if err != nil {
				perr = &CSVError{File: name, Line: line, Column: Columns[i], Reason: fmt.Sprintf("%q is not an integer", rec[i])}
			}
			*dst = v
		}
		var threads, batch, seed, epochs, cpus int64
		row.Cell, row.Model = col(0), col(1)
		in(2, &threads)
		row.DType = col(3)
		in(4, &batch)
		row.Backend = col(5)
		in(6, &seed)
		row.Data, row.Status, row.Reason = col(7), col(8), col(9)
		fl(10, &row.TestAccuracy)
		fl(11, &row.MacroF1)
		in(12, &epochs)
		in(13, &row.ImagesSeen)
		fl(14, &row.WallSeconds)
		fl(15, &row.CPUSeconds)
		fl(16, &row.Joules)
		fl(17, &row.JPerImage)
		row.EnergyStatus, row.EnergyMethod = col(18), col(19)
		fl(20, &row.WattsPerCore)
		in(21, &cpus)
		in(22, &row.Params)
		in(23, &row.FLOPs)
		row.RunDir = col(24)
		if perr != nil {
			return nil, perr
		}
		if seed < 0 {
			return nil, &CSVError{File: name, Line: line, Column: "seed", Reason: "negative"}
		}
		switch row.Status {
		case StatusOK, StatusSkipped, StatusFailed:
		default:
			return nil, &CSVError{File: name, Line: line, Column: "status", Reason: fmt.Sprintf("%q: want ok, skipped or failed", row.Status)}
		}
		row.Threads, row.Batch, row.Seed, row.Epochs, row.MachineCPUs = int(threads), int(batch), uint64(seed), int(epochs), int(cpus)
		rows = append(rows, row)
	}
	return rows, nil
}
