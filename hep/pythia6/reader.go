package pythia6

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Parton is a documented particle of the hard process (a top quark or a W).
type Parton struct {
	KF int        // PDG code
	P  [4]float64 // px, py, pz, E in GeV
}

// Event is one generated event.
type Event struct {
	Number    int          // event number within its driver process, from 1
	Particles [][4]float64 // final-state particles (px, py, pz, E) in GeV, neutrinos dropped
	Hard      []Parton     // documented t, t̄ and W of the hard process
}

// Setting is one setting the driver reports having used.
type Setting struct {
	Name, Value string
}

// Error is a malformed record of a driver stream.
type Error struct {
	File string // name of the stream
	Line int    // 1-based line number
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Location returns the stream name and line of the error.
func (e *Error) Location() (string, int) { return e.File, e.Line }

// Reader reads the driver's text stream, one event at a time.
type Reader struct {
	name     string
	sc       *bufio.Scanner
	line     int
	done     bool
	settings []Setting
	pending  []byte // a line read ahead (first event header)
}

// NewReader returns a Reader of r; name labels errors (a file name or "pythia6 seed 3").
// It reads the settings lines before the first event.
func NewReader(r io.Reader, name string) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	return &Reader{name: name, sc: sc}
}

// Settings returns the settings read so far (all of them once Next has returned an event).
func (r *Reader) Settings() []Setting { return r.settings }

func (r *Reader) errf(format string, a ...any) error {
	return &Error{File: r.name, Line: r.line, Msg: fmt.Sprintf(format, a...)}
}

func (r *Reader) next() ([]byte, error) {
	if r.pending != nil {
		l := r.pending
		r.pending = nil
		return l, nil
	}
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", r.name, r.line+1, err)
		}
		r.line++
		return nil, r.errf("truncated stream: missing END record")
	}
	r.line++
	return r.sc.Bytes(), nil
}

// Next reads the next event into ev, reusing its slices. It returns io.EOF after the
// END record, and an *Error naming the line for malformed input.
func (r *Reader) Next(ev *Event) error {
	if r.done {
		return io.EOF
	}
	var l []byte
	var err error
	for {
		if l, err = r.next(); err != nil {
			return err
		}
		f := bytes.Fields(l)
		if len(f) == 0 {
			return r.errf("empty line")
		}
		switch string(f[0]) {
		case "S":
			if len(f) < 3 {
				return r.errf("setting line with %d fields, want name and value", len(f))
			}
			r.settings = append(r.settings, Setting{Name: string(f[1]), Value: string(bytes.Join(f[2:], []byte(" ")))})
			continue
		case "END":
			r.done = true
			return io.EOF
		case "E":
			if len(f) != 4 {
				return r.errf("event header with %d numbers, want 3", len(f)-1)
			}
			var hdr [3]int
			for i := range hdr {
				v, err := strconv.Atoi(string(f[i+1]))
				if err != nil || v < 0 {
					return r.errf("event header field %d: bad count %q", i+1, f[i+1])
				}
				hdr[i] = v
			}
			ev.Number = hdr[0]
			ev.Particles = ev.Particles[:0]
			ev.Hard = ev.Hard[:0]
			for range hdr[2] {
				if l, err = r.next(); err != nil {
					return err
				}
				f = bytes.Fields(l)
				if len(f) != 6 || string(f[0]) != "H" {
					return r.errf("event %d: want a hard-parton line \"H kf px py pz e\", got %d fields", ev.Number, len(f))
				}
				kf, err := strconv.Atoi(string(f[1]))
				if err != nil {
					return r.errf("event %d: bad PDG code %q", ev.Number, f[1])
				}
				p, err := r.four(f[2:])
				if err != nil {
					return err
				}
				ev.Hard = append(ev.Hard, Parton{KF: kf, P: p})
			}
			for range hdr[1] {
				if l, err = r.next(); err != nil {
					return err
				}
				f = bytes.Fields(l)
				if len(f) == 0 || string(f[0]) != "P" {
					return r.errf("event %d: want a particle line \"P px py pz e\"", ev.Number)
				}
				if len(f) != 5 {
					return r.errf("event %d: particle line with %d numbers, want 4", ev.Number, len(f)-1)
				}
				p, err := r.four(f[1:])
				if err != nil {
					return err
				}
				ev.Particles = append(ev.Particles, p)
			}
			return nil
		default:
			return r.errf("unknown record %q", f[0])
		}
	}
}

func (r *Reader) four(f [][]byte) ([4]float64, error) {
	var p [4]float64
	for i := range p {
		v, err := strconv.ParseFloat(string(f[i]), 64)
		if err != nil {
			return p, r.errf("bad number %q", f[i])
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return p, r.errf("non-finite number %q", f[i])
		}
		p[i] = v
	}
	return p, nil
}
