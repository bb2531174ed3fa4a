package green

import (
	"errors"
	"fmt"
	"os"

	"github.com/ergml/erg/meter"
	"github.com/ergml/erg/run"
)

// Epoch is one epoch of a run: its energy and wall time (differences of the
// cumulative figures train.Trainer logs at each epoch's last step in metrics.jsonl).
type Epoch struct {
	Epoch   int     `json:"epoch"`
	Joules  float64 `json:"joules"`
	Seconds float64 `json:"seconds"`
}

// Prediction is the whole run's energy predicted after K epochs.
type Prediction struct {
	K int `json:"k"` // epochs observed
	// Carbontracker is carbontracker's predictor (lfwa/carbontracker predictor.py,
	// predict_energy): epochs × the mean energy of the first K epochs.
	Carbontracker    float64 `json:"carbontracker_joules"`
	CarbontrackerErr float64 `json:"carbontracker_rel_error"` // (predicted − final) / final
	// SkipFirst treats epoch 1 as warm-up (graph compilation, first allocations):
	// E₁ + (epochs − 1) × the mean of epochs 2..K; defined for K ≥ 2 (nil otherwise).
	SkipFirst    *float64 `json:"skip_first_joules,omitempty"`
	SkipFirstErr *float64 `json:"skip_first_rel_error,omitempty"`
	// Seconds is carbontracker's predict_time: epochs × the mean time of the first K.
	Seconds    float64 `json:"predicted_seconds"`
	SecondsErr float64 `json:"seconds_rel_error"`
}

// PredictResult is a run's per-epoch energy, final energy and predictions.
type PredictResult struct {
	Run          string       `json:"run"`
	Epochs       int          `json:"epochs"` // the run's configured epochs
	Done         int          `json:"epochs_done"`
	EarlyStopped bool         `json:"early_stopped"`
	FinalJoules  float64      `json:"final_joules"` // energy.json: the whole run, final evaluation included
	FinalSeconds float64      `json:"final_seconds"`
	EnergyStatus string       `json:"energy_status"`
	EnergyMethod string       `json:"energy_method"`
	PerEpoch     []Epoch      `json:"per_epoch"`
	Predictions  []Prediction `json:"predictions"`
	Status       string       `json:"status"` // summary.json's: finished, interrupted, failed
	Note         string       `json:"note,omitempty"`
}

// ErrNoEnergy is returned by Predict for a run without energy.json.
var ErrNoEnergy = errors.New("no energy.json (the run was not metered or has not ended)")

// Predict reads a finished run's per-epoch energy from metrics.jsonl (the lines
// with an "epoch" whose step ends an epoch) and its final energy from energy.json,
// and predicts the whole run's energy from its first k epochs for each k of from,
// as carbontracker does and with epoch 1 skipped as warm-up. The relative errors
// are against the final energy, which also holds the work after the last epoch
// (the final test evaluation and figures). The run's number of epochs is its
// config.json "epochs" (vision, ebm, ... runs have one). For a run that did not
// finish (interrupted, failed), the epochs it did are the whole and Note says so.
func Predict(d *run.Dir, from []int) (*PredictResult, error) {
	if _, err := os.Stat(d.File(run.EnergyFile)); err != nil {
		return nil, fmt.Errorf("green: %s: %w", d.Path, ErrNoEnergy)
	}
	var en meter.Report
	if err := d.ReadJSON(run.EnergyFile, &en); err != nil {
		return nil, err
	}
	var cfg struct {
		Epochs int `json:"epochs"`
	}
	if err := d.ReadJSON(run.ConfigFile, &cfg); err != nil {
		return nil, err
	}
	ms, err := d.Metrics()
	if err != nil {
		return nil, err
	}
	res := &PredictResult{Run: d.Path, Epochs: cfg.Epochs, FinalJoules: en.Joules, FinalSeconds: en.Seconds,
		EnergyStatus: en.Status, EnergyMethod: energyMethod(en)}
	// the last line of each epoch carries its cumulative joules and seconds
	last := map[int]run.Metric{}
	maxEpoch := 0
	for _, m := range ms {
		e, ok := m["epoch"].(float64)
		if !ok || e < 1 {
			continue
		}
		if _, ok := m["joules"].(float64); !ok {
			continue
		}
		last[int(e)] = m
		maxEpoch = max(maxEpoch, int(e))
	}
	var pj, ps float64
	for e := 1; e <= maxEpoch; e++ {
		m, ok := last[e]
		if !ok {
			return nil, fmt.Errorf("green: %s: no metrics line for epoch %d", d.File(run.MetricsFile), e)
		}
		j, _ := m["joules"].(float64)
		s, _ := m["seconds"].(float64)
		res.PerEpoch = append(res.PerEpoch, Epoch{Epoch: e, Joules: j - pj, Seconds: s - ps})
		pj, ps = j, s
	}
	res.Done = len(res.PerEpoch)
	var sum struct {
		Status string `json:"status"`
	}
	_ = d.ReadJSON(run.SummaryFile, &sum)
	res.Status = sum.Status
	if res.Epochs == 0 {
		res.Epochs = res.Done
	}
	if sum.Status != "finished" && res.Done < res.Epochs {
		res.Note = fmt.Sprintf("the run is %s after %d of %d epochs: the predictions are of the energy of its %d complete epochs (metrics.jsonl), not of the configured run; energy.json's %.4g J also holds the interrupted epoch",
			orUnknown(sum.Status), res.Done, res.Epochs, res.Done, res.FinalJoules)
		res.Epochs = res.Done
		res.FinalJoules, res.FinalSeconds = pj, ps
	}
	res.EarlyStopped = res.Done < res.Epochs
	if res.Done == 0 {
		return nil, fmt.Errorf("green: %s: no per-epoch energy (metrics lines with epoch and joules)", d.File(run.MetricsFile))
	}
	for _, k := range from {
		if k < 1 || k > res.Done {
			return nil, run.Invalid("from", k, "the run has %d epochs with energy", res.Done)
		}
		res.Predictions = append(res.Predictions, predict(res.PerEpoch[:k], res.Epochs, res.FinalJoules, res.FinalSeconds))
	}
	return res, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unfinished"
	}
	return s
}

// predict applies the predictors to the first epochs of a run of n epochs.
func predict(first []Epoch, n int, finalJ, finalS float64) Prediction {
	k := len(first)
	var sj, ss float64
	for _, e := range first {
		sj += e.Joules
		ss += e.Seconds
	}
	rel := func(v, ref float64) float64 {
		if ref == 0 {
			return 0
		}
		return (v - ref) / ref
	}
	p := Prediction{K: k, Carbontracker: float64(n) * sj / float64(k), Seconds: float64(n) * ss / float64(k)}
	if k >= 2 {
		v := first[0].Joules + float64(n-1)*(sj-first[0].Joules)/float64(k-1)
		e := rel(v, finalJ)
		p.SkipFirst, p.SkipFirstErr = &v, &e
	}
	p.CarbontrackerErr = rel(p.Carbontracker, finalJ)
	p.SecondsErr = rel(p.Seconds, finalS)
	return p
}
