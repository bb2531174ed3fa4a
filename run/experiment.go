package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"time"

	"github.com/ergml/erg/meter"
)

// CheckpointFile is the name of a run's checkpoint (written by package train, or by a
// capability's own loop) inside its directory.
const CheckpointFile = "checkpoint.ergckpt"

// EmissionsFile is the CSV file beside the run directories that gets one row per
// session of every run, with CodeCarbon's column names.
const EmissionsFile = "emissions.csv"

// Config is what an experiment's configuration satisfies: Validate reports the first
// bad value, preferably as a *FieldError naming the field.
type Config interface {
	Validate() error
}

// FieldError is a bad configuration value. Field is the value's name as written in
// config.json and, for erg's commands, the flag that sets it (without "--").
type FieldError struct {
	Field  string
	Value  any
	Reason string
	File   string // the file the value came from ("" for a value given in code or by flag)
	Line   int    // its line in File (0: unknown)
}

func (e *FieldError) Error() string {
	s := ""
	if e.File != "" {
		s = e.File + ": "
		if e.Line > 0 {
			s = fmt.Sprintf("%s:%d: ", e.File, e.Line)
		}
	}
	if e.Value == nil {
		return s + e.Field + ": " + e.Reason
	}
	return fmt.Sprintf("%s%s %v: %s", s, e.Field, e.Value, e.Reason)
}

// Invalid returns a *FieldError for field with value, its reason formatted.
func Invalid(field string, value any, format string, a ...any) error {
	return &FieldError{Field: field, Value: value, Reason: fmt.Sprintf(format, a...)}
}

// Options are the run-level settings every capability's experiment takes: where the
// run lives, whether it continues an earlier one, and how it reports progress and
// energy. The zero value creates a metered run under DefaultRoot with progress on
// standard error.
type Options struct {
	Root     string    // directory of run directories ("" = DefaultRoot)
	Name     string    // name of a new run ("" = the capability's default name)
	Resume   string    // run directory, or a unique part of its name under Root, to continue
	Progress io.Writer // progress output (nil: standard error)
	Quiet    bool      // no progress output (erg's commands set it under --json)
	NoMeter  bool      // do not meter energy
	Meter    meter.Config
}

// Experiment is one run of a capability from start (or resumption) to its end: the
// one lifecycle of every capability. Start opens it: a new run directory holding the
// validated configuration, or an existing one whose configuration is read back. While
// it runs it meters energy (Joules), shows progress (Progress), and logs metrics
// (Log); checkpoints go to Checkpoint(). It ends with Finish, which writes
// energy.json, a row of emissions.csv, summary.json and report.html, or with Fail,
// which records the failure (or interruption) so that the run can be resumed.
type Experiment struct {
	Dir     *Dir
	Resumed bool // Start opened an existing run

	opt     Options
	start   time.Time
	m       *meter.Meter
	prior   prior
	stopped bool
}

// prior is what earlier sessions of a resumed run used.
type prior struct {
	seconds, joules float64
	status          string
}

// Start begins an experiment. cfg must be a pointer to the capability's
// configuration. For a new run (opt.Resume empty) cfg is validated and written to
// config.json of a new directory Root/<time>-<name>, where name is opt.Name or
// defaultName; nothing is created when it is invalid. With opt.Resume, the run is
// opened and its config.json decoded into cfg; override (if not nil) then changes
// what a resumption may change (a new number of steps), and cfg is validated and,
// when it changed, written back atomically.
func Start(opt Options, defaultName string, cfg Config, override func()) (*Experiment, error) {
	if cfg == nil || reflect.ValueOf(cfg).Kind() != reflect.Pointer {
		panic("run: Start needs a pointer to the configuration")
	}
	var d *Dir
	resumed := opt.Resume != ""
	if resumed {
		var err error
		if d, err = Resolve(opt.Root, opt.Resume); err != nil {
			return nil, err
		}
		before, err := os.ReadFile(d.File(ConfigFile))
		if err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
		if err := json.Unmarshal(before, cfg); err != nil {
			return nil, fmt.Errorf("run: %s: %w", d.File(ConfigFile), err)
		}
		if override != nil {
			override()
		}
		if err := cfg.Validate(); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) && fe.File == "" {
				fe.File = d.File(ConfigFile)
				return nil, fe
			}
			return nil, fmt.Errorf("%s: %w", d.File(ConfigFile), err)
		}
		after, err := json.MarshalIndent(cfg, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("run: encoding %s: %w", ConfigFile, err)
		}
		var a, b any
		_ = json.Unmarshal(before, &a)
		_ = json.Unmarshal(after, &b)
		if !reflect.DeepEqual(a, b) {
			if err := d.WriteJSON(ConfigFile, cfg); err != nil {
				return nil, err
			}
		}
	} else {
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		name := opt.Name
		if name == "" {
			name = defaultName
		}
		var err error
		if d, err = Create(opt.Root, name, cfg); err != nil {
			return nil, err
		}
	}
	e := &Experiment{Dir: d, Resumed: resumed, opt: opt, start: time.Now()}
	if resumed {
		// What earlier sessions recorded at their end (a finished or interrupted run):
		// this covers work after the last checkpoint, such as an evaluation.
		var en struct {
			Seconds float64 `json:"seconds"`
			Joules  float64 `json:"joules"`
			Status  string  `json:"status"`
		}
		if d.ReadJSON(EnergyFile, &en) == nil {
			e.prior = prior{seconds: en.Seconds, joules: en.Joules, status: en.Status}
		}
	}
	if !opt.NoMeter {
		m, err := meter.Start(opt.Meter)
		if err != nil {
			return nil, fmt.Errorf("run: energy meter: %w", err)
		}
		e.m = m
	}
	return e, nil
}

