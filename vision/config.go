package vision

import (
	"math"
	"regexp"
	"strings"

	"github.com/ergml/erg/run"
)

// TrainConfig is the configuration of one Train run, written to config.json: all that
// is needed to redo it. JSON keys are the flags of erg vision train. Zero values of
// the optional fields are documented defaults; Train writes the resolved values.
type TrainConfig struct {
	Command string `json:"command,omitempty"` // the command line, for run listings

	Data  string `json:"data"`  // fashion-mnist, mnist, cifar10 (each optionally :DIR) or an ImageFolder directory (see ParseData)
	Model string `json:"model"` // a model of the zoo (Names)

	Epochs   int     `json:"epochs"`   // 0: the model's default
	Batch    int     `json:"batch"`    // images per step; 0: the model's default (64)
	LR       float64 `json:"lr"`       // Adam's learning rate; 0: the model's default (1e-3)
	Schedule string  `json:"schedule"` // constant, cosine or step (x0.1 at 1/3 and 2/3 of the run); "": the model's default
	Seed     uint64  `json:"seed"`     // seeds the initialisation, shuffles, augmentation, dropout and subsets

	Pad     int     `json:"pad,omitempty"`     // random-crop augmentation: shifts up to Pad pixels with zero padding (0: none)
	Flip    bool    `json:"flip,omitempty"`    // random horizontal flips
	Dropout float64 `json:"dropout,omitempty"` // dropout rate of the models that have a dropout layer (vgg)

	Val        float64 `json:"val,omitempty"`         // fraction of the training set held out (stratified) for the per-epoch accuracy; 0: the test set is used
	Subset     int     `json:"subset,omitempty"`      // train on a stratified random subset of this many images (0: all)
	TestSubset int     `json:"test-subset,omitempty"` // test on a stratified random subset of this many images (0: all)

	CheckpointEvery int    `json:"checkpoint-every,omitempty"` // steps between checkpoints (0: one per epoch)
	Backend         string `json:"backend,omitempty"`          // GoMLX backend ("": the default)
}

// DefaultConfig returns the configuration of model's default training on
// Fashion-MNIST (model must be in the zoo; an unknown one keeps the generic
// defaults and fails Validate).
func DefaultConfig(model string) TrainConfig {
	c := TrainConfig{Data: "fashion-mnist", Model: model, Batch: 64, LR: 1e-3, Epochs: 15, Schedule: "cosine"}
	if s, err := Lookup(model); err == nil {
		c.Model, c.Epochs, c.Batch, c.LR, c.Schedule = s.Name, s.Epochs, s.Batch, s.LR, s.Schedule
	}
	return c
}

// withDefaults fills the zero values of the model's defaults.
func (c TrainConfig) withDefaults() TrainConfig {
	s, err := Lookup(c.Model)
	if err != nil {
		return c
	}
	c.Model = s.Name
	if c.Epochs == 0 {
		c.Epochs = s.Epochs
	}
	if c.Batch == 0 {
		c.Batch = s.Batch
	}
	if c.LR == 0 {
		c.LR = s.LR
	}
	if c.Schedule == "" {
		c.Schedule = s.Schedule
	}
	return c
}

// Schedules are the learning-rate schedules TrainConfig.Schedule takes.
var Schedules = []string{"constant", "cosine", "step"}

// Validate reports the first bad value as a *run.FieldError naming its key (the
// flag): data that ParseData cannot resolve, an unknown model or schedule, negative
// epochs, batch or checkpoint interval, a learning rate that is not positive and
// finite, crop padding outside [0, 16], a validation fraction outside [0, 0.5], a
// dropout rate outside [0, 1) or given to a model without dropout, negative subsets.
func (c TrainConfig) Validate() error {
	if _, err := ParseData(c.Data); err != nil {
		return err
	}
	spec, err := Lookup(c.Model)
	if err != nil {
		return run.Invalid("model", c.Model, "unknown model (have %s)", strings.Join(Names(), ", "))
	}
	switch {
	case c.Epochs < 0:
		return run.Invalid("epochs", c.Epochs, "must be positive (0: the model's default)")
	case c.Batch < 0:
		return run.Invalid("batch", c.Batch, "must be positive (0: the model's default)")
	case c.LR < 0 || math.IsNaN(c.LR) || math.IsInf(c.LR, 0):
		return run.Invalid("lr", c.LR, "must be positive and finite (0: the model's default)")
	case c.Pad < 0 || c.Pad > 16:
		return run.Invalid("pad", c.Pad, "must be in [0, 16] pixels")
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return run.Invalid("dropout", c.Dropout, "must be in [0, 1)")
	case c.Dropout > 0 && !spec.Dropout:
		return run.Invalid("dropout", c.Dropout, "model %s has no dropout layer (vgg has)", spec.Name)
	case !(c.Val >= 0 && c.Val <= 0.5):
		return run.Invalid("val", c.Val, "must be a fraction in [0, 0.5] (0: no validation set)")
	case c.Subset < 0:
		return run.Invalid("subset", c.Subset, "must be positive (0: every training image)")
	case c.TestSubset < 0:
		return run.Invalid("test-subset", c.TestSubset, "must be positive (0: every test image)")
	case c.CheckpointEvery < 0:
		return run.Invalid("checkpoint-every", c.CheckpointEvery, "must be positive (0: once per epoch)")
	}
	if c.Schedule != "" {
		ok := false
		for _, s := range Schedules {
			ok = ok || s == c.Schedule
		}
		if !ok {
			return run.Invalid("schedule", c.Schedule, "unknown schedule (have %s)", strings.Join(Schedules, ", "))
		}
	}
	return nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// defaultName is the run's name when run.Options.Name is empty: <data>-<model>.
func (c TrainConfig) defaultName() string {
	d := c.Data
	if kind, dir, ok := strings.Cut(d, ":"); ok && dir != "" {
		d = kind
	}
	d = strings.TrimRight(d, `/\`)
	if i := strings.LastIndexAny(d, `/\`); i >= 0 {
		d = d[i+1:]
	}
	n := strings.Trim(unsafeName.ReplaceAllString(d+"-"+c.Model, "-"), "-.")
	if n == "" {
		return "vision"
	}
	return n
}
