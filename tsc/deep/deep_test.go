package deep

import (
	"context"
	"testing"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/internal/ergdata"
	"github.com/ergml/erg/ucr"
)

func loadGunPoint(t *testing.T) (tr, te *ucr.Dataset) { return loadGunPointTB(t) }

func loadGunPointTB(t testing.TB) (tr, te *ucr.Dataset) {
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

// TestFCNLearnsGunPoint trains FCN for 20 epochs with the published settings (Keras
// batch-norm momentum 0.99): far from the published 2000 epochs, but enough to beat
// chance clearly once the batch-norm statistics are recalibrated on the training set
// (dl-4-tsc's full training reaches 1.000). With the moving averages left as training
// left them, this short run predicts at chance (measured on 2026-11-30: 0.487 against
// 0.873 recalibrated, seed 2).
func TestFCNLearnsGunPoint(t *testing.T) {
	tr, te := loadGunPoint(t)
	for _, keep := range []bool{false} {
		c := &Classifier{Spec: Specs["fcn"], Epochs: 20, Seed: 2, Backend: backend.Must(""), Quiet: true, KeepRunningStats: keep}
		t0 := time.Now()
		if err := c.Fit(context.Background(), tr); err != nil {
			t.Fatal(err)
		}
		pred, err := c.Predict(te)
		if err != nil {
			t.Fatal(err)
		}
		acc := Accuracy(pred, te.Y)
		t.Logf("FCN 20 epochs, keep running stats %v: test accuracy %.3f, train loss %.4f, %.1f ms/step, %v", keep, acc, c.Results[0].Loss, c.Results[0].StepMillis, time.Since(t0))
		if !keep && acc < 0.7 {
			t.Errorf("FCN after 20 epochs: test accuracy %.3f; want >= 0.7", acc)
		}
	}
}
