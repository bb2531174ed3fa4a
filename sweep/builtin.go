package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/ergml/erg/run"
)

// The test capabilities, registered by this package so that every erg worker knows
// them: "noop" (returns at once), "sleep" (waits, then returns seeded numbers) and
// "spin" (a CPU-bound loop). Tests and `erg bench sweep` use them.
func init() {
	Register("noop", Noop)
	Register("sleep", Sleep)
	Register("spin", Spin)
}

// Noop is the "noop" capability: it returns {"seed": seed} at once. `erg bench
// sweep` measures the overhead per cell with it.
var Noop Runner = RunnerFunc(func(ctx context.Context, c Cell) (json.RawMessage, error) {
	return json.Marshal(map[string]uint64{"seed": c.Seed})
})

// SleepConfig is the configuration of a "sleep" cell.
type SleepConfig struct {
	MS int `json:"ms"` // how long to sleep, in milliseconds
	// RunLog, if set, is a file to which a line "start ID ATTEMPT PID UNIXNANO" is
	// appended when the cell starts and "end ..." when it returns (tests count runs).
	RunLog string `json:"runlog,omitempty"`
	// FailIfExists makes the cell fail while this file exists (tests of failures).
	FailIfExists string `json:"fail_if_exists,omitempty"`
}

// SleepOutput is the output of a "sleep" cell: three numbers drawn from a PCG
// generator seeded with the cell's seed, so that a cell's output is the same
// wherever and however often it runs.
type SleepOutput struct {
	Seed   uint64     `json:"seed"`
	MS     int        `json:"ms"`
	Values [3]float64 `json:"values"`
}

type sleepRunner struct{}

// Sleep is the "sleep" capability (see SleepConfig, SleepOutput).
var Sleep Runner = sleepRunner{}

var _ Checker = sleepRunner{}

func (sleepRunner) Check(config json.RawMessage) error {
	var cfg SleepConfig
	if len(config) > 0 {
		if err := json.Unmarshal(config, &cfg); err != nil {
			return err
		}
	}
	if cfg.MS < 0 {
		return run.Invalid("ms", cfg.MS, "must not be negative")
	}
	return nil
}

func runLog(path, what string, c Cell) {
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	fmt.Fprintf(f, "%s %s %d %d %d\n", what, c.ID, c.Attempt, os.Getpid(), time.Now().UnixNano())
	f.Close()
}

func (sleepRunner) Run(ctx context.Context, c Cell) (json.RawMessage, error) {
	var cfg SleepConfig
	if len(c.Config) > 0 {
		if err := json.Unmarshal(c.Config, &cfg); err != nil {
			return nil, fmt.Errorf("sleep: config: %w", err)
		}
	}
	runLog(cfg.RunLog, "start", c)
	defer runLog(cfg.RunLog, "end", c)
	t := time.NewTimer(time.Duration(cfg.MS) * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
	}
	if cfg.FailIfExists != "" {
		if _, err := os.Stat(cfg.FailIfExists); err == nil {
			return nil, errors.New("sleep: failing as asked: " + cfg.FailIfExists + " exists")
		}
	}
	r := rand.New(rand.NewPCG(c.Seed, 0x5eed))
	out := SleepOutput{Seed: c.Seed, MS: cfg.MS}
	for i := range out.Values {
		out.Values[i] = r.Float64()
	}
	return json.Marshal(out)
}

// SpinConfig is the configuration of a "spin" cell.
type SpinConfig struct {
	Iterations int `json:"iterations"` // steps of a xorshift generator (about 1 ns each)
}

type spinRunner struct{}

// Spin is the "spin" capability: a CPU-bound loop of SpinConfig.Iterations xorshift
// steps from the seed, returning {"seed", "iterations", "value"}. It checks ctx every
// million steps.
var Spin Runner = spinRunner{}

func (spinRunner) Check(config json.RawMessage) error {
	var cfg SpinConfig
	if len(config) > 0 {
		if err := json.Unmarshal(config, &cfg); err != nil {
			return err
		}
	}
	if cfg.Iterations < 0 {
		return run.Invalid("iterations", cfg.Iterations, "must not be negative")
	}
	return nil
}

func (spinRunner) Run(ctx context.Context, c Cell) (json.RawMessage, error) {
	var cfg SpinConfig
	if len(c.Config) > 0 {
		if err := json.Unmarshal(c.Config, &cfg); err != nil {
			return nil, fmt.Errorf("spin: config: %w", err)
		}
	}
	x := c.Seed | 1
	for i := 0; i < cfg.Iterations; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		if i&(1<<20-1) == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return json.Marshal(map[string]uint64{"seed": c.Seed, "iterations": uint64(cfg.Iterations), "value": x})
}
