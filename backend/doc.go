// Package backend picks the GoMLX compute backend that erg's models run on.
//
// The default is GoMLX's pure-Go backend ("go"), which needs no cgo and no downloads.
// A user with a GPU machine selects another registered backend (for example "xla")
// with the erg --backend flag or the ERG_BACKEND environment variable; GoMLX's own
// GOMLX_BACKEND variable is honoured when neither is set.
package backend
