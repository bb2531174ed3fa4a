package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/ergml/erg/run"
)

// Grid is the list of cells of a sweep.
type Grid struct {
	// ID names the sweep: letters, digits, '-' and '_' (at most 64). A grid file
	// without "id" gets its file name without extension, cleaned.
	ID    string `json:"id"`
	Cells []Cell `json:"cells"`
	// File is where the grid was read from ("" for a grid made in code).
	File string `json:"-"`
}

var (
	sweepIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	cellIDRE  = regexp.MustCompile(`^[A-Za-z0-9_=-]+([./][A-Za-z0-9_=-]+)*$`)
)

// maxCellID is the longest cell id accepted (it is part of subjects and keys).
const maxCellID = 200

// ReadGrid reads and validates a grid file (see ParseGrid).
func ReadGrid(path string) (*Grid, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &run.FieldError{Field: "grid", Value: path, Reason: err.Error()}
	}
	return ParseGrid(path, data)
}

// ParseGrid parses and validates a grid file's contents; name is the file's name, for
// messages. The format is JSON (YAML is not read: erg has no YAML module):
//
//	{
//	  "id": "gunpoint-bench",
//	  "cells": [
//	    {"id": "gp.minirocket.0", "capability": "tsc", "seed": 0, "config": {...}},
//	    ...
//	  ]
//	}
//
// Every cell needs an id (letters, digits, '-', '_', '=', joined by '.' or '/';
// unique in the grid), a registered capability and an explicit seed; config is
// optional and, when the capability's runner is a Checker, checked. An error is a
// *run.FieldError naming the file, the line and the field (cells[3].seed, ...).
func ParseGrid(name string, data []byte) (*Grid, error) {
	var lines []int // YAML line of each JSON line
	if isYAML(name) {
		var err error
		if data, lines, err = yamlGrid(name, data); err != nil {
			return nil, err
		}
	}
	p := &gridParser{name: name, data: data, lines: lines}
	g, err := p.parse()
	if err != nil {
		return nil, err
	}
	g.File = name
	if g.ID == "" {
		g.ID = idFromFile(name)
	}
	return g, nil
}

// idFromFile makes a sweep id of a file name: its base without extension, with
// characters other than letters, digits, '-' and '_' replaced by '_'.
func idFromFile(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	b := []byte(base)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "sweep"
	}
	if len(b) > 64 {
		b = b[:64]
	}
	return string(b)
}

// Validate checks a grid made in code: the sweep id, every cell's id (unique),
// capability (registered) and configuration (Checker). Errors are *run.FieldError
// naming the field (cells[i].id, ...); ParseGrid adds the file and line.
func (g *Grid) Validate() error {
	if !sweepIDRE.MatchString(g.ID) {
		return &run.FieldError{Field: "id", Value: g.ID, Reason: "a sweep id is 1 to 64 letters, digits, '-' or '_'", File: g.File}
	}
	if len(g.Cells) == 0 {
		return &run.FieldError{Field: "cells", Reason: "no cells", File: g.File}
	}
	seen := map[string]int{}
	for i, c := range g.Cells {
		field := fmt.Sprintf("cells[%d]", i)
		if err := checkCellID(field+".id", c.ID); err != nil {
			return err
		}
		if j, dup := seen[c.ID]; dup {
			return &run.FieldError{Field: field + ".id", Value: c.ID, Reason: fmt.Sprintf("duplicate of cells[%d].id", j), File: g.File}
		}
		seen[c.ID] = i
		if err := checkCapability(field+".capability", c.Capability); err != nil {
			return err
		}
		if err := checkConfig(field+".config", c.Capability, c.Config); err != nil {
			return err
		}
	}
	return nil
}

func checkCellID(field, id string) error {
	if id == "" {
		return &run.FieldError{Field: field, Reason: "missing (every cell needs an id)"}
	}
	if len(id) > maxCellID || !cellIDRE.MatchString(id) {
		return &run.FieldError{Field: field, Value: strconv.Quote(id), Reason: fmt.Sprintf("a cell id is letters, digits, '-', '_' and '=', joined by '.' or '/' (at most %d characters)", maxCellID)}
	}
	return nil
}

func checkCapability(field, capability string) error {
	if capability == "" {
		return &run.FieldError{Field: field, Reason: "missing (every cell needs a capability)"}
	}
	if Lookup(capability) == nil {
		return &run.FieldError{Field: field, Value: strconv.Quote(capability), Reason: "unknown capability; registered: " + strings.Join(Capabilities(), ", ")}
	}
	return nil
}

