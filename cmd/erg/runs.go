package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/ergml/erg/run"
	"github.com/spf13/cobra"
)

// newRunsCmd returns the runs command group.
func newRunsCmd() *cobra.Command {
	var flagRunsRoot string
	runsCmd := &cobra.Command{
		Use:     "runs",
		Short:   "list, show and report training runs (directories under runs/)",
		Example: "  erg runs ls\n  erg runs show 20261129-050000-pinwheel-ed\n  erg runs report pinwheel-ed",
	}
	runsCmd.PersistentFlags().StringVar(&flagRunsRoot, "root", run.DefaultRoot, "directory holding the runs")
	runsCmd.AddCommand(&cobra.Command{
		Use:     "ls",
		Short:   "list runs as a table (path, status, steps, loss, energy)",
		Example: "  erg runs ls --root runs --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			infos, err := run.List(flagRunsRoot)
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				if infos == nil {
					infos = []run.Info{}
				}
				return writeJSON(cmd.OutOrStdout(), struct {
					Runs []run.Info `json:"runs"`
				}{infos})
			}
			if len(infos) == 0 {
				fmt.Printf("no runs under %s\n", flagRunsRoot)
				return nil
			}
			w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "RUN\tSTATUS\tSTEPS\tLOSS\tENERGY J\tHEADLINE")
			for _, in := range infos {
				loss, en := "-", "-"
				if in.Loss != nil {
					loss = fmt.Sprintf("%.4g", *in.Loss)
				}
				if in.Joules != nil {
					en = fmt.Sprintf("%.4g", *in.Joules)
					if in.Energy == "estimated" {
						en += " (est.)"
					}
				}
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\n", in.Path, in.Status, in.Steps, loss, en, in.Headline)
			}
			return w.Flush()
		},
	})
	runsCmd.AddCommand(&cobra.Command{
		Use:     "show RUN",
		Short:   "print a run's configuration, summary and energy",
		Example: "  erg runs show pinwheel-ed --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := run.Resolve(flagRunsRoot, args[0])
			if err != nil {
				return err
			}
			out := struct {
				Info    run.Info `json:"info"`
				Config  any      `json:"config,omitempty"`
				Summary any      `json:"summary,omitempty"`
				Energy  any      `json:"energy,omitempty"`
			}{Info: d.Info()}
			d.ReadJSON(run.ConfigFile, &out.Config)
			d.ReadJSON(run.SummaryFile, &out.Summary)
			d.ReadJSON(run.EnergyFile, &out.Energy)
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			for _, kv := range []struct {
				k string
				v any
			}{{"info", out.Info}, {"config", out.Config}, {"summary", out.Summary}, {"energy", out.Energy}} {
				if kv.v != nil {
					fmt.Fprintf(cmd.OutOrStdout(), "== %s\n", kv.k)
					writeJSON(cmd.OutOrStdout(), kv.v)
				}
			}
			return nil
		},
	})
	runsCmd.AddCommand(&cobra.Command{
		Use:     "report RUN",
		Short:   "(re)write a run's plots and report.html and print its path",
		Example: "  erg runs report pinwheel-ed",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := run.Resolve(flagRunsRoot, args[0])
			if err != nil {
				return err
			}
			p, err := d.Report()
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), struct {
					Report string `json:"report"`
				}{p})
			}
			fmt.Println(p)
			return nil
		},
	})
	return runsCmd
}
