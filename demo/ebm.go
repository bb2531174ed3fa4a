package demo

import (
	"context"
	"fmt"
	"github.com/ergml/erg/run"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/ebm"
)

func init() {
	Register(Step{Name: "ebm", Title: "Energy-based models (paper 04): energy discrepancy, MLP energy on the 2-D pinwheel density", Run: ebmStep})
}

// ebmRun sets the size of the ebm step: optimizer steps, learning rate, hidden layers,
// evaluation grid and MALA samples. The demo's run is a tenth of erg ebm train's 20000
// steps, with a smaller network (2-128-128-1 instead of four hidden layers) and a
// higher learning rate (3e-3 instead of 1e-3) so that the arms form within it; tests
// may shorten it further.
var ebmRun = struct {
	Steps, Grid, Samples int
	LR                   float64
	Hidden               []int
}{Steps: 2000, LR: 3e-3, Grid: 128, Samples: 500, Hidden: []int{128, 128}}

// ebmStepBackend is the backend of the ebm step: opt.Backend, else $ERG_BACKEND or
// $GOMLX_BACKEND, else — as erg ebm does — the pure-Go backend with its operations run
// one at a time, which does not deadlock on the ED graph.
func ebmStepBackend(name string) (compute.Backend, error) {
	if name == "" && os.Getenv("ERG_BACKEND") == "" && os.Getenv(compute.ConfigEnvVar) == "" {
		return backend.New("go:ops_sequential")
	}
	return backend.New(name)
}

func ebmStep(ctx context.Context, dir string, opt Options) (Result, error) {
	be, err := ebmStepBackend(opt.Backend)
	if err != nil {
		return Result{}, err
	}
	r := ebmRun
	cfg := ebm.Config{Data: "pinwheel", Loss: "ed", Steps: r.Steps, LR: r.LR, Seed: opt.Seed,
		Energy: ebm.MLPConfig{Hidden: r.Hidden}, Command: "erg demo (ebm step)"}
	out, err := ebm.Train(ctx, be, cfg, ebm.Options{Options: run.Options{Root: dir, Name: "pinwheel-ed", Progress: io.Discard, Quiet: true}, Eval: ebm.EvalConfig{Grid: r.Grid, Samples: r.Samples}})
	if err != nil {
		if out != nil && out.Dir != nil {
			return Result{RunDir: out.Dir.Path}, fmt.Errorf("ebm: %w (run directory %s)", err, out.Dir.Path)
		}
		return Result{}, err
	}
	res := Result{RunDir: out.Dir.Path, Numbers: map[string]any{"data": "pinwheel", "loss": "ed", "steps": out.Train.Steps,
		"hidden": r.Hidden, "train_seconds": out.Train.Seconds, "step_ms": out.Train.StepMillis,
		"joules": out.Train.Joules, "energy_status": out.Train.EnergyStatus}}
	ev := out.Eval
	box := out.Model.Config.Box
	// the NLL of the uniform density on the evaluation box: what an energy that learned
	// nothing scores
	uniform := math.Log((box[1] - box[0]) * (box[3] - box[2]))
	res.Numbers["uniform_box_nll"] = uniform
	arch := "2"
	for _, h := range r.Hidden {
		arch += fmt.Sprintf("-%d", h)
	}
	line := fmt.Sprintf("pinwheel, energy discrepancy (t=1, M=4), MLP %s-1, short run of %d steps at lr %g (erg ebm train default 20000) in %.1f s",
		arch, out.Train.Steps, r.LR, out.Train.Seconds)
	if ev.NLL != nil {
		res.Numbers["nll"], res.Numbers["nll_error"], res.Numbers["nll_grid"] = ev.NLL.NLL, ev.NLL.Error(), ev.NLL.Grid
		line += fmt.Sprintf(": held-out NLL %.3f ± %.1g nats (%d² grid; uniform on the box %.3f)", ev.NLL.NLL, ev.NLL.Error(), ev.NLL.Grid, uniform)
	}
	if ev.MMD2 != nil {
		res.Numbers["mmd2"], res.Numbers["mmd_samples"] = *ev.MMD2, ev.MMDSamples
		line += fmt.Sprintf(", MMD² %.2g (%d MALA samples)", *ev.MMD2, ev.MMDSamples)
	}
	if !math.IsNaN(out.Train.Joules) && out.Train.EnergyStatus != "" {
		line += fmt.Sprintf(", %.0f J (%s)", out.Train.Joules, out.Train.EnergyStatus)
	}
	res.Headline = line
	rel, err := filepath.Rel(dir, out.Dir.File("density.png"))
	if err != nil {
		return res, err
	}
	res.Figures = []Figure{{File: rel, Caption: "Held-out data histogram, learned density exp(−U)/Z on the grid, and MALA samples from the model"}}
	return res, nil
}
