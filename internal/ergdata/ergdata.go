package ergdata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotFound is returned (wrapped) when the data directory cannot be found.
var ErrNotFound = errors.New("erg data directory not found")

// Dir returns the data root: $ERG_DATA if set, else ../shared/data relative to the
// directory holding erg's go.mod (searched upwards from the working directory), else
// ./shared/data and ../shared/data relative to the working directory.
func Dir() (string, error) {
	if d := os.Getenv("ERG_DATA"); d != "" {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			return "", fmt.Errorf("ERG_DATA=%q is not a directory: %w", d, ErrNotFound)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	var tried []string
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			c := filepath.Join(dir, "..", "shared", "data")
			tried = append(tried, c)
			if st, err := os.Stat(c); err == nil && st.IsDir() {
				return filepath.Clean(c), nil
			}
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	for _, c := range []string{filepath.Join(wd, "shared", "data"), filepath.Join(wd, "..", "shared", "data")} {
		tried = append(tried, c)
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return filepath.Clean(c), nil
		}
	}
	return "", fmt.Errorf("%w: set ERG_DATA (tried %v)", ErrNotFound, tried)
}

// Path joins elem under the data root and checks that the result exists.
func Path(elem ...string) (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(append([]string{d}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("erg data: %w", err)
	}
	return p, nil
}
