package baseline

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/graphgen/dataset"
	"github.com/ergml/erg/run"
)

// GraphRNN's rules: E-R keeps the expected edge count, B-A gives (n−m)·m edges.
func TestFitRules(t *testing.T) {
	g := dataset.Grid(12, 15)
	er, _ := FitOne("er", g)
	if want := float64(g.M()) / (180 * 179 / 2); math.Abs(er.P-want) > 1e-15 {
		t.Fatalf("p %v want %v", er.P, want)
	}
	ba, _ := FitOne("ba", g)
	n := float64(g.N())
	if want := int((n - math.Sqrt(n*n-4*float64(g.M()))) / 2); ba.M != want {
		t.Fatalf("m %d want %d", ba.M, want)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var sum float64
	for range 200 {
		sum += float64(GNP(g.N(), er.P, r).M())
	}
	if mean := sum / 200; math.Abs(mean-float64(g.M())) > 5 {
		t.Fatalf("E-R mean edges %v, want %d", mean, g.M())
	}
	b := BA(50, 3, r)
	if b.M() != (50-3)*3 {
		t.Fatalf("BA edges %d want %d", b.M(), 47*3)
	}
}

func TestSBMBaseline(t *testing.T) {
	s, _ := dataset.Make("sbm", 2)
	m, err := Fit("sbm", s.Graphs[:5])
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range m.Params {
		if len(p.Sizes) < 2 || len(p.Sizes) > 5 {
			t.Errorf("graph %d: %d blocks", i, len(p.Sizes))
		}
	}
	gs := m.Sample(5, rand.New(rand.NewPCG(1, 1)))
	for i, g := range gs {
		if g.N() != s.Graphs[i].N() {
			t.Errorf("sample %d: %d nodes want %d", i, g.N(), s.Graphs[i].N())
		}
	}
}

func TestTrainRun(t *testing.T) {
	dir := t.TempDir()
	out, err := Train(context.Background(), Config{Set: "community-small", Model: "ba", Seed: 1}, run.Options{Root: dir, Quiet: true, NoMeter: true})
	if err != nil {
		t.Fatal(err)
	}
	gs, err := SampleRun(out.Dir, 10, 1)
	if err != nil || len(gs) != 10 || out.NTrain != 80 || out.NTest != 20 {
		t.Fatalf("%v %d %+v", err, len(gs), out)
	}
	var bad Config = Config{Set: "grid", Model: "gran"}
	if _, err := Train(context.Background(), bad, run.Options{Root: dir, Quiet: true, NoMeter: true}); err == nil {
		t.Fatal("gran accepted")
	}
}
