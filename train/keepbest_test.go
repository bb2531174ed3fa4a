package train

import (
	"context"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/run"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TestKeepBestRestoresModelState checks that keep-best restores the non-trainable
// model variables the graph updates (batch-norm running statistics, here a step
// counter) together with the parameters, as a Keras ModelCheckpoint of the whole model
// does: the first epoch has the lowest loss, so the counter must read its value at the
// end of that epoch (3), not the final 9.
func TestKeepBestRestoresModelState(t *testing.T) {
	be := backend.Must("go")
	store := model.NewStore()
	if _, err := store.CreateVariable("/w", tensors.FromValue(1.0)); err != nil {
		t.Fatal(err)
	}
	cv, err := store.CreateVariable("/count", tensors.FromValue(0.0))
	if err != nil {
		t.Fatal(err)
	}
	cv.SetTrainable(false)
	loss := func(s *model.Scope, in []*Node) *Node {
		g := in[0].Graph()
		w := s.Store().GetVariable("/w").ValueGraph(g)
		c := s.Store().GetVariable("/count")
		c.SetNodeValue(AddScalar(c.NodeValue(g), 1))
		return Mul(Square(w), in[0])
	}
	bf := BatchFunc(func(step int) ([]*tensors.Tensor, error) {
		x := 10.0
		if step < 3 {
			x = 1
		}
		return []*tensors.Tensor{tensors.FromValue(x)}, nil
	})
	tr, err := New(be, store, loss, Config{Steps: 9, StepsPerEpoch: 3, KeepBest: true, Quiet: true, NoMeter: true,
		Optimizer: Optimizer{Name: "sgd", LR: 1e-6}})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := run.Create(t.TempDir(), "keepbest", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Fit(context.Background(), bf, rd); err != nil {
		t.Fatal(err)
	}
	got := tensors.ToScalar[float64](store.GetVariable("/count").MustValue())
	if got != 3 {
		t.Errorf("counter after keep-best = %g; want 3 (its value at the end of the best epoch)", got)
	}
}
