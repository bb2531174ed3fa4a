// Package confusion tabulates a classifier's predictions against the true classes
// as a confusion matrix and draws it (PNG, SVG or PDF through package figure): rows
// are true classes, columns predicted ones, each cell its count shaded by the
// fraction of its row. Time-series, image and hyperspectral classifiers share it.
package confusion
