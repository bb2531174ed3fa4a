// Package demo runs erg's main job: a short pass of every landed capability on real
// data, each in its own run directory, gathered into one HTML report.
//
// Each capability contributes a Step. A step that cannot run here (a peer program or a
// data set is missing) is reported as skipped with the reason, never silently dropped.
package demo
