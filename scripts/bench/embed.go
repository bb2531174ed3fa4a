// Package benchscripts holds the peer scripts of the `erg bench` subcommands,
// embedded so that the erg binary can run them from anywhere. Each script is run by
// package bench with Debian's /usr/bin/python3 and prints one JSON line.
package benchscripts

import "embed"

// FS holds the *.py files of this directory.
//
//go:embed *.py
var FS embed.FS
