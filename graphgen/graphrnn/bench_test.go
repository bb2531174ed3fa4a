package graphrnn

import (
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/graphgen/baseline"
	"github.com/ergml/erg/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// benchStep times training steps on a set (seed 1).
func benchStep(bm *testing.B, set, kind string) {
	cfg := &Config{Set: set, Model: kind, Seed: 1}
	if err := cfg.Validate(); err != nil {
		bm.Fatal(err)
	}
	gs, _, err := baseline.LoadData(&baseline.Config{Set: cfg.Set, Seed: cfg.Seed})
	if err != nil {
		bm.Fatal(err)
	}
	a := ArchFor(cfg, gs)
	b, err := backend.New("")
	if err != nil {
		bm.Fatal(err)
	}
	store := model.NewStore()
	if err := Init(store, a, rand.New(rand.NewPCG(1, 1))); err != nil {
		bm.Fatal(err)
	}
	tr, err := train.New(b, store, func(s *model.Scope, in []*Node) *Node { return Loss(s, in, a) }, train.Config{Steps: 1 << 30, Quiet: true, NoMeter: true})
	if err != nil {
		bm.Fatal(err)
	}
	data := Batches(cfg, gs, a)
	batch, err := data.Batch(0)
	if err != nil {
		bm.Fatal(err)
	}
	if _, _, err := tr.Step(cfg.LR, batch...); err != nil {
		bm.Fatal(err)
	}
	bm.ResetTimer()
	for i := range bm.N {
		batch, _ := data.Batch(i + 1)
		if _, _, err := tr.Step(cfg.LR, batch...); err != nil {
			bm.Fatal(err)
		}
	}
}

func BenchmarkStepS(b *testing.B)     { benchStep(b, "community-small", KindS) }
func BenchmarkStepRNN(b *testing.B)   { benchStep(b, "community-small", KindRNN) }
func BenchmarkStepGridS(b *testing.B) { benchStep(b, "grid", KindS) }
