package meter

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// TraceConfig says how to read a recorded power trace: a CSV file with a header,
// a timestamp column and a power column.
type TraceConfig struct {
	// Time and Power name the columns: a header name (matched after trimming spaces,
	// and also without a trailing unit in brackets, so "power.draw" matches
	// nvidia-smi's "power.draw [W]") or a 1-based column number.
	Time, Power string
	// MaxGap, when positive, is the longest interval between two samples that is
	// integrated; longer intervals are gaps whose energy is not counted (they are
	// reported either way).
	MaxGap time.Duration
}

// TraceEnergy is the energy of one power trace by the trapezoid rule over its
// timestamps.
type TraceEnergy struct {
	File    string  `json:"file"`
	Samples int     `json:"samples"` // rows with a time and a power
	Skipped int     `json:"skipped"` // rows whose power is not a number ("[N/A]", empty)
	Seconds float64 `json:"seconds"` // last − first timestamp
	Joules  float64 `json:"joules"`  // Σ (t[i+1] − t[i]) · (P[i] + P[i+1]) / 2
	MeanW   float64 `json:"mean_watts"`
	// Gaps counts intervals longer than 5× the median interval (or MaxGap when set),
	// GapSeconds their total; with MaxGap they are left out of Joules.
	Gaps       int     `json:"gaps"`
	GapSeconds float64 `json:"gap_seconds"`
	// SumTimesDuration is Σ P[i] × (last − first): the formula behind the first
	// version of the SEAA 2023 paper's energy (fixed in GAISSA-UPC/seaa2023_ect commit
	// b2d1079), which grows with the square of the duration. Reported for comparison
	// only; it is not an energy.
	SumTimesDuration float64 `json:"sum_times_duration"`
}

// ParseWatts parses a power value that may carry a unit: "10.41", "10.41 W",
// "250 mW", "1.2 kW" (in watts).
func ParseWatts(s string) (float64, error) {
	s = strings.TrimSpace(s)
	f := 1.0
	low := strings.ToLower(s)
	switch {
	case strings.HasSuffix(low, "mw"):
		f, s = 1e-3, s[:len(s)-2]
	case strings.HasSuffix(low, "kw"):
		f, s = 1e3, s[:len(s)-2]
	case strings.HasSuffix(low, "w"):
		s = s[:len(s)-1]
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a power in W", strings.TrimSpace(s))
	}
	return v * f, nil
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006/01/02 15:04:05.999999999", // nvidia-smi --format=csv
}

// ParseTimestamp parses epoch seconds ("1670234142.535") or an ISO-style date and
// time ("2022-12-05 09:55:42.535", "2022/12/05 09:55:42.535" as nvidia-smi writes,
// RFC 3339); times without a zone are taken as UTC.
func ParseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
		sec, frac := math.Modf(v)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither epoch seconds nor an ISO date and time", s)
}

// TraceError is a bad trace file: the file, the line and the column.
type TraceError struct {
	File   string
	Line   int
	Column string
	Reason string
}

func (e *TraceError) Error() string {
	s := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Column != "" {
		s += ": column " + e.Column
	}
	return s + ": " + e.Reason
}

// Location is the file and line of the error.
func (e *TraceError) Location() (string, int) { return e.File, e.Line }

func findColumn(head []string, want string) (int, error) {
	w := strings.TrimSpace(want)
	if n, err := strconv.Atoi(w); err == nil {
		if n < 1 || n > len(head) {
			return 0, fmt.Errorf("column %d: the header has %d columns", n, len(head))
		}
		return n - 1, nil
	}
	for i, h := range head {
		h = strings.TrimSpace(h)
		bare := h
		if j := strings.Index(h, " ["); j > 0 {
			bare = strings.TrimSpace(h[:j])
		}
		if h == w || bare == w {
			return i, nil
		}
	}
	var names []string
	for _, h := range head {
		names = append(names, strings.TrimSpace(h))
	}
	return 0, fmt.Errorf("no column %q (have %s)", w, strings.Join(names, ", "))
}

