package sample

import (
	"os"

	"github.com/ergml/erg/backend"
	"github.com/gomlx/compute"
)

// testBackend is the pure-Go backend with sequential operations (its default parallel
// mode can deadlock on graphs with several independent matrix products), unless
// $ERG_BACKEND names another.
func testBackend() compute.Backend {
	if os.Getenv("ERG_BACKEND") != "" {
		return backend.Must("")
	}
	return backend.Must("go:ops_sequential")
}
