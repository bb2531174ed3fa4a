package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/ergml/erg/run"
	"github.com/spf13/cobra"
)

var flagRunsRoot string

func init() {
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
			if flagJSON {
				if infos == nil {
					infos = []run.Info{}
				}
				return printJSON(map[string]any{"runs": infos})
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
			out := map[string]any{"info": d.Info()}
			for _, f := range []string{run.ConfigFile, run.SummaryFile, run.EnergyFile} {
				var v any
				if d.ReadJSON(f, &v) == nil {
					out[f[:len(f)-5]] = v
				}
			}
			if flagJSON {
				return printJSON(out)
			}
			for _, k := range []string{"info", "config", "summary", "energy"} {
				if v, ok := out[k]; ok {
					fmt.Printf("== %s\n", k)
					printJSON(v)
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
			if flagJSON {
				return printJSON(map[string]string{"report": p})
			}
			fmt.Println(p)
			return nil
		},
	})
	rootCmd.AddCommand(runsCmd)
}
