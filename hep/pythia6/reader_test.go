package pythia6_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ergml/erg/hep/pythia6"
)

const good = `S MSEL 1
E 1 2 1
H 6 1 2 3 10
P 1.0 2.0 3.0 4.0
P -1.0E+00 -2.0E+00 3.0E+00 4.5E+00
E 2 1 0
P 0 0 1 1
END 2
`

func readAll(s string) ([]pythia6.Event, error) {
	r := pythia6.NewReader(strings.NewReader(s), "test.txt")
	var out []pythia6.Event
	for {
		var ev pythia6.Event
		if err := r.Next(&ev); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, err
		}
		out = append(out, ev)
	}
}

func TestReader(t *testing.T) {
	evs, err := readAll(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || len(evs[0].Particles) != 2 || len(evs[0].Hard) != 1 || evs[0].Hard[0].KF != 6 || evs[0].Particles[1][3] != 4.5 {
		t.Errorf("got %+v", evs)
	}
}

func TestReaderBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		line     int
		msg      string
	}{
		{"truncated", strings.Join(strings.Split(good, "\n")[:5], "\n"), 6, "truncated"},
		{"truncated event", strings.Join(strings.Split(good, "\n")[:4], "\n"), 5, "truncated"},
		{"three numbers", strings.Replace(good, "P 1.0 2.0 3.0 4.0", "P 1.0 2.0 3.0", 1), 4, "3 numbers, want 4"},
		{"five numbers", strings.Replace(good, "P 1.0 2.0 3.0 4.0", "P 1.0 2.0 3.0 4.0 5", 1), 4, "5 numbers, want 4"},
		{"NaN", strings.Replace(good, "P 0 0 1 1", "P 0 NaN 1 1", 1), 7, "non-finite"},
		{"bad number", strings.Replace(good, "P 0 0 1 1", "P 0 x 1 1", 1), 7, "bad number"},
		{"unknown record", strings.Replace(good, "E 2 1 0", "Q 2 1 0", 1), 6, "unknown record"},
	} {
		_, err := readAll(tc.in)
		var pe *pythia6.Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v, want a *pythia6.Error", tc.name, err)
			continue
		}
		if pe.File != "test.txt" || pe.Line != tc.line || !strings.Contains(pe.Msg, tc.msg) {
			t.Errorf("%s: got %q (line %d), want line %d containing %q", tc.name, err, pe.Line, tc.line, tc.msg)
		}
	}
}

// TestDriver runs the compiled driver for a few events of each process and checks
// the settings it reports and energy-momentum conservation (sum of final-state E
// and pz with neutrinos dropped is at most √s, pT balance within the neutrinos').
func TestDriver(t *testing.T) {
	if err := pythia6.Available(); err != nil {
		t.Skip(err)
	}
	exe, err := pythia6.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []pythia6.Process{pythia6.QCD, pythia6.Top, pythia6.W} {
		cfg := pythia6.Config{Process: p, Events: 5, Seed: 11, PtMin: 550, PtMax: 650, ECM: 14000}
		n := 0
		set, err := pythia6.Run(context.Background(), exe, cfg, func(ev *pythia6.Event) error {
			n++
			var e float64
			for _, q := range ev.Particles {
				e += q[3]
			}
			if e > 14000*(1+1e-6) || len(ev.Particles) < 50 {
				t.Errorf("%v event %d: %d particles, total E %g", p, ev.Number, len(ev.Particles), e)
			}
			if p != pythia6.QCD && len(ev.Hard) == 0 {
				t.Errorf("%v event %d: no hard parton", p, ev.Number)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 5 {
			t.Errorf("%v: %d events, want 5", p, n)
		}
		got := map[string]string{}
		for _, s := range set {
			got[s.Name] = s.Value
		}
		if got["MSTP(81)"] != "0" || got["MRPY(1)"] != "11" {
			t.Errorf("%v: settings %v", p, got)
		}
	}
}
