package analog

import (
	"context"
	"fmt"
	"slices"

	"github.com/ergml/erg/run"
)

// StudyRun is one training run of Study.
type StudyRun struct {
	Name    string  `json:"name"`
	TestAcc float64 `json:"test_acc"`
	Delta   float64 `json:"delta_vs_conserved"`
	Dir     string  `json:"dir"`
	Seconds float64 `json:"seconds"`
}

// StudyOutcome is the table of erg analog study.
type StudyOutcome struct {
	Conserved float64    `json:"conserved_test_acc"` // κ = 0
	Full      float64    `json:"full_test_acc"`
	Runs      []StudyRun `json:"runs"`
}

// Study trains the ctf device of base with conserved program time (κ = 0), with the
// full model, with each non-ideality of ablate alone (Ablations) and with the full
// model and each compensation of compensate (gap-compaction, calibrated-bl), one run
// directory each, and reports each run's test accuracy against the conserved one.
func Study(ctx context.Context, base TrainConfig, ablate, compensate []string, opt run.Options) (*StudyOutcome, error) {
	base.Device = "ctf"
	type job struct {
		name string
		cfg  TrainConfig
	}
	cons := base
	cons.Kappa, cons.Ablate, cons.Compensate = 0, "", ""
	full := base
	full.Ablate, full.Compensate = "", ""
	jobs := []job{{"conserved (kappa 0)", cons}, {"full model", full}}
	for _, a := range splitList(joinList(ablate)) {
		if !slices.Contains(Ablations, a) {
			return nil, run.Invalid("ablate", a, "want fragment, width or gap")
		}
		c := full
		c.Ablate = a
		jobs = append(jobs, job{"only " + a, c})
	}
	for _, m := range splitList(joinList(compensate)) {
		if m != "gap-compaction" && m != "calibrated-bl" {
			return nil, run.Invalid("compensate", m, "want gap-compaction or calibrated-bl")
		}
		c := full
		c.Compensate = m
		jobs = append(jobs, job{"full + " + m, c})
	}
	for _, j := range jobs {
		c := j.cfg
		if err := c.Validate(); err != nil {
			return nil, err
		}
	}
	out := &StudyOutcome{}
	for i, j := range jobs {
		o := opt
		o.Name = fmt.Sprintf("analog-study-%d", i)
		res, err := Train(ctx, j.cfg, o)
		if err != nil {
			return out, fmt.Errorf("study run %q: %w", j.name, err)
		}
		if i == 0 {
			out.Conserved = res.TestAcc
		}
		if i == 1 {
			out.Full = res.TestAcc
		}
		out.Runs = append(out.Runs, StudyRun{Name: j.name, TestAcc: res.TestAcc, Delta: res.TestAcc - out.Conserved, Dir: res.Dir, Seconds: res.Seconds})
	}
	return out, nil
}

func joinList(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}
