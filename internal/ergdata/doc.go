// Package ergdata locates the real data sets that erg reads but never copies into the
// repository: the directory named by ERG_DATA, or else ../shared/data beside the
// repository root (found by walking up from the working directory to go.mod).
package ergdata
