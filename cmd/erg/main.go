// Command erg is the command-line face of the erg toolkit: energy-based,
// physics-informed and probabilistic machine learning for scientists.
//
// It is thin: each command group lives in its own file, parses flags and calls library
// code. Run "erg --help" for the commands.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

// newRootCmd returns erg's command tree, made afresh for each invocation so that no
// flag value outlives it.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "erg",
		Short: "energy-based, physics-informed and probabilistic ML for scientists",
		Long: `erg is a toolkit for energy-based, physics-informed and probabilistic machine learning.
Each capability is a command group (and a Go package); every training run is metered,
checkpointed, resumable and reported.

` + exitCodesHelp,
		Example:       "  erg demo\n  erg tsc train --data ../shared/data/ucr/GunPoint --model fcn",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.String("backend", "", `GoMLX backend ("go" pure Go, default; "xla" on GPU machines); or $ERG_BACKEND`)
	pf.Bool("json", false, "print one JSON object with the figures instead of tables (errors too)")
	root.AddCommand(newVersionCmd(), newDemoCmd(), newRunsCmd(), newMeterCmd(), newBenchCmd(),
		newEBMCmd(), newTSCCmd(), newPDECmd(), newModesCmd(), newSweepCmd(), newWorkerCmd(), newVisionCmd(),
		newHepCmd(), newFFCmd(), newAnalogCmd(), newGreenCmd(), newGraphCmd(), newHSICmd())
	usageErrors(root)
	return root
}

// usageErrors makes flag-parsing and argument-count errors of every command usage
// errors (exit 64).
func usageErrors(c *cobra.Command) {
	c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{msg: fmt.Sprintf("%s: %v (see '%s --help')", c.CommandPath(), err, c.CommandPath())}
	})
	if args := c.Args; args != nil {
		c.Args = func(cmd *cobra.Command, a []string) error {
			if err := args(cmd, a); err != nil {
				var ue usageError
				if errors.As(err, &ue) {
					return err
				}
				return usageError{msg: fmt.Sprintf("%s: %v (see '%s --help')", cmd.CommandPath(), err, cmd.CommandPath())}
			}
			return nil
		}
	}
	for _, s := range c.Commands() {
		usageErrors(s)
	}
}

func main() {
	os.Exit(execute(os.Args[1:]))
}

// execute executes the command line and returns the exit code (see exitCodesHelp).
// Errors, including panics from library code, become one line on stderr, or under
// --json one JSON object on stdout.
func execute(args []string) (code int) {
	return executeTo(args, os.Stdout, os.Stderr)
}

func executeTo(args []string, stdout, stderr io.Writer) (code int) {
	wantJSON := slices.ContainsFunc(args, func(a string) bool { return a == "--json" || a == "--json=true" })
	fail := func(err error, je jsonError) int {
		if wantJSON {
			writeJSON(stdout, je)
			return je.Code
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "erg") {
			msg = "erg: " + msg
		}
		fmt.Fprintln(stderr, strings.ReplaceAll(msg, "\n", " "))
		return je.Code
	}
	defer func() {
		if r := recover(); r != nil {
			err := fmt.Errorf("internal error: %v", r)
			if os.Getenv("ERG_DEBUG") != "" {
				stderr.Write(debug.Stack())
			}
			code = fail(err, jsonError{Error: err.Error(), Code: exitInternal})
		}
	}()
	if !backend.SIMD && backend.Name("") == backend.Default && !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--backend") }) && os.Getenv("ERG_QUIET_SIMD") == "" {
		fmt.Fprintln(stderr, "erg: warning: built without GOEXPERIMENT=simd, so the pure-Go backend runs about 3x slower; build with `make` or `GOEXPERIMENT=simd go build ./cmd/erg` (ERG_QUIET_SIMD=1 silences this)")
	}
	if backend.Name("") == backend.Default && os.Getenv("ERG_QUIET_UNPATCHED") == "" {
		if w := backend.UnpatchedWarning(); w != "" {
			fmt.Fprintln(stderr, w+" (ERG_QUIET_UNPATCHED=1 silences this)")
		}
	}
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.Execute(); err != nil {
		return fail(err, classify(err))
	}
	return exitOK
}
