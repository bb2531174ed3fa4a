package main

import (
	"io"
	"os"
	"reflect"
	"testing"

	"github.com/ergml/erg/pddlvm"
	"github.com/ergml/erg/pinn"
	"github.com/spf13/cobra"
)

// TestPinnDefaultsAreTheLibrarys: erg pde pinn BENCHMARK without flags trains with
// the library's default configuration of the benchmark (for burgers: resampling,
// L-BFGS and refinement), and an explicit zero overrides a benchmark default.
func TestPinnDefaultsAreTheLibrarys(t *testing.T) {
	for _, b := range pinn.Benchmarks() {
		var f pinnFlags
		c := f.command()
		if err := c.ParseFlags(nil); err != nil {
			t.Fatal(err)
		}
		opt, err := f.options(c, []string{b})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := opt.Config.For(b), pinn.DefaultConfig(b); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the command's configuration %+v; the library's %+v", b, got, want)
		}
		if got, want := opt.Options.For(b), pinn.DefaultOptions(b); got != want {
			t.Errorf("%s: the command's options %+v; the library's %+v", b, got, want)
		}
	}
	var f pinnFlags
	c := f.command()
	if err := c.ParseFlags([]string{"--resample", "0", "--rar", "0"}); err != nil {
		t.Fatal(err)
	}
	opt, _ := f.options(c, []string{"burgers"})
	if cfg := opt.Config.For("burgers"); *cfg.Resample != 0 || *cfg.RAR != 0 || *cfg.LBFGS != 5000 {
		t.Errorf("--resample 0 --rar 0: resample %d, rar %d, lbfgs %d", *cfg.Resample, *cfg.RAR, *cfg.LBFGS)
	}
}

// TestPddlvmDefaultsAreTheLibrarys: erg pde pddlvm train PROBLEM without flags trains
// with the library's default configuration of the problem, and --noise 0 means no
// noise.
func TestPddlvmDefaultsAreTheLibrarys(t *testing.T) {
	for _, p := range pddlvm.Problems() {
		var f pddlvmTrainFlags
		c := f.command()
		if err := c.ParseFlags(nil); err != nil {
			t.Fatal(err)
		}
		opt, err := f.options(c, []string{p})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := opt.Config.For(p), pddlvm.DefaultConfig(p); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the command's configuration %+v; the library's %+v", p, got, want)
		}
		if opt.Eval.Tests != pddlvm.DefaultEvalOptions().Tests || opt.Eval.NoiseY != nil {
			t.Errorf("%s: evaluation options %+v", p, opt.Eval)
		}
	}
	var f pddlvmTrainFlags
	c := f.command()
	if err := c.ParseFlags([]string{"--noise", "0"}); err != nil {
		t.Fatal(err)
	}
	opt, _ := f.options(c, []string{"poisson1d"})
	if n := *opt.Config.For("poisson1d").ObsNoise; n != 0 || *opt.Eval.NoiseY != 0 {
		t.Errorf("--noise 0: training noise %g, evaluation noise %v", n, opt.Eval.NoiseY)
	}
}

// TestBadConfigExits64: a bad value of a library configuration is a usage error
// (exit 64) naming its flag, before any run directory is made.
func TestBadConfigExits64(t *testing.T) {
	for _, args := range [][]string{
		{"pinn", "poisson2d", "--activation", "foo"},
		{"pddlvm", "train", "poisson1d", "--noise", "-1"},
		{"pddlvm", "train", "heat", "--rank", "2"},
		{"pddlvm", "train", "poisson1d", "--sigma-r", "0"},
	} {
		root := t.TempDir()
		c := map[string]func() *cobra.Command{"pinn": pinnCmd, "pddlvm": pddlvmCmd}[args[0]]()
		c.SetArgs(append(args[1:], "--root", root))
		c.SetOut(io.Discard)
		c.SetErr(io.Discard)
		err := c.Execute()
		flag := args[len(args)-2][2:]
		if je := classify(err); je.Code != exitUsage || je.Field != flag {
			t.Errorf("erg pde %v: %v (exit %d, field %q); want exit %d naming %s", args, err, je.Code, je.Field, exitUsage, flag)
		}
		if ents, _ := os.ReadDir(root); len(ents) != 0 {
			t.Errorf("erg pde %v left %d entries under --root", args, len(ents))
		}
	}
}
