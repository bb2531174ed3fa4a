package vision_test

import (
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/run/runtest"
	"github.com/ergml/erg/train"
	"github.com/ergml/erg/vision"
	"github.com/gomlx/gomlx/ml/model"
)

// synthImage draws image i of class k (of 10) on a 28×28 canvas: a bright bar whose
// position and orientation depend on the class, moved by up to two pixels, plus noise.
func synthImage(rng *rand.Rand, k int) []byte {
	px := make([]byte, 28*28)
	dy, dx := rng.IntN(5)-2, rng.IntN(5)-2
	for y := range 28 {
		for x := range 28 {
			v := 30 * rng.Float64()
			pos := 4 + 4*(k%5)
			var on bool
			if k < 5 {
				on = y+dy >= pos && y+dy < pos+3 && x > 3 && x < 24
			} else {
				on = x+dx >= pos && x+dx < pos+3 && y > 3 && y < 24
			}
			if on {
				v += 200
			}
			px[y*28+x] = byte(v)
		}
	}
	return px
}

// writeSynthIDX writes a synthetic MNIST-format data set (train and test IDX files)
// to dir: n training and m test images of 10 classes (synthImage).
func writeSynthIDX(t testing.TB, dir string, n, m int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, 13))
	for _, split := range []struct {
		prefix string
		n      int
	}{{"train", n}, {"t10k", m}} {
		img := binary.BigEndian.AppendUint32(nil, 0x00000803)
		for _, d := range []uint32{uint32(split.n), 28, 28} {
			img = binary.BigEndian.AppendUint32(img, d)
		}
		lab := binary.BigEndian.AppendUint32(nil, 0x00000801)
		lab = binary.BigEndian.AppendUint32(lab, uint32(split.n))
		for i := range split.n {
			k := i % 10
			img = append(img, synthImage(rng, k)...)
			lab = append(lab, byte(k))
		}
		if err := os.WriteFile(filepath.Join(dir, split.prefix+"-images-idx3-ubyte"), img, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, split.prefix+"-labels-idx1-ubyte"), lab, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// writeSynthFolder writes n images per class of three classes as PNGs in an
// ImageFolder tree under dir (no train/test split: Train holds out 20%).
func writeSynthFolder(t testing.TB, dir string, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	for k, class := range []string{"bars", "columns", "dots"} {
		os.MkdirAll(filepath.Join(dir, class), 0o755)
		for i := range n {
			img := image.NewGray(image.Rect(0, 0, 16, 16))
			for y := range 16 {
				for x := range 16 {
					v := 40 * rng.Float64()
					switch {
					case k == 0 && y%4 == 0, k == 1 && x%4 == 0, k == 2 && x%4 == 0 && y%4 == 0:
						v += 200
					}
					img.SetGray(x, y, color.Gray{Y: byte(v)})
				}
			}
			f, err := os.Create(filepath.Join(dir, class, string(rune('a'+i/26))+string(rune('a'+i%26))+".png"))
			if err != nil {
				t.Fatal(err)
			}
			png.Encode(f, img)
			f.Close()
		}
	}
	return dir
}

// TestValidate: each bad value is a *run.FieldError naming the flag, and Train makes
// no run directory for it.
func TestValidate(t *testing.T) {
	data := "mnist:" + writeSynthIDX(t, t.TempDir(), 20, 10)
	file := filepath.Join(t.TempDir(), "x.png")
	os.WriteFile(file, []byte("x"), 0o644)
	t.Setenv("ERG_DATA", t.TempDir()) // no mnist or cifar folders there
	ok := vision.DefaultConfig("lenet5")
	ok.Data = data
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid configuration: %v", err)
	}
	for _, c := range []struct {
		field, msg string
		cfg        func(*vision.TrainConfig)
	}{
		{"data", "required", func(c *vision.TrainConfig) { c.Data = "" }},
		{"data", "no such directory", func(c *vision.TrainConfig) { c.Data = filepath.Join(t.TempDir(), "nope") }},
		{"data", "not a directory", func(c *vision.TrainConfig) { c.Data = file }},
		{"data", "not installed", func(c *vision.TrainConfig) { c.Data = "mnist" }},
		{"data", "cifar10", func(c *vision.TrainConfig) { c.Data = "cifar10" }},
		{"data", "train-images", func(c *vision.TrainConfig) { c.Data = "mnist:" + t.TempDir() }}, // exists, no files: found when reading
		{"model", "unknown model", func(c *vision.TrainConfig) { c.Model = "alexnet" }},
		{"epochs", "positive", func(c *vision.TrainConfig) { c.Epochs = -1 }},
		{"batch", "positive", func(c *vision.TrainConfig) { c.Batch = -64 }},
		{"lr", "positive", func(c *vision.TrainConfig) { c.LR = -1e-3 }},
		{"schedule", "unknown schedule", func(c *vision.TrainConfig) { c.Schedule = "linear" }},
		{"pad", "[0, 16]", func(c *vision.TrainConfig) { c.Pad = 17 }},
		{"dropout", "no dropout layer", func(c *vision.TrainConfig) { c.Dropout = 0.5 }},
		{"dropout", "[0, 1)", func(c *vision.TrainConfig) { c.Model, c.Dropout = "vgg", 1 }},
		{"val", "fraction", func(c *vision.TrainConfig) { c.Val = 0.9 }},
		{"subset", "positive", func(c *vision.TrainConfig) { c.Subset = -5 }},
		{"test-subset", "positive", func(c *vision.TrainConfig) { c.TestSubset = -5 }},
		{"checkpoint-every", "positive", func(c *vision.TrainConfig) { c.CheckpointEvery = -1 }},
	} {
		cfg := ok
		c.cfg(&cfg)
		root := filepath.Join(t.TempDir(), "runs")
		_, err := vision.Train(context.Background(), cfg, run.Options{Root: root, Quiet: true, NoMeter: true})
		var fe *run.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want a field error for %q mentioning %q", c.field, err, c.field, c.msg)
		}
		if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: the invalid run left %s", c.field, root)
		}
	}
}

