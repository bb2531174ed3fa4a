package backend

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/gomlx/compute"
)

// TestPatched: erg's go.mod replaces compute with third_party/compute, so this test
// binary links the fork and must see its marker.
func TestPatched(t *testing.T) {
	if !Patched() {
		t.Fatalf("Patched() = false in erg's own build (go.mod replaces %s with ./third_party/compute)", ComputeModule)
	}
	if w := UnpatchedWarning(); w != "" {
		t.Errorf("UnpatchedWarning() = %q, want \"\" when patched", w)
	}
	stock := &fakeBackend{}
	if isPatched(stock) {
		t.Errorf("a backend without ErgPatches counts as patched")
	}
}

// fakeBackend is a compute.Backend without the erg marker (its methods are never called).
type fakeBackend struct{ compute.Backend }

func TestUnpatchedWarningText(t *testing.T) {
	w := unpatchedWarning("github.com/gomlx/compute v0.1.3")
	if strings.ContainsAny(w, "\n\r") {
		t.Errorf("warning is not one line: %q", w)
	}
	for _, want := range []string{"github.com/gomlx/compute v0.1.3", "replace github.com/gomlx/compute => ", "third_party/compute"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning lacks %q: %s", want, w)
		}
	}
	deps := []*debug.Module{
		{Path: "github.com/pkg/errors", Version: "v0.9.1"},
		{Path: ComputeModule, Version: "v0.1.3", Replace: &debug.Module{Path: "../compute"}},
	}
	if got, want := describeModule(deps), "github.com/gomlx/compute v0.1.3 => ../compute"; got != want {
		t.Errorf("describeModule = %q, want %q", got, want)
	}
	deps[1].Replace = nil
	if got, want := describeModule(deps), "github.com/gomlx/compute v0.1.3"; got != want {
		t.Errorf("describeModule = %q, want %q", got, want)
	}
	if got := describeModule(nil); got != ComputeModule {
		t.Errorf("describeModule(nil) = %q", got)
	}
}

// TestPatchedProbe builds testdata/patchedprobe twice: inside erg's module (the fork,
// through erg's replace) and inside a library user's module that requires erg without
// replacing compute (stock v0.1.3, as `go get github.com/ergml/erg` gives). Test
// binaries have no dependency list in their build information, so this is also where
// the build information that UnpatchedWarning quotes is checked.
func TestPatchedProbe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			t.Skip("go command not found")
		}
	}
	root, err := filepath.Abs("..") // erg's module root
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	run := func(dir string, args ...string) (string, error) {
		cmd := exec.Command(goBin, args...)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	probe := func(bin string) string {
		out, err := exec.Command(bin).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", bin, err, out)
		}
		return string(out)
	}

	ergBin := filepath.Join(tmp, "probe-erg")
	if out, err := run(root, "build", "-o", ergBin, "./backend/testdata/patchedprobe"); err != nil {
		t.Fatalf("go build in erg's module: %v\n%s", err, out)
	}
	got := probe(ergBin)
	for _, want := range []string{"patched=true\n", "dep=" + ComputeModule + " v0.1.3 replaced=true\n", "warning=\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("erg's build: output lacks %q:\n%s", want, got)
		}
	}

	user := filepath.Join(tmp, "user")
	if err := os.MkdirAll(user, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(root, "backend", "testdata", "patchedprobe", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	ergMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := "go 1.26"
	for _, line := range strings.Split(string(ergMod), "\n") {
		if strings.HasPrefix(line, "go ") {
			goLine = line // erg's go version: a user module needs at least it
			break
		}
	}
	goMod := "module example.com/ergprobe\n\n" + goLine +
		"\n\nrequire github.com/ergml/erg v0.0.0\n\nreplace github.com/ergml/erg => " + root + "\n"
	for name, data := range map[string][]byte{"main.go": src, "go.sum": sum, "go.mod": []byte(goMod)} {
		if err := os.WriteFile(filepath.Join(user, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	userBin := filepath.Join(tmp, "probe-user")
	if out, err := run(user, "build", "-o", userBin, "."); err != nil {
		if strings.Contains(out, "GOPROXY") || strings.Contains(out, "dial tcp") || strings.Contains(out, "lookup ") {
			t.Skipf("stock %s v0.1.3 is not in the module cache and cannot be downloaded:\n%s", ComputeModule, out)
		}
		t.Fatalf("go build in a library user's module: %v\n%s", err, out)
	}
	got = probe(userBin)
	for _, want := range []string{"patched=false\n", "dep=" + ComputeModule + " v0.1.3 replaced=false\n",
		"warning=erg: warning: " + ComputeModule + " v0.1.3 is stock compute"} {
		if !strings.Contains(got, want) {
			t.Errorf("library user's build: output lacks %q:\n%s", want, got)
		}
	}
}
