package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"sync"
)

// Cell is one piece of work of a sweep: a capability run once with a configuration
// and a seed. ID, Capability, Config and Seed come from the grid; the other fields
// are set by the worker that runs it.
type Cell struct {
	ID         string          `json:"id"`
	Capability string          `json:"capability"`
	Config     json.RawMessage `json:"config,omitempty"`
	Seed       uint64          `json:"seed"`

	// Set by the worker for the runner:
	Sweep   string `json:"-"` // the sweep's id
	Attempt int    `json:"-"` // 1 for the first delivery, 2 for the next, ...
	Threads int    `json:"-"` // CPU threads the cell may use (cores / local workers)
	// Dir is an empty scratch directory of the cell. Files the runner leaves in it
	// are kept with the result (in the sweep's object store) and can be fetched by
	// the coordinator (Sweep.FetchFiles): a cell's run directory comes home this way.
	Dir string `json:"-"`
}

// Runner runs the cells of one capability. Run returns the cell's output, any JSON
// value, which should depend only on the cell's Config and Seed. It must return
// promptly when ctx is cancelled (the worker is stopping; the cell will run again
// elsewhere). Implementations must be safe for concurrent use.
type Runner interface {
	Run(ctx context.Context, c Cell) (json.RawMessage, error)
}

// RunnerFunc adapts a function to a Runner.
type RunnerFunc func(ctx context.Context, c Cell) (json.RawMessage, error)

// Run calls f.
func (f RunnerFunc) Run(ctx context.Context, c Cell) (json.RawMessage, error) { return f(ctx, c) }

var _ Runner = RunnerFunc(nil)

// Checker is implemented by runners that can check a cell's configuration before
// anything is enqueued. Check returns nil or an error; a *run.FieldError naming a
// key of the configuration object (its Field) is reported at that key's line of the
// grid file.
type Checker interface {
	Check(config json.RawMessage) error
}

var (
	regMu    sync.RWMutex
	registry = map[string]Runner{}
)

var capRE = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// Register makes r the runner of capability (lower-case letters, digits, '-' and
// '_'). It panics when the name is bad or already registered: registration happens
// in init functions, and a clash is a programming error. Every process that runs
// cells (erg worker) must have registered the capabilities of the grid.
func Register(capability string, r Runner) {
	if !capRE.MatchString(capability) {
		panic(fmt.Sprintf("sweep: Register: bad capability name %q", capability))
	}
	if r == nil {
		panic("sweep: Register: nil runner for " + capability)
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[capability]; dup {
		panic("sweep: Register: capability " + capability + " registered twice")
	}
	registry[capability] = r
}

// Lookup returns the runner of capability, or nil.
func Lookup(capability string) Runner {
	regMu.RLock()
	defer regMu.RUnlock()
	return registry[capability]
}

// Capabilities returns the registered capabilities, sorted.
func Capabilities() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