// IntegrateTrace reads a power trace and integrates it. Rows whose power does not
// parse ("[N/A]", empty) are skipped and counted; a timestamp that does not parse,
// or that goes back in time, is a *TraceError naming the line; so is a missing
// column. Samples may be irregular: each interval is weighted by its own length.
func IntegrateTrace(r io.Reader, name string, cfg TraceConfig) (TraceEnergy, error) {
	out := TraceEnergy{File: name}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("empty file")
		}
		return out, &TraceError{File: name, Line: 1, Reason: err.Error()}
	}
	if cfg.Time == "" {
		cfg.Time = "timestamp"
	}
	if cfg.Power == "" {
		cfg.Power = "power.draw"
	}
	ti, err := findColumn(head, cfg.Time)
	if err != nil {
		return out, &TraceError{File: name, Line: 1, Column: cfg.Time, Reason: err.Error()}
	}
	pi, err := findColumn(head, cfg.Power)
	if err != nil {
		return out, &TraceError{File: name, Line: 1, Column: cfg.Power, Reason: err.Error()}
	}
	var ts []time.Time
	var ps []float64
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return out, &TraceError{File: name, Line: line, Reason: err.Error()}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if ti >= len(rec) || pi >= len(rec) {
			return out, &TraceError{File: name, Line: line, Reason: fmt.Sprintf("%d fields, the header has %d", len(rec), len(head))}
		}
		p, perr := ParseWatts(rec[pi])
		if perr != nil {
			out.Skipped++
			continue
		}
		t, err := ParseTimestamp(rec[ti])
		if err != nil {
			return out, &TraceError{File: name, Line: line, Column: strings.TrimSpace(head[ti]), Reason: err.Error()}
		}
		if n := len(ts); n > 0 && t.Before(ts[n-1]) {
			return out, &TraceError{File: name, Line: line, Column: strings.TrimSpace(head[ti]), Reason: fmt.Sprintf("time goes back: %s after %s", t.Format(time.RFC3339Nano), ts[n-1].Format(time.RFC3339Nano))}
		}
		ts, ps = append(ts, t), append(ps, p)
	}
	out.Samples = len(ts)
	if len(ts) < 2 {
		return out, &TraceError{File: name, Line: 1, Reason: fmt.Sprintf("%d samples with a power: need at least 2", len(ts))}
	}
	dts := make([]float64, len(ts)-1)
	for i := range dts {
		dts[i] = ts[i+1].Sub(ts[i]).Seconds()
	}
	sorted := append([]float64(nil), dts...)
	sort.Float64s(sorted)
	med := sorted[len(sorted)/2]
	limit := 5 * med
	if cfg.MaxGap > 0 {
		limit = cfg.MaxGap.Seconds()
	}
	var sum float64
	for _, p := range ps {
		sum += p
	}
	for i, dt := range dts {
		if dt > limit && limit > 0 {
			out.Gaps++
			out.GapSeconds += dt
			if cfg.MaxGap > 0 {
				continue
			}
		}
		out.Joules += dt * (ps[i] + ps[i+1]) / 2
	}
	out.Seconds = ts[len(ts)-1].Sub(ts[0]).Seconds()
	if covered := out.Seconds; cfg.MaxGap > 0 {
		covered -= out.GapSeconds
		if covered > 0 {
			out.MeanW = out.Joules / covered
		}
	} else if covered > 0 {
		out.MeanW = out.Joules / covered
	}
	out.SumTimesDuration = sum * out.Seconds
	return out, nil
}

// IntegrateTraceFile is IntegrateTrace of a file.
func IntegrateTraceFile(path string, cfg TraceConfig) (TraceEnergy, error) {
	f, err := os.Open(path)
	if err != nil {
		return TraceEnergy{File: path}, fmt.Errorf("meter: %w", err)
	}
	defer f.Close()
	return IntegrateTrace(f, path, cfg)
}

// MedianJoules is the median energy of traces (NaN for none).
func MedianJoules(ts []TraceEnergy) float64 {
	if len(ts) == 0 {
		return math.NaN()
	}
	v := make([]float64, len(ts))
	for i, t := range ts {
		v[i] = t.Joules
	}
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
