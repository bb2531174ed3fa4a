// erg patch (see third_party/README.md).

//go:build !amd64

package gobackend

func ErgVZeroUpper() {}
