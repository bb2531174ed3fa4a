package main

import (
	"fmt"
	"strings"

	"github.com/ergml/erg/demo"
	"github.com/spf13/cobra"
)

// newDemoCmd returns erg demo.
func newDemoCmd() *cobra.Command {
	var only string
	var seed uint64
	var root string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "run a short pass of every landed capability on real data and write one HTML report",
		Long: `erg demo runs each capability briefly on real data (UCR time series, R's density data sets,
FEM problems, ...), each as a metered run directory, and gathers them into one HTML report whose
path is printed last. Steps whose data or peer program is missing are reported as skipped.`,
		Example: "  erg demo\n  erg demo --only tsc,modes --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var names []string
			for _, s := range demo.Steps() {
				names = append(names, s.Name)
			}
			var sel []string
			if only != "" {
				for _, s := range strings.Split(only, ",") {
					s = strings.TrimSpace(s)
					ok := false
					for _, n := range names {
						ok = ok || n == s
					}
					if !ok {
						return usagef("erg demo: unknown step %q (have %s)", s, strings.Join(names, ", "))
					}
					sel = append(sel, s)
				}
			}
			ctx, stop := signalContext()
			defer stop()
			rep, err := demo.Run(ctx, demo.Options{Root: root, Backend: backendFlag(cmd), Seed: seed, Only: sel})
			if rep != nil {
				if jsonOutput(cmd) {
					if perr := writeJSON(cmd.OutOrStdout(), rep); perr != nil {
						return perr
					}
				} else {
					fmt.Println(rep.Report)
				}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&only, "only", "", "comma-separated steps to run (default all)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed for every step")
	cmd.Flags().StringVar(&root, "root", "runs", "directory for the demo's run directories")
	return cmd
}