// TestTrainFashionMNIST trains LeNet-5 on a 3000-image subset of Fashion-MNIST for two
// epochs and tests it on 2000 test images: well above chance (0.1), with every file
// of a finished run, and the saved network predicts as the run did.
func TestTrainFashionMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	if _, err := imageset.LoadFashionMNIST("", "test"); err != nil {
		t.Skipf("Fashion-MNIST not installed (%v): run scripts/install-peers.sh", err)
	}
	cfg := vision.DefaultConfig("lenet5")
	cfg.Epochs, cfg.Subset, cfg.TestSubset, cfg.Seed = 2, 3000, 2000, 1
	out, err := vision.Train(context.Background(), cfg, run.Options{Root: t.TempDir(), Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out.Headline)
	if out.TestAccuracy < 0.7 || out.Params != 61706 || out.Steps != 2*(out.TrainCount/64) || len(out.EpochAccuracy) != 2 {
		t.Errorf("outcome %+v: want test accuracy >= 0.7, 61706 parameters, 2 epochs", out)
	}
	if out.EpochAccuracy[1] != out.TestAccuracy {
		t.Errorf("last epoch accuracy %v, final %v", out.EpochAccuracy[1], out.TestAccuracy)
	}
	rd, err := run.Open(out.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{run.ConfigFile, run.MetricsFile, run.CheckpointFile, run.EnergyFile, run.SummaryFile, run.ReportFile,
		vision.ModelFile, vision.ConfusionFile, vision.AccuracyFile, vision.LossFile, vision.MisclassifiedFile} {
		if _, err := os.Stat(rd.File(f)); err != nil {
			t.Error(err)
		}
	}
	if filepath.Base(out.Dir)[16:] != "fashion-mnist-lenet5" {
		t.Errorf("run directory %s, want the name fashion-mnist-lenet5", out.Dir)
	}
	m, err := vision.Load(rd)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Finalize()
	te, _ := imageset.LoadFashionMNIST("", "test")
	ev, err := m.Evaluate(te)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the loaded model on all 10000 test images: accuracy %.4f", ev.Accuracy)
	if ev.Accuracy < 0.7 {
		t.Errorf("loaded model: accuracy %v", ev.Accuracy)
	}
}

// TestTrainFolder trains on an ImageFolder tree (20% held out as the test set) with
// augmentation and a validation split.
func TestTrainFolder(t *testing.T) {
	dir := writeSynthFolder(t, t.TempDir(), 40)
	cfg := vision.TrainConfig{Data: dir, Model: "resnet8", Epochs: 3, Batch: 16, Seed: 2, Val: 0.25, Pad: 2, Flip: true}
	out, err := vision.Train(context.Background(), cfg, run.Options{Root: t.TempDir(), Quiet: true, NoMeter: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out.Headline)
	if out.TestCount != 24 || out.ValCount != 24 || out.TrainCount != 72 || len(out.Classes) != 3 {
		t.Errorf("%d test, %d validation, %d training images of classes %v; want 24, 24, 72 of 3", out.TestCount, out.ValCount, out.TrainCount, out.Classes)
	}
	if out.ValAccuracy != out.EpochAccuracy[2] || out.TestAccuracy < 0.5 {
		t.Errorf("validation accuracy %v (per epoch %v), test %v", out.ValAccuracy, out.EpochAccuracy, out.TestAccuracy)
	}
	var info vision.ModelInfo
	rd, _ := run.Open(out.Dir)
	if err := rd.ReadJSON(vision.ModelFile, &info); err != nil || info.Height != 16 || info.Channels != 1 || info.Mean[0] <= 0 {
		t.Errorf("model.json %+v (%v): want 16×16×1 and the training images' statistics", info, err)
	}
}

// killConfig is the run of TestTrainKill9Resume: LeNet-5 for 2 epochs of 31 steps on
// 2000 synthetic images, a checkpoint every 5 steps.
func killConfig(data string) vision.TrainConfig {
	return vision.TrainConfig{Data: "mnist:" + data, Model: "lenet5", Epochs: 2, Batch: 64, Seed: 3, CheckpointEvery: 5}
}

// TestTrainKillChild is the child half of TestTrainKill9Resume: it trains until killed.
func TestTrainKillChild(t *testing.T) {
	root := runtest.ChildEnv(t, "ERG_VISION_KILL_ROOT")
	vision.Train(context.Background(), killConfig(os.Getenv("ERG_VISION_KILL_DATA")), run.Options{Root: root, Name: "killed", Quiet: true})
}

// TestTrainKill9Resume runs Train in a child process, kills it with SIGKILL after its
// first epoch (a checkpoint and a metric line written), resumes the run and checks
// that it ends with the same parameters, bit for bit, the same per-epoch losses and
// accuracies and the same test accuracy as an uninterrupted run.
func TestTrainKill9Resume(t *testing.T) {
	data := writeSynthIDX(t, t.TempDir(), 2000, 300)
	root := t.TempDir()
	var rd *run.Dir
	runtest.KillChild(t, "TestTrainKillChild", []string{"ERG_VISION_KILL_ROOT=" + root, "ERG_VISION_KILL_DATA=" + data}, 60*time.Second, func() bool {
		d, err := run.Resolve(root, "killed")
		if err != nil {
			return false
		}
		rd = d
		if _, err := os.Stat(rd.File(run.CheckpointFile)); err != nil {
			return false
		}
		ms, _ := rd.Metrics()
		return len(ms) > 0
	})
	st, _, err := train.LoadCheckpoint(rd.File(run.CheckpointFile), model.NewStore())
	if err != nil {
		t.Fatal(err)
	}
	if st.Step >= 62 {
		t.Fatalf("the child finished (step %d) before the kill; the test proves nothing", st.Step)
	}
	if _, err := os.Stat(rd.File(run.SummaryFile)); err == nil {
		t.Fatal("the killed run has a summary")
	}
	t.Logf("killed with the checkpoint at step %d of 62", st.Step)

	ctx := context.Background()
	res, err := vision.Train(ctx, vision.TrainConfig{}, run.Options{Root: root, Resume: "killed", Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	full, err := vision.Train(ctx, killConfig(data), run.Options{Root: t.TempDir(), Name: "full", Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed || res.Dir != rd.Path || res.Steps != 62 {
		t.Errorf("resumed outcome in %s (resumed %v, %d steps), want %s", res.Dir, res.Resumed, res.Steps, rd.Path)
	}
	if res.TestAccuracy != full.TestAccuracy || res.TrainLoss != full.TrainLoss {
		t.Errorf("killed+resumed: accuracy %v, loss %v; uninterrupted: %v, %v", res.TestAccuracy, res.TrainLoss, full.TestAccuracy, full.TrainLoss)
	}
	if full.TestAccuracy < 0.5 {
		t.Errorf("test accuracy %v on the synthetic images, want well above chance", full.TestAccuracy)
	}
	// Every variable of the final checkpoints (parameters, batch-norm statistics,
	// optimizer moments, RNG state), bit for bit.
	sr, sf := model.NewStore(), model.NewStore()
	if _, _, err := train.LoadCheckpoint(rd.File(run.CheckpointFile), sr); err != nil {
		t.Fatal(err)
	}
	fd, _ := run.Open(full.Dir)
	if _, _, err := train.LoadCheckpoint(fd.File(run.CheckpointFile), sf); err != nil {
		t.Fatal(err)
	}
	n := 0
	for v := range sf.IterVariables() {
		w := sr.GetVariable(v.Path())
		if w == nil {
			t.Errorf("variable %s missing from the resumed run", v.Path())
			continue
		}
		a, b := v.MustValue(), w.MustValue()
		var ba, bb []byte
		a.ConstBytes(func(x []byte) { ba = append(ba, x...) })
		b.ConstBytes(func(x []byte) { bb = append(bb, x...) })
		if string(ba) != string(bb) {
			t.Errorf("variable %s differs between the resumed and the uninterrupted run", v.Path())
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d variables compared", n)
	}
	msR, _ := rd.Metrics()
	msF, _ := fd.Metrics()
	if len(msR) != 2 || len(msF) != 2 {
		t.Fatalf("%d and %d metric lines, want one per epoch (2)", len(msR), len(msF))
	}
	for i := range msR {
		for _, k := range []string{"epoch", "epoch_loss", "test_accuracy", "test_loss"} {
			if msR[i][k] != msF[i][k] {
				t.Errorf("line %d: %s %v, uninterrupted %v", i, k, msR[i][k], msF[i][k])
			}
		}
	}
	var sum map[string]any
	if err := rd.ReadJSON(run.SummaryFile, &sum); err != nil || sum["status"] != "finished" || sum["test_accuracy"] != res.TestAccuracy {
		t.Errorf("summary %v (%v)", sum, err)
	}
	if s, _ := sum["seconds"].(float64); s < st.Seconds {
		t.Errorf("summary seconds %v do not include the killed session's %v", s, st.Seconds)
	}
	// The saved network predicts as the run did.
	m, err := vision.Load(rd)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Finalize()
	te, err := killConfig(data).TestImages()
	if err != nil {
		t.Fatal(err)
	}
	ev, err := m.Evaluate(te)
	if err != nil || ev.Accuracy != res.TestAccuracy {
		t.Errorf("the loaded model's accuracy %v (%v), the run's %v", ev.Accuracy, err, res.TestAccuracy)
	}
}
