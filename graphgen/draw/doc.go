// Package draw lays graphs out (Fruchterman–Reingold spring layout, seeded)
// and writes panels of reference graphs beside generated ones, as GraphRNN's
// and GRAN's papers show them.
package draw
