package sweep

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ergml/erg/run"
)

const goodYAML = `# the same grid as goodGrid
id: demo
cells:
  - id: a
    capability: sleep
    seed: 1
    config: {ms: 1}
  - {id: b, capability: noop, seed: 2}
`

// TestParseGridYAML: a YAML grid gives the same cells as its JSON twin.
func TestParseGridYAML(t *testing.T) {
	gj, err := ParseGrid("demo.json", []byte(goodGrid))
	if err != nil {
		t.Fatal(err)
	}
	gy, err := ParseGrid("demo.yaml", []byte(goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []*Grid{gj, gy} {
		for i := range g.Cells {
			var v any
			if len(g.Cells[i].Config) > 0 {
				json.Unmarshal(g.Cells[i].Config, &v)
				g.Cells[i].Config, _ = json.Marshal(v)
			}
		}
		g.File = ""
	}
	if !reflect.DeepEqual(gj, gy) {
		t.Errorf("YAML grid %+v\nJSON grid %+v", gy, gj)
	}
}

// TestGridErrorsYAML: errors in a YAML grid name the YAML file's line.
func TestGridErrorsYAML(t *testing.T) {
	cases := []struct {
		name, grid string
		line       int
		field, msg string
	}{
		{"unknown capability", "cells:\n  - {id: a, capability: noop, seed: 1}\n  - id: b\n    seed: 2\n    capability: nosuch\n", 5, "cells[1].capability", "unknown capability"},
		{"missing seed", "cells:\n  - {id: a, capability: noop, seed: 1}\n\n  - id: b\n    capability: noop\n", 4, "cells[1].seed", "missing"},
		{"duplicate id", "cells:\n  - {id: a, capability: noop, seed: 1}\n  - {id: a, capability: noop, seed: 3}\n", 3, "cells[1].id", "first on line 2"},
		{"config checked", "cells:\n  - id: a\n    capability: sleep\n    seed: 1\n    config:\n      runlog: x\n      ms: -5\n", 7, "cells[0].config.ms", "must not be negative"},
		{"not YAML", "cells:\n  - {id: a, capability: noop, seed: 1}\n\t- id: b\n", 3, "grid", "not valid YAML"},
		{"empty", "# nothing\n", 1, "grid", "empty"},
	}
	for _, c := range cases {
		_, err := ParseGrid("g.yml", []byte(c.grid))
		var fe *run.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: error %v, want a *run.FieldError", c.name, err)
			continue
		}
		if fe.File != "g.yml" || fe.Line != c.line || fe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %q (file %q line %d field %q); want g.yml line %d field %q containing %q", c.name, err, fe.File, fe.Line, fe.Field, c.line, c.field, c.msg)
		}
	}
}
