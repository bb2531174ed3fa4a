package main

import (
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTinyIDX writes a synthetic MNIST-format data set to dir: n training and m test
// images of 28×28 in 10 classes, class k a bright row band at 2k+4.
func writeTinyIDX(t *testing.T, dir string, n, m int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range []struct {
		prefix string
		n      int
	}{{"train", n}, {"t10k", m}} {
		img := binary.BigEndian.AppendUint32(nil, 0x803)
		img = binary.BigEndian.AppendUint32(img, uint32(s.n))
		img = binary.BigEndian.AppendUint32(img, 28)
		img = binary.BigEndian.AppendUint32(img, 28)
		lab := binary.BigEndian.AppendUint32(nil, 0x801)
		lab = binary.BigEndian.AppendUint32(lab, uint32(s.n))
		for i := range s.n {
			k := i % 10
			for y := range 28 {
				for range 28 {
					v := byte(rng.IntN(40))
					if y >= 2*k+4 && y < 2*k+6 {
						v += 200
					}
					img = append(img, v)
				}
			}
			lab = append(lab, byte(k))
		}
		os.WriteFile(filepath.Join(dir, s.prefix+"-images-idx3-ubyte"), img, 0o644)
		os.WriteFile(filepath.Join(dir, s.prefix+"-labels-idx1-ubyte"), lab, 0o644)
	}
}

// TestVisionTrainEval trains a tiny run through the command line, evaluates it with
// erg vision eval, and checks that bad values exit 64 naming the flag without making
// a run directory.
func TestVisionTrainEval(t *testing.T) {
	data := t.TempDir()
	writeTinyIDX(t, data, 320, 100)
	root := t.TempDir()
	code, out, stderr := runErg("vision", "train", "--data", "mnist:"+data, "--model", "lenet5", "--epochs", "2", "--batch", "32",
		"--root", root, "--name", "tiny", "--json")
	if code != exitOK {
		t.Fatalf("erg vision train: exit %d, %s %s", code, out, stderr)
	}
	var tr struct {
		Dir      string  `json:"run_dir"`
		Accuracy float64 `json:"test_accuracy"`
		Steps    int     `json:"steps"`
		Params   int     `json:"params"`
	}
	if err := json.Unmarshal([]byte(out), &tr); err != nil || tr.Steps != 20 || tr.Params != 61706 {
		t.Fatalf("train output %q (%v)", out, err)
	}
	code, out, stderr = runErg("vision", "eval", "tiny", "--root", root, "--json")
	var ev visionEvalOut
	if code != exitOK || json.Unmarshal([]byte(out), &ev) != nil || ev.Accuracy != tr.Accuracy || ev.Images != 100 {
		t.Errorf("erg vision eval: exit %d, %q %s; want the run's accuracy %v on 100 images", code, out, stderr, tr.Accuracy)
	}
	// A finished run resumes to the same figures (nothing left to train).
	code, out, _ = runErg("vision", "train", "--resume", "tiny", "--root", root, "--json")
	if code != exitOK || !strings.Contains(out, `"resumed": true`) {
		t.Errorf("resume of a finished run: exit %d, %s", code, out)
	}
	code, out, _ = runErg("vision", "train", "--resume", "tiny", "--root", root, "--epochs", "3", "--json")
	if code != exitUsage || !strings.Contains(out, `"field": "epochs"`) {
		t.Errorf("--epochs with --resume: exit %d, %s", code, out)
	}
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"--epochs", "-1"}, "epochs"},
		{[]string{"--model", "alexnet"}, "model"},
		{[]string{"--schedule", "linear"}, "schedule"},
		{[]string{"--val", "0.9"}, "val"},
		{[]string{"--dropout", "0.5"}, "dropout"},
		{[]string{"--test-subset", "-1"}, "test-subset"},
		{[]string{"--checkpoint-every", "-2"}, "checkpoint-every"},
		{[]string{"--data", filepath.Join(data, "nope")}, "data"},
	} {
		r := t.TempDir()
		args := append([]string{"vision", "train", "--data", "mnist:" + data, "--root", r, "--json"}, c.args...)
		code, out, _ := runErg(args...)
		var je jsonError
		if err := json.Unmarshal([]byte(out), &je); err != nil || code != exitUsage || je.Field != c.flag || !strings.Contains(je.Error, "--"+c.flag) {
			t.Errorf("erg %s: exit %d, %s; want 64 naming --%s", strings.Join(args, " "), code, out, c.flag)
		}
		if ents, _ := os.ReadDir(r); len(ents) != 0 {
			t.Errorf("erg %s left %d entries in the run root", strings.Join(args, " "), len(ents))
		}
	}
}

// TestVisionModels: the zoo with PyTorch's parameter counts.
func TestVisionModels(t *testing.T) {
	code, out, _ := runErg("vision", "models", "--json")
	var res struct {
		Models []visionModel `json:"models"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &res) != nil || len(res.Models) != 7 {
		t.Fatalf("erg vision models --json: exit %d, %q", code, out)
	}
	for _, m := range res.Models {
		if want := map[string]int{"lenet5": 61706, "resnet8": 77754}[m.Name]; want != 0 && m.Params28 != want {
			t.Errorf("%s: %d parameters, PyTorch has %d", m.Name, m.Params28, want)
		}
	}
}
