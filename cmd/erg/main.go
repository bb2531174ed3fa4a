// Command erg is the command-line face of the erg toolkit: energy-based,
// physics-informed and probabilistic machine learning for scientists.
//
// It is thin: each command group lives in its own file, parses flags and calls library
// code. Run "erg --help" for the commands.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

// global flags shared by every command.
var (
	flagBackend string
	flagJSON    bool
)

var rootCmd = &cobra.Command{
	Use:   "erg",
	Short: "energy-based, physics-informed and probabilistic ML for scientists",
	Long: `erg is a toolkit for energy-based, physics-informed and probabilistic machine learning.
Each capability is a command group (and a Go package); every training run is metered,
checkpointed, resumable and reported.`,
	Example:       "  erg demo\n  erg tsc train --data ../shared/data/ucr/GunPoint --model fcn",
	SilenceUsage:  true,
	SilenceErrors: true,
}

func init() {
	pf := rootCmd.PersistentFlags()
	pf.StringVar(&flagBackend, "backend", "", `GoMLX backend ("go" pure Go, default; "xla" on GPU machines); or $ERG_BACKEND`)
	pf.BoolVar(&flagJSON, "json", false, "print one JSON object with the figures instead of tables")
	rootCmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%s: %w (see '%s --help')", c.CommandPath(), err, c.CommandPath())
	})
}

// usageError marks errors in how a command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// printJSON writes v as one indented JSON object on stdout.
func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func main() {
	os.Exit(execute(os.Args[1:]))
}

// execute executes the command line and returns the exit code. Errors, including panics
// from library code, become one line on stderr.
func execute(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "erg: internal error: %v\n", r)
			if os.Getenv("ERG_DEBUG") != "" {
				os.Stderr.Write(debug.Stack())
			}
			code = 2
		}
	}()
	if !backend.SIMD && backend.Name("") == backend.Default && !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--backend") }) && os.Getenv("ERG_QUIET_SIMD") == "" {
		fmt.Fprintln(os.Stderr, "erg: warning: built without GOEXPERIMENT=simd, so the pure-Go backend runs about 3x slower; build with `make` or `GOEXPERIMENT=simd go build ./cmd/erg` (ERG_QUIET_SIMD=1 silences this)")
	}
	rootCmd.SetArgs(args)
	if err := rootCmd.Execute(); err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "erg") {
			msg = "erg: " + msg
		}
		fmt.Fprintln(os.Stderr, strings.ReplaceAll(msg, "\n", " "))
		var ue usageError
		if errors.As(err, &ue) {
			return 64
		}
		return 1
	}
	return 0
}
