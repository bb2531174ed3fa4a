package main

import "github.com/spf13/cobra"

// newBenchGraphCmd returns the graph command group (being built; see its issue).
func newBenchGraphCmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "graph",
		Short:   "orbit counting and MMD vs ORCA and the Python reference",
		Example: "  erg bench graph --json",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
