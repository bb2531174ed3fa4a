// Package figure writes plots and drawings to image files: PNG (150 dpi, white
// background), SVG or PDF, chosen by the file's extension, written atomically (a
// reader never sees a partial file, a failed write leaves the old file). It is the one
// place where erg's capabilities turn gonum/plot drawings into files.
package figure
