package deep

import (
	"context"
	"testing"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/internal/ergdata"
	"github.com/ergml/erg/ucr"
)

func loadGunPoint(t *testing.T) (tr, te *ucr.Dataset) {
	dir, err := ergdata.Path("ucr", "GunPoint")
	if err != nil {
		t.Skipf("GunPoint data absent: %v", err)
	}
	tr, te, err = ucr.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tr, te
}

// TestFCNLearnsGunPoint trains FCN for a few epochs: far from the published 2000, but
// enough to beat chance clearly (dl-4-tsc's full training reaches 1.000).
func TestFCNLearnsGunPoint(t *testing.T) {
	tr, te := loadGunPoint(t)
	// Keras's batch-norm momentum (0.99) needs the published 2000 epochs for its running
	// statistics to settle; this short run uses PyTorch's 0.1.
	defer func(m float64) { bnMomentum = m }(bnMomentum)
	bnMomentum = 0.1
	c := &Classifier{Spec: Specs["fcn"], Epochs: 20, Seed: 1, Backend: backend.Must(""), Quiet: true}
	t0 := time.Now()
	if err := c.Fit(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	pred, err := c.Predict(te)
	if err != nil {
		t.Fatal(err)
	}
	acc := Accuracy(pred, te.Y)
	t.Logf("FCN 20 epochs: test accuracy %.3f, train loss %.4f, %.1f ms/step, %v", acc, c.Results[0].Loss, c.Results[0].StepMillis, time.Since(t0))
	if acc < 0.7 {
		t.Errorf("FCN after 20 epochs: test accuracy %.3f; want >= 0.7", acc)
	}
}
