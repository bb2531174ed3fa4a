package train

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Schedule configures how the learning rate changes. Schedules act at epoch ends
// (an epoch is Config.StepsPerEpoch steps). The zero value keeps the rate constant.
type Schedule struct {
	// Kind is "" or "constant", "plateau" (ReduceLROnPlateau on the epoch training
	// loss), "cosine" (cosine annealing from LR to MinLR over the run) or "step"
	// (multiply by Factor every StepEpochs epochs) or "multistep" (multiply by Factor
	// when the finished epoch count reaches each of Milestones, as PyTorch's MultiStepLR).
	Kind       string
	Factor     float64 // plateau: 0.5 by default (dl-4-tsc); step, multistep: 0.1 by default
	Patience   int     // plateau: epochs without improvement before reducing; 0: 10
	Threshold  float64 // plateau: relative improvement that counts (PyTorch's 'rel' mode); 0: 1e-4
	MinLR      float64 // floor of the rate (plateau, cosine)
	StepEpochs int     // step: epochs between reductions; 0: 30
	Milestones []int   // multistep: strictly increasing positive epoch counts
}

// ScheduleState is the part of a schedule that evolves; it is checkpointed.
type ScheduleState struct {
	Best      float64 `json:"best"`
	BadEpochs int     `json:"bad_epochs"`
}

func (s Schedule) withDefaults() (Schedule, error) {
	s.Kind = strings.ToLower(s.Kind)
	switch s.Kind {
	case "", "constant":
		s.Kind = "constant"
	case "plateau":
		if s.Factor == 0 {
			s.Factor = 0.5
		}
		if s.Patience == 0 {
			s.Patience = 10
		}
		if s.Threshold == 0 {
			s.Threshold = 1e-4
		}
	case "cosine":
	case "step":
		if s.Factor == 0 {
			s.Factor = 0.1
		}
		if s.StepEpochs == 0 {
			s.StepEpochs = 30
		}
	case "multistep":
		if s.Factor == 0 {
			s.Factor = 0.1
		}
		if len(s.Milestones) == 0 {
			return s, fmt.Errorf("train: multistep schedule needs milestones")
		}
		for i, m := range s.Milestones {
			if m <= 0 || i > 0 && m <= s.Milestones[i-1] {
				return s, fmt.Errorf("train: multistep milestones %v must be positive and strictly increasing", s.Milestones)
			}
		}
	default:
		return s, fmt.Errorf("train: unknown schedule %q (want constant, plateau, cosine, step or multistep)", s.Kind)
	}
	if s.Factor < 0 || s.Factor >= 1 && s.Kind != "constant" && s.Kind != "cosine" {
		return s, fmt.Errorf("train: schedule factor %g must be in (0, 1)", s.Factor)
	}
	if s.Patience < 0 || s.StepEpochs < 0 || s.MinLR < 0 {
		return s, fmt.Errorf("train: schedule patience, step epochs and min lr must be non-negative")
	}
	return s, nil
}

// next returns the learning rate for the epoch after `epoch` (1-based count of finished
// epochs), given the base rate, the current rate, the finished epoch's mean loss and the
// total number of epochs.
func (s Schedule) next(st *ScheduleState, base, cur float64, epoch, epochs int, loss float64) float64 {
	switch s.Kind {
	case "plateau":
		if epoch == 1 || loss < st.Best*(1-s.Threshold) {
			st.Best = loss
			st.BadEpochs = 0
			return cur
		}
		st.BadEpochs++
		if st.BadEpochs > s.Patience {
			st.BadEpochs = 0
			return math.Max(cur*s.Factor, s.MinLR)
		}
		return cur
	case "cosine":
		if epochs <= 0 {
			return cur
		}
		f := float64(epoch) / float64(epochs)
		return s.MinLR + (base-s.MinLR)*0.5*(1+math.Cos(math.Pi*math.Min(f, 1)))
	case "step":
		if epoch%s.StepEpochs == 0 {
			return cur * s.Factor
		}
		return cur
	case "multistep":
		if slices.Contains(s.Milestones, epoch) {
			return cur * s.Factor
		}
		return cur
	}
	return cur
}
