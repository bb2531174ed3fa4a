package graphrnn

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/baseline"
	"github.com/ergml/erg/graphgen/eval"
	"github.com/ergml/erg/run"
	"github.com/gomlx/gomlx/ml/model"
)

// cycles returns the cycles C_lo … C_hi, k of each.
func cycles(lo, hi, k int) []*graphgen.Graph {
	var gs []*graphgen.Graph
	for n := lo; n <= hi; n++ {
		for range k {
			b := graphgen.NewBuilder(n)
			for i := range n {
				b.Add(i, (i+1)%n)
			}
			gs = append(gs, b.Graph())
		}
	}
	return gs
}

func degreeMMD(t *testing.T, ref, gen []*graphgen.Graph) float64 {
	t.Helper()
	res, err := eval.Evaluate(ref, gen, eval.Options{Kernels: []string{"graphrnn"}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return res.MMD["degree"]["graphrnn"]
}

// tinyConfig is a small GraphRNN-S on the cycles in dir.
func tinyConfig(dir string, kind string, steps int) Config {
	return Config{Model: kind, Data: dir, Seed: 1, Steps: steps, Batch: 16, Hidden: 16, Layers: 2, MaxPrev: 4}
}

func writeCycles(t *testing.T) (dir string, train, test []*graphgen.Graph) {
	dir = t.TempDir()
	train, test = cycles(5, 10, 4), cycles(5, 10, 2)
	if err := graphgen.SaveSet(filepath.Join(dir, TrainFile), train); err != nil {
		t.Fatal(err)
	}
	if err := graphgen.SaveSet(filepath.Join(dir, TestFile), test); err != nil {
		t.Fatal(err)
	}
	return dir, train, test
}

// TestTrainLearnsCycles trains GraphRNN-S and GraphRNN briefly on cycles and
// checks that their samples' degree MMD beats E-R fitted to the same graphs
// and is far below the untrained network's.
func TestTrainLearnsCycles(t *testing.T) {
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) { learnCycles(t, kind) })
	}
}

func learnCycles(t *testing.T, kind string) {
	dir, train, test := writeCycles(t)
	cfg := tinyConfig(dir, kind, map[string]int{KindS: 300, KindRNN: 150}[kind])
	res, err := Train(context.Background(), cfg, run.Options{Root: t.TempDir(), Quiet: true, NoMeter: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := SampleRun(res.Dir, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	trained := degreeMMD(t, test, gs)

	er, err := baseline.Fit("er", train)
	if err != nil {
		t.Fatal(err)
	}
	erMMD := degreeMMD(t, test, er.Sample(100, rand.New(rand.NewPCG(3, 3))))

	b, err := backend.New("")
	if err != nil {
		t.Fatal(err)
	}
	store := model.NewStore()
	if err := Init(store, res.Arch, rand.New(rand.NewPCG(4, 4))); err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(b, store, res.Arch)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := m.Sample(100, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	untrained := degreeMMD(t, test, raw)
	t.Logf("degree MMD² on cycles: trained %.4g (%d steps, loss %.4g, %.1f s), E-R %.4g, untrained %.4g", trained, res.Steps, res.Loss, res.Seconds, erMMD, untrained)
	if !(trained < erMMD) || !(trained < untrained/5) {
		t.Fatalf("degree MMD² trained %.4g, E-R %.4g, untrained %.4g: want trained < E-R and < untrained/5", trained, erMMD, untrained)
	}
}

// TestTrainResume stops a GraphRNN run and extends it by resuming.
func TestTrainResume(t *testing.T) {
	dir, _, _ := writeCycles(t)
	root := t.TempDir()
	cfg := tinyConfig(dir, KindRNN, 20)
	cfg.MaxPrev, cfg.Hidden, cfg.Layers = 3, 8, 1
	opt := run.Options{Root: root, Name: "cyc", Quiet: true, NoMeter: true}
	res, err := Train(context.Background(), cfg, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 20 {
		t.Fatalf("%d steps, want 20", res.Steps)
	}
	opt.Resume = res.Dir
	res2, err := Train(context.Background(), Config{}, opt, func(c *Config) { c.Steps = 30 })
	if err != nil {
		t.Fatal(err)
	}
	if !res2.Resumed || res2.Steps != 30 || res2.Dir != res.Dir {
		t.Fatalf("resumed run: %+v", res2)
	}
	if _, err := SampleRun(res.Dir, 5, 1); err != nil {
		t.Fatal(err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg   Config
		field string
	}{
		{Config{Set: "grid", Model: "gran"}, "model"},
		{Config{Set: "nope", Model: KindS}, "set"},
		{Config{Set: "grid", Model: KindS, Epochs: -1}, "epochs"},
		{Config{Set: "grid", Model: KindS, Steps: -3}, "steps"},
		{Config{Set: "grid", Model: KindS, Batch: -1}, "batch"},
		{Config{Set: "grid", Model: KindS, LR: -0.1}, "lr"},
		{Config{Set: "grid", Model: KindS, MaxPrev: -2}, "max-prev-node"},
		{Config{Set: "grid", Model: KindS, Hidden: -2}, "hidden"},
		{Config{Set: "grid", Model: KindRNN, Layers: 99}, "layers"},
	} {
		err := c.cfg.Validate()
		var fe *run.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: error %v, want one naming %q", c.cfg, err, c.field)
		}
	}
	ok := Config{Set: "community-small", Model: KindS}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.Epochs != DefaultEpochs || ok.Batch != 32 || ok.LR != 0.003 || ok.Layers != 4 || ok.TotalSteps() != DefaultEpochs*StepsPerEpoch {
		t.Fatalf("defaults %+v", ok)
	}
	// a run that cannot start leaves no directory and names the field
	root := t.TempDir()
	if _, err := Train(context.Background(), Config{Set: "grid", Model: KindS, Batch: -4}, run.Options{Root: root, Quiet: true, NoMeter: true}, nil); err == nil {
		t.Fatal("bad batch accepted")
	}
	if ls, _ := filepath.Glob(filepath.Join(root, "*")); len(ls) != 0 {
		t.Fatalf("an invalid configuration left %v", ls)
	}
	if err := (Arch{Kind: KindS, MaxPrev: 0, MaxNodes: 5, Hidden: 1, Embed: 1, OutEmbed: 1, Layers: 1}).Validate(); err == nil {
		t.Fatal("max_prev_node 0 accepted")
	}
}