// checkConfig runs the capability's Checker; a *run.FieldError it returns gets
// field+"."+its field.
func checkConfig(field, capability string, config json.RawMessage) error {
	ch, ok := Lookup(capability).(Checker)
	if !ok {
		return nil
	}
	err := ch.Check(config)
	if err == nil {
		return nil
	}
	var fe *run.FieldError
	if errors.As(err, &fe) {
		c := *fe
		c.Field = field + "." + fe.Field
		return &c
	}
	return &run.FieldError{Field: field, Reason: err.Error()}
}

// gridParser walks a grid file with a token decoder, keeping the offsets of keys so
// that errors name lines.
type gridParser struct {
	name  string
	data  []byte
	lines []int // for a YAML grid: the YAML line of each line of data (its JSON form)
}

func (p *gridParser) line(off int64) int {
	if off < 0 {
		off = 0
	}
	if off > int64(len(p.data)) {
		off = int64(len(p.data))
	}
	l := 1 + bytes.Count(p.data[:off], []byte{'\n'})
	if p.lines != nil && l <= len(p.lines) {
		return p.lines[l-1]
	}
	return l
}

func (p *gridParser) fail(off int64, field string, value any, format string, a ...any) error {
	return &run.FieldError{Field: field, Value: value, Reason: fmt.Sprintf(format, a...), File: p.name, Line: p.line(off)}
}

// syntax turns a decoding error into a *run.FieldError at its offset.
func (p *gridParser) syntax(err error, field string, off int64) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		off = int64(len(p.data))
		err = errors.New("unexpected end of the file")
	}
	if field == "" {
		field = "grid"
	}
	return p.fail(off, field, nil, "not valid JSON: %v", err)
}

// skipSpace returns the offset of the first byte at or after off that is not white
// space or a comma: the start of the next value.
func (p *gridParser) skipSpace(off int64) int64 {
	for off < int64(len(p.data)) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// objectKeys walks the JSON object raw (which starts at offset base of the file) and
// returns its keys in order, their offsets and raw values.
func (p *gridParser) objectKeys(raw []byte, base int64, field string) (keys []string, offs []int64, vals []json.RawMessage, err error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, nil, p.syntax(err, field, base)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, nil, p.fail(base, field, nil, "want a JSON object, got %s", describe(raw))
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, nil, p.syntax(err, field, base+dec.InputOffset())
		}
		k, _ := tok.(string)
		keyOff := base + dec.InputOffset() - 1
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, nil, p.syntax(err, field+"."+k, keyOff)
		}
		keys, offs, vals = append(keys, k), append(offs, keyOff), append(vals, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, nil, p.syntax(err, field, base+dec.InputOffset())
	}
	return keys, offs, vals, nil
}

func describe(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}

func (p *gridParser) parse() (*Grid, error) {
	if !json.Valid(p.data) {
		var v any
		err := json.Unmarshal(p.data, &v)
		if err == nil {
			err = errors.New("invalid")
		}
		return nil, p.syntax(err, "", 0)
	}
	start := p.skipSpace(0)
	keys, offs, vals, err := p.objectKeys(p.data[start:], start, "grid")
	if err != nil {
		return nil, err
	}
	g := &Grid{File: p.name}
	sawCells := false
	var cellsOff int64
	for i, k := range keys {
		switch k {
		case "id":
			if err := json.Unmarshal(vals[i], &g.ID); err != nil {
				return nil, p.fail(offs[i], "id", nil, "want a string")
			}
			if !sweepIDRE.MatchString(g.ID) {
				return nil, p.fail(offs[i], "id", strconv.Quote(g.ID), "a sweep id is 1 to 64 letters, digits, '-' or '_'")
			}
		case "cells":
			sawCells, cellsOff = true, offs[i]
		default:
			return nil, p.fail(offs[i], k, nil, `unknown field (a grid has "id" and "cells")`)
		}
	}
	if !sawCells {
		return nil, p.fail(start, "cells", nil, "missing (a grid is {\"id\": ..., \"cells\": [...]})")
	}
	// Walk the cells array from the file itself, for the offsets of its elements.
	dec := json.NewDecoder(bytes.NewReader(p.data))
	var arrStart int64
	if err := seekKey(dec, "cells"); err != nil {
		return nil, p.syntax(err, "cells", cellsOff)
	}
	arrStart = p.skipSpace(dec.InputOffset())
	tok, err := dec.Token()
	if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
		return nil, p.fail(cellsOff, "cells", nil, "want an array of cells")
	}
	seen := map[string]int{} // id → line
	for i := 0; dec.More(); i++ {
		off := p.skipSpace(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, p.syntax(err, fmt.Sprintf("cells[%d]", i), off)
		}
		c, idOff, err := p.cell(raw, off, i)
		if err != nil {
			return nil, err
		}
		if l, dup := seen[c.ID]; dup {
			return nil, p.fail(idOff, fmt.Sprintf("cells[%d].id", i), strconv.Quote(c.ID), "duplicate cell id (first on line %d)", l)
		}
		seen[c.ID] = p.line(idOff)
		g.Cells = append(g.Cells, c)
	}
	if len(g.Cells) == 0 {
		return nil, p.fail(arrStart, "cells", nil, "no cells")
	}
	return g, nil
}

