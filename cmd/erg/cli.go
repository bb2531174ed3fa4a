package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/ergml/erg/run"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit codes of erg, documented in `erg --help` and README.
const (
	exitOK          = 0
	exitFailure     = 1   // a runtime failure: a run diverged, a peer failed, a file could not be written
	exitInternal    = 2   // a bug in erg (a panic); please report it
	exitUsage       = 64  // bad usage or bad input: unknown flag, bad value, unreadable data file
	exitInterrupted = 130 // interrupted (SIGINT/SIGTERM); a training run can be resumed with --resume
)

const exitCodesHelp = `Exit codes: 0 success; 1 runtime failure; 2 internal error (a bug); 64 bad usage or input
(a flag, a value, a data file: the message names it); 130 interrupted (training runs can be resumed).
With --json, an error is one JSON object on stdout: {"error", "code", "file", "line", "field"}.`

// usageError marks errors in how a command was called or in its input (exit 64).
type usageError struct {
	msg   string
	field string // the flag at fault, without "--"
	file  string
	line  int
}

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{msg: fmt.Sprintf(format, a...)} }

// flagError is a usage error naming the flag at fault.
func flagError(flag string, format string, a ...any) error {
	return usageError{msg: fmt.Sprintf("--%s: ", flag) + fmt.Sprintf(format, a...), field: flag}
}

// invalidConfig turns a library configuration error into a usage error naming the
// flag (field names of configurations are the flags' names, see run.FieldError).
// Other errors pass unchanged.
func invalidConfig(err error) error {
	var fe *run.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	if fe.File != "" {
		return usageError{msg: err.Error(), field: fe.Field, file: fe.File, line: fe.Line}
	}
	msg := "--" + fe.Field
	if fe.Value != nil {
		msg += fmt.Sprintf(" %v", fe.Value)
	}
	return usageError{msg: msg + ": " + fe.Reason, field: fe.Field}
}

// flagInMessage finds the flag a usage message starts with ("--steps 0: ...", or
// "erg tsc train: --runs must ...").
var flagInMessage = regexp.MustCompile(`^(?:[a-z][\w ]*: )?--([A-Za-z0-9][\w-]*)`)

// jsonError is the object printed on stdout for an error under --json.
type jsonError struct {
	Error string `json:"error"`
	Code  int    `json:"code"`
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	Field string `json:"field,omitempty"`
}

// classify returns the exit code and JSON form of err.
func classify(err error) jsonError {
	je := jsonError{Error: err.Error(), Code: exitFailure}
	var ue usageError
	var fe *run.FieldError
	switch {
	case errors.As(err, &ue):
		je.Code, je.Field, je.File, je.Line = exitUsage, ue.field, ue.file, ue.line
		if je.Field == "" {
			if m := flagInMessage.FindStringSubmatch(ue.msg); m != nil {
				je.Field = m[1]
			}
		}
	case errors.As(err, &fe):
		je.Code, je.Field, je.File, je.Line = exitUsage, fe.Field, fe.File, fe.Line
	case errors.Is(err, context.Canceled):
		je.Code = exitInterrupted
	case strings.HasPrefix(err.Error(), "unknown command"), strings.HasPrefix(err.Error(), "accepts "),
		strings.HasPrefix(err.Error(), "requires at least"), strings.HasPrefix(err.Error(), "unknown flag"):
		je.Code = exitUsage // cobra's own usage errors
	}
	var lf interface{ Location() (string, int) }
	if je.File == "" && errors.As(err, &lf) {
		je.File, je.Line = lf.Location()
	}
	return je
}

// writeJSON writes v as one indented JSON object on w.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// signalContext returns a context cancelled by SIGINT or SIGTERM: training stops
// after its current step, writes a checkpoint and the run is marked interrupted.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// parseInts parses a comma-separated list of integers of --flag, with ranges such as
// 3-7, each at least least.
func parseInts(flag, s string, least int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if a, b, ok := strings.Cut(f, "-"); ok && a != "" {
			lo, err1 := strconv.Atoi(a)
			hi, err2 := strconv.Atoi(b)
			if err1 != nil || err2 != nil || lo > hi {
				return nil, flagError(flag, "%q: bad range %q", s, f)
			}
			if lo < least {
				return nil, flagError(flag, "%q: %d is below %d", s, lo, least)
			}
			for i := lo; i <= hi; i++ {
				out = append(out, i)
			}
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil {
			return nil, flagError(flag, "%q: %q is not an integer", s, f)
		}
		if v < least {
			return nil, flagError(flag, "%q: %d is below %d", s, v, least)
		}
		out = append(out, v)
	}
	return out, nil
}

// positive checks that the named flags, when given, are > 0.
func positive(fs *pflag.FlagSet, names ...string) error {
	for _, n := range names {
		f := fs.Lookup(n)
		if f == nil || !f.Changed {
			continue
		}
		v, err := strconv.ParseFloat(f.Value.String(), 64)
		if err == nil && !(v > 0) {
			return flagError(n, "%s: must be positive", f.Value.String())
		}
	}
	return nil
}

// runFlags are the flags of every command that makes a run directory.
type runFlags struct {
	root, name, resume string
}

func (f *runFlags) register(fs *pflag.FlagSet, what string) {
	fs.StringVar(&f.root, "root", run.DefaultRoot, "directory of run directories")
	fs.StringVar(&f.name, "name", "", "name of the run directory (default: "+what+")")
	fs.StringVar(&f.resume, "resume", "", "continue this run directory (or unique part of its name under --root) with its recorded configuration")
}

// checkResume checks a --resume invocation: no flag but --root, --resume, --json and
// those allowed may be given (the run continues with its recorded configuration), and
// --resume must name one run directory under --root.
func (f *runFlags) checkResume(cmd *cobra.Command, allowed ...string) error {
	var given []string
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		switch {
		case fl.Name == "root" || fl.Name == "resume" || fl.Name == "json":
		case slices.Contains(allowed, fl.Name):
		default:
			given = append(given, fl.Name)
		}
	})
	if len(given) > 0 {
		return flagError(given[0], "cannot be given with --resume: the run continues with the configuration in its %s", run.ConfigFile)
	}
	if _, err := run.Resolve(f.root, f.resume); err != nil {
		return flagError("resume", "%v", err)
	}
	return nil
}

// options returns the run options of the command; progress is quiet under --json.
func (f *runFlags) options(cmd *cobra.Command) run.Options {
	return run.Options{Root: f.root, Name: f.name, Resume: f.resume, Progress: cmd.ErrOrStderr(), Quiet: jsonOutput(cmd)}
}

// jsonOutput reports whether --json was given to cmd (a persistent flag of the root).
func jsonOutput(cmd *cobra.Command) bool {
	v, err := cmd.Flags().GetBool("json")
	return err == nil && v
}

// backendFlag returns the --backend value of cmd ("" for the default).
func backendFlag(cmd *cobra.Command) string {
	v, _ := cmd.Flags().GetString("backend")
	return v
}

// commandLine is the command line recorded in config.json.
func commandLine() string { return "erg " + strings.Join(os.Args[1:], " ") }
