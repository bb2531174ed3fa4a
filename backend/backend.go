package backend

import (
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // the default, pure-Go backend
)

// Default is the backend configuration used when none is named.
const Default = "go"

// Name resolves the backend configuration: name if non-empty, else $ERG_BACKEND,
// else $GOMLX_BACKEND, else Default.
func Name(name string) string {
	for _, c := range []string{name, os.Getenv("ERG_BACKEND"), os.Getenv(compute.ConfigEnvVar)} {
		if c != "" {
			return c
		}
	}
	return Default
}

var (
	mu    sync.Mutex
	cache = map[string]compute.Backend{}
)

// New returns the backend named by config (resolved with Name). Backends are created
// once per configuration and shared: creating one is expensive.
func New(config string) (compute.Backend, error) {
	config = Name(config)
	mu.Lock()
	defer mu.Unlock()
	if b, ok := cache[config]; ok {
		return b, nil
	}
	b, err := newBackend(config)
	if err != nil {
		return nil, err
	}
	cache[config] = b
	return b, nil
}

func newBackend(config string) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("backend %q: %v", config, r)
		}
	}()
	name := config
	for i, c := range config {
		if c == ':' {
			name = config[:i]
			break
		}
	}
	if !slices.Contains(compute.List(), name) {
		return nil, fmt.Errorf("backend %q is not available in this build (have %v)", name, compute.List())
	}
	if config == "go" {
		// With its default worker limit (2×GOMAXPROCS) the pure-Go backend of
		// gomlx/compute v0.1.3 can deadlock: a matrix product running in a worker
		// waits (workerspool.Pool.Saturate) for a free worker while holding one, so
		// enough concurrent products (independent gradient products do this) wait on
		// each other forever. Unlimited workers cannot deadlock and measured the same
		// speed on erg's workloads (bench/core).
		config = "go:parallelism=-1"
	}
	// gomlx/compute prints "Go backend: parallelism set to ..." on standard output,
	// which would break the --json output of erg's commands: silence it.
	if devnull, derr := os.OpenFile(os.DevNull, os.O_WRONLY, 0); derr == nil {
		stdout := os.Stdout
		os.Stdout = devnull
		defer func() {
			os.Stdout = stdout
			devnull.Close()
		}()
	}
	b, err = compute.NewWithConfig(config)
	if err != nil {
		return nil, fmt.Errorf("backend %q: %w", config, err)
	}
	return b, nil
}

// Must is New that panics on error, for tests and examples.
func Must(config string) compute.Backend {
	b, err := New(config)
	if err != nil {
		panic("backend: " + err.Error())
	}
	return b
}
