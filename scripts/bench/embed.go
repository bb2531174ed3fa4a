// Package benchscripts is kept for tsc/deep.Bench, the former harness of
// `erg bench tsc`; the peer scripts now live in package bench/peers.
//
// Deprecated: use bench/peers (peers.Script). Remove this package with deep.Bench.
package benchscripts

import "github.com/ergml/erg/bench/peers"

// FS holds the peer scripts.
//
// Deprecated: use peers.FS or peers.Script.
var FS = peers.FS
