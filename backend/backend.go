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
