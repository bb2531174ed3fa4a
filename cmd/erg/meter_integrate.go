package main

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/meter"
)

// meterIntegrateOut is what erg meter integrate prints under --json.
type meterIntegrateOut struct {
	Files        []meter.TraceEnergy `json:"files"`
	MedianJoules float64             `json:"median_joules"`
	Method       string              `json:"method"`
}

func meterIntegrateCmd() *cobra.Command {
	var (
		files    []string
		timeCol  string
		powerCol string
		maxGap   time.Duration
	)
	cmd := &cobra.Command{
		Use:   "integrate --csv FILES --time COL --power COL",
		Short: "energy of recorded power traces (nvidia-smi CSV logs and the like) by the trapezoid rule, per file and median",
		Long: `Integrates power traces: CSV files with a header, a timestamp column (epoch seconds or an ISO date and
time, such as nvidia-smi's 2022/12/05 09:55:42.535) and a power column in W whose values may carry
their unit ("10.41 W", "250 mW"), e.g. the logs of
  nvidia-smi --query-gpu=timestamp,power.draw --format=csv -l 1
Energy is Σ (t[i+1] − t[i]) · (P[i] + P[i+1]) / 2 over the timestamps, so irregular sampling is
weighted by each interval; rows without a power ([N/A]) are skipped and counted; intervals longer than
5× the median (or --max-gap) are reported as gaps, and with --max-gap left out. A trace twice as long
at the same power gives exactly twice the energy; the Σ(samples) × duration formula of the first
version of del Rey et al. (SEAA 2023) is printed beside it for comparison, and does not.
Columns are header names (a trailing " [W]" may be left out) or 1-based numbers.`,
		Example: "  erg meter integrate --csv gpu-power-1.csv,gpu-power-2.csv --time timestamp --power gpu_power_draw\n  erg meter integrate --csv smi.csv --time timestamp --power power.draw --max-gap 10s --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(files) == 0 {
				return flagError("csv", "give one or more trace files")
			}
			if maxGap < 0 {
				return flagError("max-gap", "%v: must not be negative", maxGap)
			}
			out := meterIntegrateOut{Method: "trapezoid rule over the timestamps"}
			for _, f := range files {
				e, err := meter.IntegrateTraceFile(f, meter.TraceConfig{Time: timeCol, Power: powerCol, MaxGap: maxGap})
				if err != nil {
					var te *meter.TraceError
					if errors.As(err, &te) {
						return usageError{msg: err.Error(), file: te.File, line: te.Line, field: te.Column}
					}
					return usageError{msg: err.Error(), file: f}
				}
				out.Files = append(out.Files, e)
			}
			out.MedianJoules = meter.MedianJoules(out.Files)
			w := cmd.OutOrStdout()
			if jsonOutput(cmd) {
				return writeJSON(w, out)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "file\tsamples\tskipped\tseconds\tJ (trapezoid)\tmean W\tgaps\tΣP×duration (flawed)\t")
			for _, e := range out.Files {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%.4g\t%.6g\t%.4g\t%d (%.3g s)\t%.6g\t\n", e.File, e.Samples, e.Skipped, e.Seconds, e.Joules, e.MeanW, e.Gaps, e.GapSeconds, e.SumTimesDuration)
			}
			tw.Flush()
			fmt.Fprintf(w, "median over %d files: %.6g J\n", len(out.Files), out.MedianJoules)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&files, "csv", nil, "trace files (comma-separated or repeated)")
	f.StringVar(&timeCol, "time", "timestamp", "timestamp column: name or 1-based number")
	f.StringVar(&powerCol, "power", "power.draw", "power column (W): name or 1-based number")
	f.DurationVar(&maxGap, "max-gap", 0, "leave out intervals longer than this (0: integrate across gaps, report them)")
	return cmd
}