// seekKey advances dec (at the start of the top-level object) past the key name.
func seekKey(dec *json.Decoder, name string) error {
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if k, _ := tok.(string); k == name {
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return fmt.Errorf("no %q", name)
}

// cell parses the i-th cell (raw, at offset off of the file) and returns it and the
// offset of its id.
func (p *gridParser) cell(raw json.RawMessage, off int64, i int) (Cell, int64, error) {
	field := fmt.Sprintf("cells[%d]", i)
	keys, offs, vals, err := p.objectKeys(raw, off, field)
	if err != nil {
		return Cell{}, 0, err
	}
	var c Cell
	at := map[string]int64{}
	var configOff int64
	for j, k := range keys {
		at[k] = offs[j]
		switch k {
		case "id":
			if err := json.Unmarshal(vals[j], &c.ID); err != nil {
				return c, 0, p.fail(offs[j], field+".id", nil, "want a string")
			}
		case "capability":
			if err := json.Unmarshal(vals[j], &c.Capability); err != nil {
				return c, 0, p.fail(offs[j], field+".capability", nil, "want a string")
			}
		case "seed":
			s := strings.TrimSpace(string(vals[j]))
			v, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return c, 0, p.fail(offs[j], field+".seed", s, "want a non-negative integer")
			}
			c.Seed = v
		case "config":
			v := bytes.TrimSpace(vals[j])
			if len(v) > 0 && v[0] != '{' && string(v) != "null" {
				return c, 0, p.fail(offs[j], field+".config", nil, "want a JSON object, got %s", describe(v))
			}
			if string(v) != "null" {
				c.Config = append(json.RawMessage(nil), v...)
			}
			configOff = p.skipSpace(offs[j] + 1)
		default:
			return c, 0, p.fail(offs[j], field+"."+k, nil, `unknown field (a cell has "id", "capability", "seed" and "config")`)
		}
	}
	for _, need := range []string{"id", "capability", "seed"} {
		if _, ok := at[need]; !ok {
			return c, 0, p.fail(off, field+"."+need, nil, "missing (every cell needs an id, a capability and an explicit seed)")
		}
	}
	if err := checkCellID(field+".id", c.ID); err != nil {
		return c, 0, p.locate(err, at["id"])
	}
	if err := checkCapability(field+".capability", c.Capability); err != nil {
		return c, 0, p.locate(err, at["capability"])
	}
	if err := checkConfig(field+".config", c.Capability, c.Config); err != nil {
		line := configOff
		var fe *run.FieldError
		if errors.As(err, &fe) && len(c.Config) > 0 {
			// The line of the configuration key at fault, when it names one.
			sub := strings.TrimPrefix(fe.Field, field+".config.")
			top, _, _ := strings.Cut(sub, ".")
			top, _, _ = strings.Cut(top, "[")
			cstart := p.skipSpace(configOff)
			if ks, ko, _, kerr := p.objectKeys(c.Config, cstart, field+".config"); kerr == nil {
				for j, k := range ks {
					if k == top {
						line = ko[j]
					}
				}
			}
		}
		return c, 0, p.locate(err, line)
	}
	return c, at["id"], nil
}

// locate sets the file and line of a *run.FieldError.
func (p *gridParser) locate(err error, off int64) error {
	var fe *run.FieldError
	if errors.As(err, &fe) {
		c := *fe
		c.File, c.Line = p.name, p.line(off)
		return &c
	}
	return err
}

// WriteGrid writes g as an indented grid file.
func WriteGrid(w io.Writer, g *Grid) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(g)
}
