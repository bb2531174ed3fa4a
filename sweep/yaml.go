package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ergml/erg/run"
)

// isYAML reports whether a grid file is YAML, by its extension.
func isYAML(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")
}

// yamlGrid turns a YAML grid into the equivalent JSON text, one key per line, and
// the YAML line of each JSON line (lines[i] is the YAML line of JSON line i+1), so
// that the JSON grid parser's errors can name YAML lines.
func yamlGrid(name string, data []byte) ([]byte, []int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		var te *yaml.TypeError
		msg := err.Error()
		if !errors.As(err, &te) {
			// yaml: line N: message
			if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
				if i := strings.Index(rest, ":"); i > 0 {
					line, _ = strconv.Atoi(rest[:i])
					msg = strings.TrimSpace(rest[i+1:])
				}
			}
		}
		return nil, nil, &run.FieldError{Field: "grid", Reason: "not valid YAML: " + msg, File: name, Line: line}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil, &run.FieldError{Field: "grid", Reason: "empty YAML document", File: name, Line: 1}
	}
	w := &yamlJSON{lines: []int{doc.Content[0].Line}}
	if err := w.node(doc.Content[0], name); err != nil {
		return nil, nil, err
	}
	w.buf.WriteByte('\n')
	return w.buf.Bytes(), w.lines, nil
}

type yamlJSON struct {
	buf   bytes.Buffer
	lines []int
}

// newline starts a JSON line belonging to YAML line l.
func (w *yamlJSON) newline(l int) {
	if w.buf.Len() > 0 {
		w.buf.WriteByte('\n')
	}
	w.lines = append(w.lines, l)
}

func (w *yamlJSON) node(n *yaml.Node, name string) error {
	switch n.Kind {
	case yaml.AliasNode:
		return w.node(n.Alias, name)
	case yaml.MappingNode:
		w.buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return &run.FieldError{Field: "grid", Reason: "a mapping key is not a scalar", File: name, Line: k.Line}
			}
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.newline(k.Line)
			kb, _ := json.Marshal(k.Value)
			w.buf.Write(kb)
			w.buf.WriteByte(':')
			if err := w.node(v, name); err != nil {
				return err
			}
		}
		w.buf.WriteByte('}')
	case yaml.SequenceNode:
		w.buf.WriteByte('[')
		for i, v := range n.Content {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.newline(v.Line)
			if err := w.node(v, name); err != nil {
				return err
			}
		}
		w.buf.WriteByte(']')
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return &run.FieldError{Field: "grid", Value: n.Value, Reason: err.Error(), File: name, Line: n.Line}
		}
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return &run.FieldError{Field: "grid", Value: n.Value, Reason: "not a finite number", File: name, Line: n.Line}
		}
		b, err := json.Marshal(v)
		if err != nil {
			return &run.FieldError{Field: "grid", Value: n.Value, Reason: fmt.Sprintf("has no JSON form: %v", err), File: name, Line: n.Line}
		}
		w.buf.Write(b)
	default:
		return &run.FieldError{Field: "grid", Reason: "unexpected YAML node", File: name, Line: n.Line}
	}
	return nil
}