// Checkpoint returns the path of the run's checkpoint file.
func (e *Experiment) Checkpoint() string { return e.Dir.File(CheckpointFile) }

// HasCheckpoint reports whether the run has a checkpoint to continue from. A resumed
// run killed before its first checkpoint has none: it starts again from the
// beginning with its recorded configuration.
func (e *Experiment) HasCheckpoint() bool {
	_, err := os.Stat(e.Checkpoint())
	return err == nil
}

// SetPrior records the wall time and energy of the run's earlier sessions (kept in
// its checkpoint), so that Seconds, Joules and the final energy.json cover the whole
// run. Start has already taken them from energy.json when the run has one; the larger
// figures count (a run killed after its last energy.json has a later checkpoint; a
// finished run's energy.json also covers its evaluation).
func (e *Experiment) SetPrior(seconds, joules float64, energyStatus string) {
	if joules >= e.prior.joules {
		e.prior.joules, e.prior.status = joules, energyStatus
	}
	e.prior.seconds = max(e.prior.seconds, seconds)
}

// Seconds returns the run's wall time so far, over all sessions.
func (e *Experiment) Seconds() float64 { return e.prior.seconds + time.Since(e.start).Seconds() }

// Joules returns the run's energy so far, over all sessions, and how it was obtained
// ("measured", "estimated", "mixed"; "" when not metered).
func (e *Experiment) Joules() (float64, string) {
	if e.m == nil {
		return e.prior.joules, e.prior.status
	}
	r := e.m.Read()
	return e.prior.joules + r.Joules, r.Status
}

// SessionJoules returns the energy of this session only.
func (e *Experiment) SessionJoules() (float64, string) {
	if e.m == nil {
		return 0, ""
	}
	r := e.m.Read()
	return r.Joules, r.Status
}

// Progress returns a progress display over total units (unit "step", "epoch",
// "cell", ...), of which done are already done, configured by the experiment's
// options.
func (e *Experiment) Progress(unit string, total, done int) *Progress {
	return NewProgress(e.opt.Progress, e.Dir.Name, unit, total, done, e.opt.Quiet)
}

// Options returns the options the experiment was started with.
func (e *Experiment) Options() Options { return e.opt }

// Log appends one line to metrics.jsonl.
func (e *Experiment) Log(m Metric) error { return e.Dir.Log(m) }

// stop stops the meter and writes energy.json (the whole run) and this session's row
// of emissions.csv.
func (e *Experiment) stop() error {
	if e.stopped {
		return nil
	}
	e.stopped = true
	e.Dir.Close()
	if e.m == nil {
		return nil
	}
	r := e.m.Stop()
	if err := meter.AppendEmissionsCSV(filepath.Join(filepath.Dir(e.Dir.Path), EmissionsFile), r, "erg", filepath.Base(e.Dir.Path)); err != nil {
		return err
	}
	if p := e.prior.joules; p > 0 && r.Joules > 0 {
		f := (r.Joules + p) / r.Joules
		r.Joules *= f
		r.FacilityJoules *= f
		r.CPUJoules *= f
		r.DRAMJoules *= f
		r.MemJoules *= f
		r.GPUJoules *= f
		r.KWh *= f
		r.GCO2e *= f
		r.Seconds += e.prior.seconds
		if e.prior.status != "" && e.prior.status != r.Status {
			r.Status = "mixed"
		}
	}
	return r.WriteJSON(e.Dir.File(EnergyFile))
}

// Finish ends a successful run: it stops the meter, writes energy.json and the
// emissions row, then summary.json (sum with "status": "finished" and the run's
// "seconds", "joules" and "energy_status" unless sum sets them) and report.html, whose
// path it returns.
func (e *Experiment) Finish(sum Summary) (string, error) {
	j, es := e.Joules()
	secs := e.Seconds()
	if err := e.stop(); err != nil {
		return "", err
	}
	if sum == nil {
		sum = Summary{}
	}
	sum["status"] = "finished"
	if _, ok := sum["seconds"]; !ok {
		sum["seconds"] = secs
	}
	if _, ok := sum["joules"]; !ok && e.m != nil && !math.IsNaN(j) {
		sum["joules"] = j
	}
	if _, ok := sum["energy_status"]; !ok && es != "" {
		sum["energy_status"] = es
	}
	if err := e.Dir.WriteJSON(SummaryFile, sum); err != nil {
		return "", err
	}
	return e.Dir.Report()
}

// Fail ends a run that did not finish: summary.json gets "status": "interrupted"
// (err is a context cancellation: the run can be resumed) or "failed", with the
// error, and energy.json the energy used. It returns err, so that a capability can
// write `return exp.Fail(err)`.
func (e *Experiment) Fail(err error) error {
	if err == nil {
		return nil
	}
	status := "failed"
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		status = "interrupted"
	}
	j, es := e.Joules()
	sum := Summary{"status": status, "error": err.Error(), "seconds": e.Seconds(), "energy_status": es}
	if e.m != nil {
		sum["joules"] = j
	}
	_ = e.stop()
	_ = e.Dir.WriteJSON(SummaryFile, sum)
	return err
}
