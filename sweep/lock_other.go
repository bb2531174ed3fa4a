//go:build !unix

package sweep

// lockDir does nothing where flock is not available.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }
