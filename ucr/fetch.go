package ucr

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ergml/erg/internal/atomicfile"
)

// DefaultBaseURL is where Fetch downloads NAME.zip from when neither
// FetchOptions.BaseURL nor $ERG_UCR_URL is set: the archive's aeon-toolkit layout,
// whose zips hold NAME_TRAIN.ts and NAME_TEST.ts (often with .arff and .txt copies).
const DefaultBaseURL = "https://timeseriesclassification.com/aeon-toolkit"

// FetchOptions configures Fetch. The zero value downloads from $ERG_UCR_URL, else
// DefaultBaseURL, with http.DefaultClient.
type FetchOptions struct {
	BaseURL string       // URL of the folder holding NAME.zip
	Client  *http.Client // nil: http.DefaultClient
	// MaxBytes caps the download size; 0 means 2 GiB.
	MaxBytes int64
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Fetch downloads BaseURL/NAME.zip and unpacks its files, flattened, into
// destDir/NAME/ (each written atomically; directories inside the zip, hidden files
// and __MACOSX entries are dropped). It returns the problem directory, which Load
// reads. Existing files are overwritten.
func Fetch(ctx context.Context, name, destDir string, opt FetchOptions) (string, error) {
	if !validName.MatchString(name) {
		return "", fmt.Errorf("ucr: fetch: invalid dataset name %q", name)
	}
	base := opt.BaseURL
	if base == "" {
		base = os.Getenv("ERG_UCR_URL")
	}
	if base == "" {
		base = DefaultBaseURL
	}
	url := strings.TrimSuffix(base, "/") + "/" + name + ".zip"
	client := opt.Client
	if client == nil {
		client = http.DefaultClient
	}
	maxBytes := opt.MaxBytes
	if maxBytes <= 0 {
		maxBytes = 2 << 30
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("ucr: fetch %s: %w", name, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("ucr: fetch %s: %w", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("ucr: fetch %s: GET %s: %s", name, url, resp.Status)
	}
	tmp, err := os.CreateTemp("", "erg-ucr-*.zip")
	if err != nil {
		return "", fmt.Errorf("ucr: fetch %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return "", fmt.Errorf("ucr: fetch %s: downloading %s: %w", name, url, err)
	}
	if n > maxBytes {
		return "", fmt.Errorf("ucr: fetch %s: %s is larger than %d bytes", name, url, maxBytes)
	}
	zr, err := zip.NewReader(tmp, n)
	if err != nil {
		return "", fmt.Errorf("ucr: fetch %s: %s is not a zip: %w", name, url, err)
	}
	dir := filepath.Join(destDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("ucr: fetch %s: %w", name, err)
	}
	wrote := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.Contains(f.Name, "__MACOSX") {
			continue
		}
		b := filepath.Base(filepath.FromSlash(f.Name))
		if b == "" || b == "." || b == ".." || strings.HasPrefix(b, ".") {
			continue
		}
		if err := unzipFile(f, filepath.Join(dir, b)); err != nil {
			return "", fmt.Errorf("ucr: fetch %s: %w", name, err)
		}
		wrote++
	}
	if wrote == 0 {
		return "", fmt.Errorf("ucr: fetch %s: %s holds no files", name, url)
	}
	return dir, nil
}

func unzipFile(f *zip.File, path string) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	defer rc.Close()
	return atomicfile.WriteFunc(path, func(w io.Writer) error {
		_, err := io.Copy(w, rc)
		return err
	})
}
