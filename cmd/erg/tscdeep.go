package main

// The deep models of the dl-4-tsc zoo (mlp, fcn, resnet, encoder, inception) register
// themselves with package tsc, so erg tsc train/bench can use them by name.
import _ "github.com/ergml/erg/tsc/deep"
