package imageset_test

import (
	"context"
	"math"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
)

// TestLoaderFeedsTrainer trains a softmax regression on 2000 Fashion-MNIST images
// through train.Trainer with an augmenting Loader: the batches' shapes and dtypes are
// what a loss graph takes, and the loss falls from ln 10.
func TestLoaderFeedsTrainer(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	full, err := imageset.LoadFashionMNIST("", "train")
	if err != nil {
		t.Skipf("Fashion-MNIST not installed (%v): run scripts/install-peers.sh", err)
	}
	s, _ := full.Split(2000.0/60000, 3, true)
	s.Normalize(imageset.FashionMNISTMean, imageset.FashionMNISTStd)
	data, err := imageset.NewLoader(s, imageset.LoaderConfig{BatchSize: 64, Seed: 1, Augment: imageset.Augment{Pad: 2}})
	if err != nil {
		t.Fatal(err)
	}
	loss := func(sc *model.Scope, in []*Node) *Node {
		x, y := in[0], in[1] // [B, 28, 28, 1] float32, [B] int32
		b := x.Shape().Dimensions[0]
		logits := layers.DenseWithBias(sc.In("out"), Reshape(x, b, 28*28), 10)
		return Neg(ReduceAllMean(ReduceSum(Mul(OneHot(y, 10, logits.DType()), LogSoftmax(logits, 1)), 1)))
	}
	spe := data.StepsPerEpoch()
	tr, err := train.New(backend.Must("go"), model.NewStore(), loss, train.Config{
		Steps: 3 * spe, StepsPerEpoch: spe, Seed: 1, Quiet: true,
		Optimizer: train.Optimizer{Name: "adam", LR: 1e-3},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := tr.Fit(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("3 epochs of %d steps: last epoch loss %.3f (ln 10 = %.3f), %.1f ms/step", spe, res.Loss, math.Log(10), res.StepMillis)
	if !(res.Loss < 1.2) {
		t.Fatalf("last epoch loss %.3f; want < 1.2", res.Loss)
	}
}
