package jetset_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"codeberg.org/sbinet/npyio"

	"github.com/ergml/erg/hep/jet"
	"github.com/ergml/erg/hep/jetset"
	"github.com/ergml/erg/hep/pythia6"
	"github.com/ergml/erg/run"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		c     jetset.Config
		field string
	}{
		{jetset.Config{Process: pythia6.QCD, Events: 0}, "events"},
		{jetset.Config{Process: pythia6.QCD, Events: 10, PtMin: 650, PtMax: 550}, "ptmin"},
		{jetset.Config{Process: pythia6.QCD, Events: 10, PtMin: 600, PtMax: 600}, "ptmin"},
		{jetset.Config{Process: 9, Events: 10}, "process"},
		{jetset.Config{Process: pythia6.QCD, Events: 10, Seed: -1}, "seed"},
	} {
		err := tc.c.Defaults().Validate()
		var fe *run.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: error %v, want one naming %q", tc.c, err, tc.field)
		}
	}
	if err := (jetset.Config{Process: pythia6.Top, Events: 1}).Defaults().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// TestFeaturesObservables checks that the stored (log pT, Δη, Δφ) of massless
// constituents give back the jet's pT and mass (both invariant under the η shift and
// φ rotation), and that Δφ is wrapped across ±π.
func TestFeaturesObservables(t *testing.T) {
	mk := func(pt, eta, phi float64) [4]float64 {
		return [4]float64{pt * math.Cos(phi), pt * math.Sin(phi), pt * math.Sinh(eta), pt * math.Cosh(eta)}
	}
	parts := [][4]float64{mk(300, 1.2, 3.1), mk(200, 1.25, -3.1), mk(50, 1.1, 3.0), mk(5, 1.3, -3.05)}
	js := jet.AntiKt(0.8).Cluster(parts, 10)
	if len(js) != 1 || len(js[0].Constituents) != 4 {
		t.Fatalf("want one jet of 4 constituents, got %+v", js)
	}
	c, obs := jetset.Features(js[0], parts)
	if got := float64(c[0][0]); math.Abs(got-math.Log(300)) > 1e-6 {
		t.Errorf("leading log pT %g, want %g", got, math.Log(300))
	}
	for i := range 4 {
		if math.Abs(float64(c[i][2])) > 0.2 {
			t.Errorf("constituent %d: Δφ %g not wrapped", i, c[i][2])
		}
	}
	if c[4] != [3]float32{} {
		t.Errorf("padding %v, want zeros", c[4])
	}
	back := jetset.Observables(c)
	for _, k := range []int{jetset.ColPt, jetset.ColMass, jetset.ColMult} {
		if d := math.Abs(back[k] - obs[k]); d > 1e-3*math.Max(1, obs[k]) {
			t.Errorf("column %d: from features %g, from the jet %g", k, back[k], obs[k])
		}
	}
}

func TestReadWrongShape(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.npy")
	f, _ := os.Create(p)
	if err := npyio.Write(f, [][7]float32{{1}, {2}}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err := jetset.Read(p)
	var fe *run.FieldError
	if !errors.As(err, &fe) || fe.File != p {
		t.Fatalf("error %v, want a FieldError naming %s", err, p)
	}
	q := filepath.Join(dir, "f64.npy")
	f, _ = os.Create(q)
	npyio.Write(f, [][40][3]float64{{}})
	f.Close()
	if _, err := jetset.Read(q); !errors.As(err, &fe) || fe.File != q {
		t.Fatalf("float64 data: error %v, want a FieldError naming %s", err, q)
	}
}

func TestWriteRead(t *testing.T) {
	s := &jetset.Set{Const: make([][40][3]float32, 3), Jets: make([][5]float64, 3)}
	s.Const[1][0] = [3]float32{5, 0.1, -0.2}
	s.Jets[2] = [5]float64{600, 1, 2, 80, 30}
	p := filepath.Join(t.TempDir(), "x.npy")
	if err := s.Write(p); err != nil {
		t.Fatal(err)
	}
	r, err := jetset.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != 3 || r.Const[1][0] != s.Const[1][0] || r.Jets[2] != s.Jets[2] {
		t.Errorf("read back %v / %v", r.Const[1][0], r.Jets[2])
	}
}

// TestSameSeedSameBytes generates a small data set twice and compares the files.
func TestSameSeedSameBytes(t *testing.T) {
	if err := pythia6.Available(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	cfg := jetset.Config{Process: pythia6.Top, Events: 60, Seed: 5}
	var files [2][]byte
	for k := range 2 {
		s, err := jetset.Generate(context.Background(), cfg, os.Stderr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.Len() == 0 {
			t.Fatal("no jets")
		}
		p := filepath.Join(dir, "top.npy")
		if err := s.Write(p); err != nil {
			t.Fatal(err)
		}
		files[k], _ = os.ReadFile(p)
		if s.Meta.Pythia == nil || len(s.Meta.Pythia) != 2 {
			t.Errorf("metadata without the two drivers' Pythia settings: %+v", s.Meta.Pythia)
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("same seed gave different files")
	}
	other, err := jetset.Generate(context.Background(), jetset.Config{Process: pythia6.Top, Events: 60, Seed: 6}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if other.Len() > 0 && other.Jets[0] == [5]float64{} {
		t.Error("empty jet row")
	}
}
