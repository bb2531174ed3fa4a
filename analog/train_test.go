package analog

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/run"
)

func skipNoData(t *testing.T) {
	t.Helper()
	if _, err := imageset.LoadFashionMNIST("", "test"); err != nil {
		t.Skipf("Fashion-MNIST not installed (%v): apt-get install dataset-fashion-mnist", err)
	}
}

// TestResumeBitIdentical interrupts a run after its first epoch and resumes it: the
// final weights must equal those of an uninterrupted run bit for bit (device
// variation, cycle-to-cycle noise, IO noise, pulse trains and the CTF trap states
// all come from checkpointed streams).
func TestResumeBitIdentical(t *testing.T) {
	skipNoData(t)
	for _, dev := range []string{"idealized", "ctf"} {
		cfg := DefaultTrainConfig(dev)
		cfg.Epochs, cfg.Subset, cfg.TestSubset, cfg.Seed = 2, 130, 50, 3
		root := t.TempDir()
		opt := run.Options{Root: root, Quiet: true, NoMeter: true}
		o := opt
		o.Name = "whole"
		a, err := Train(context.Background(), cfg, o)
		if err != nil {
			t.Fatal(err)
		}
		o.Name = "cut"
		stopAfterEpoch = 1
		b, err := Train(context.Background(), cfg, o)
		stopAfterEpoch = 0
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: interrupted run: %v", dev, err)
		}
		o = opt
		o.Resume = b.Dir
		b, err = Train(context.Background(), TrainConfig{}, o)
		if err != nil {
			t.Fatal(err)
		}
		ca, err := readCheckpoint(a.Dir + "/" + run.CheckpointFile)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := readCheckpoint(b.Dir + "/" + run.CheckpointFile)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ca.Tiles {
			if !slices.Equal(ca.Tiles[i].W, cb.Tiles[i].W) {
				t.Errorf("%s: tile %d weights differ after resumption", dev, i+1)
			}
		}
		if a.TestAcc != b.TestAcc || a.Pulses != b.Pulses {
			t.Errorf("%s: accuracy %v / %v, pulses %d / %d", dev, a.TestAcc, b.TestAcc, a.Pulses, b.Pulses)
		}
		if a.Pulses == 0 && dev != "fp" {
			t.Errorf("%s: no pulses", dev)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for field, mod := range map[string]func(*TrainConfig){
		"bl":         func(c *TrainConfig) { c.BL = 0 },
		"dw-min":     func(c *TrainConfig) { c.DwMin = -1 },
		"pw":         func(c *TrainConfig) { c.PW = 0 },
		"gap":        func(c *TrainConfig) { c.Gap = -1 },
		"device":     func(c *TrainConfig) { c.Device = "x" },
		"compensate": func(c *TrainConfig) { c.Compensate = "magic" },
	} {
		c := DefaultTrainConfig("ctf")
		mod(&c)
		err := c.Validate()
		var fe *run.FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: error %v, want a field error naming %s", field, err, field)
		}
	}
}
