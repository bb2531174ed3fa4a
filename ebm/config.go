package ebm

import (
	"fmt"
	"github.com/ergml/erg/run"
	"math"
	"os"
	"strings"

	"github.com/ergml/erg/ebm/density"
)

// Losses lists the training losses by name: energy discrepancy, contrastive
// divergence (short-run Langevin from the data), persistent contrastive divergence
// (replay buffer), denoising, sliced and exact score matching, and maximum likelihood
// with a grid partition function (2-D).
var Losses = []string{"ed", "cd", "pcd", "dsm", "ssm", "sm", "mle"}

// Config is a training run's configuration, written to the run directory's
// config.json: it holds everything Load needs to rebuild the model. Zero values are
// documented defaults.
type Config struct {
	Command string `json:"command,omitempty"` // the command line, for run listings

	Data string `json:"data"` // a built-in density name or a CSV file of points
	Dim  int    `json:"dim"`  // dimension of the points (set from the data)
	Loss string `json:"loss"` // one of Losses (required)

	Energy MLPConfig `json:"energy"`
	ED     EDConfig  `json:"ed"`
	CD     CDConfig  `json:"cd"`
	DSM    DSMConfig `json:"dsm"`
	SSM    SSMConfig `json:"ssm"`
	// MLEGrid is the number of cells per axis of the MLE loss's grid (0: 64).
	MLEGrid int `json:"mle_grid"`

	Steps int     `json:"steps"` // optimizer steps (required)
	Batch int     `json:"batch"` // batch size (0: 128, the paper's)
	LR    float64 `json:"lr"`    // Adam learning rate (0: 1e-3)
	Seed  uint64  `json:"seed"`  // seeds initialisation, batches, noise and evaluation

	// Held-out data: for a built-in density, HeldoutN fresh points (0: 5000); for a CSV
	// file, the fraction Holdout of its rows (0: 0.2), which are not trained on.
	HeldoutN int     `json:"heldout_n"`
	Holdout  float64 `json:"holdout"`

	// Box is the region lo1, hi1, lo2, hi2, ... over which densities are drawn and
	// integrated and persistent chains restart: the data's bounding box widened by 10%
	// on each side (set by Train).
	Box []float64 `json:"box"`

	CheckpointEvery int `json:"checkpoint_every"` // steps between checkpoints (0: 1000)
}

// WithDefaults returns c with zero values replaced by their defaults.
func (c Config) WithDefaults() Config {
	c.Energy = c.Energy.withDefaults()
	c.ED = c.ED.withDefaults()
	c.CD = c.CD.withDefaults()
	if c.Loss == "pcd" {
		c.CD.Persistent = true
	}
	c.DSM = c.DSM.withDefaults()
	if c.SSM.Projections == 0 {
		c.SSM.Projections = 1
	}
	if c.MLEGrid == 0 {
		c.MLEGrid = 64
	}
	if c.Batch == 0 {
		c.Batch = 128
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.HeldoutN == 0 {
		c.HeldoutN = 5000
	}
	if c.Holdout == 0 {
		c.Holdout = 0.2
	}
	if c.CheckpointEvery == 0 {
		c.CheckpointEvery = 1000
	}
	return c
}

// Validate reports the first problem of a configuration (after WithDefaults): an
// unknown loss or density, t ≤ 0, M < 1, a non-positive step size, ...
func (c Config) Validate() error {
	known := false
	for _, l := range Losses {
		known = known || l == c.Loss
	}
	if !known {
		return run.Invalid("loss", c.Loss, "unknown loss (have %s)", strings.Join(Losses, ", "))
	}
	if c.Data == "" {
		return &run.FieldError{Field: "data", Reason: fmt.Sprintf("no data: give a density (%s) or a CSV file", strings.Join(density.Names(), ", "))}
	}
	if !density.Known(c.Data) {
		if _, err := os.Stat(c.Data); err != nil {
			if strings.ContainsAny(c.Data, "/.") {
				return run.Invalid("data", c.Data, "%v", err)
			}
			return run.Invalid("data", c.Data, "unknown density (have %s, or a CSV file of points)", strings.Join(density.Names(), ", "))
		}
	}
	if err := c.Energy.validate(); err != nil {
		return err
	}
	switch c.Loss {
	case "ed":
		if err := c.ED.validate(); err != nil {
			return err
		}
	case "cd", "pcd":
		if err := c.CD.validate(); err != nil {
			return err
		}
	case "dsm":
		if err := c.DSM.validate(); err != nil {
			return err
		}
	case "ssm":
		if c.SSM.Projections < 1 {
			return run.Invalid("projections", c.SSM.Projections, "SSM needs at least one projection")
		}
	case "mle":
		if c.MLEGrid < 2 {
			return run.Invalid("mle-grid", c.MLEGrid, "the MLE grid needs at least 2 cells per axis")
		}
		if c.Dim != 0 && c.Dim != 2 {
			return run.Invalid("loss", c.Loss, "MLE with a grid partition function needs 2-D data; %s is %d-D", c.Data, c.Dim)
		}
	}
	if c.Steps <= 0 {
		return run.Invalid("steps", c.Steps, "must be positive")
	}
	if c.Batch <= 0 {
		return run.Invalid("batch", c.Batch, "must be positive")
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		return run.Invalid("lr", c.LR, "learning rate must be positive")
	}
	if c.Holdout <= 0 || c.Holdout >= 1 {
		return run.Invalid("holdout", c.Holdout, "held-out fraction must be in (0, 1)")
	}
	if c.HeldoutN < 0 {
		return run.Invalid("heldout-n", c.HeldoutN, "held-out points must be positive")
	}
	return nil
}

// Grid returns the evaluation grid with n cells per axis on the configuration's box
// (2-D only).
func (c Config) Grid(n int) Grid {
	return Grid{Lo: [2]float64{c.Box[0], c.Box[2]}, Hi: [2]float64{c.Box[1], c.Box[3]}, N: n}
}

// boxOf returns the bounding box of s widened by 10% of its range on each side.
func boxOf(s *density.Set) []float64 {
	lo, hi := s.Bounds()
	box := make([]float64, 0, 2*s.Dim)
	for j := range lo {
		w := hi[j] - lo[j]
		if w == 0 {
			w = 1
		}
		box = append(box, lo[j]-0.1*w, hi[j]+0.1*w)
	}
	return box
}
