package minirocket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/ergml/erg/tsc"
	"github.com/ergml/erg/ucr"
)

func init() {
	tsc.Register("minirocket", func(p tsc.Params) (tsc.Classifier, error) {
		if err := p.Check("minirocket", "num_features", "max_dilations"); err != nil {
			return nil, err
		}
		var c Classifier
		var err error
		if c.Config.NumFeatures, err = p.Int("num_features", 0); err != nil {
			return nil, err
		}
		if c.Config.MaxDilationsPerKernel, err = p.Int("max_dilations", 0); err != nil {
			return nil, err
		}
		return &c, nil
	})
}

// Classifier is MiniRocket followed by the cross-validated ridge classifier, the
// pipeline of the reference experiments. It is registered with tsc as "minirocket"
// (parameters num_features, max_dilations). Missing values are filled by linear
// interpolation (ucr.Dataset.FillMissing) before the transform.
type Classifier struct {
	Config    Config
	Transform *Transform
	Ridge     *Ridge
	Classes   []string

	threads int // from FitOptions, for Predict
}

var (
	_ tsc.Classifier = (*Classifier)(nil)
	_ tsc.Persister  = (*Classifier)(nil)
)

// Fit fits the transform (randomness from opt.Seed) and the ridge classifier.
func (c *Classifier) Fit(ctx context.Context, train *ucr.Dataset, opt tsc.FitOptions) error {
	if err := train.Validate(); err != nil {
		return err
	}
	if len(train.Classes) < 2 {
		return fmt.Errorf("minirocket: %s has %d class(es), need 2 or more", train.Name, len(train.Classes))
	}
	if train.HasMissing() {
		train = train.FillMissing()
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6d696e69726f636b)) // "minirock"
	t, err := Fit(train.X, c.Config, rng)
	if err != nil {
		return fmt.Errorf("minirocket: %s: %w", train.Name, err)
	}
	feats, err := t.Apply(ctx, train.X, nil, opt.NumThreads())
	if err != nil {
		return fmt.Errorf("minirocket: %s: %w", train.Name, err)
	}
	y := make([]int, train.Len())
	for i, l := range train.Y {
		y[i] = train.ClassIndex(l)
	}
	r := &Ridge{}
	if err := r.Fit(feats, train.Len(), t.NumFeatures(), y, len(train.Classes)); err != nil {
		return err
	}
	c.Transform, c.Ridge, c.Classes = t, r, append([]string(nil), train.Classes...)
	c.threads = opt.NumThreads()
	if opt.Log != nil {
		fmt.Fprintf(opt.Log, "minirocket: %d features, %d dilations, alpha %.4g\n", t.NumFeatures(), len(t.Dilations), r.Alpha)
	}
	return nil
}

// Predict returns the predicted labels of X.
func (c *Classifier) Predict(ctx context.Context, X [][][]float64) ([]string, error) {
	if c.Transform == nil {
		return nil, errors.New("minirocket: Predict before Fit")
	}
	d := &ucr.Dataset{X: X}
	if d.HasMissing() {
		X = d.FillMissing().X
	}
	feats, err := c.Transform.Apply(ctx, X, nil, tsc.FitOptions{Threads: c.threads}.NumThreads())
	if err != nil {
		return nil, err
	}
	nf := c.Transform.NumFeatures()
	out := make([]string, len(X))
	for i := range X {
		out[i] = c.Classes[c.Ridge.Predict(feats[i*nf:(i+1)*nf])]
	}
	return out, nil
}

// Save writes the fitted model as JSON.
func (c *Classifier) Save(w io.Writer) error {
	if c.Transform == nil {
		return errors.New("minirocket: Save before Fit")
	}
	return json.NewEncoder(w).Encode(c)
}

// Load reads a model written by Save.
func (c *Classifier) Load(r io.Reader) error {
	var m Classifier
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return fmt.Errorf("minirocket: loading model: %w", err)
	}
	if m.Transform == nil || m.Ridge == nil || len(m.Classes) != len(m.Ridge.Coef) {
		return errors.New("minirocket: loading model: incomplete model")
	}
	*c = m
	return nil
}
