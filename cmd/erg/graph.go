package main

import "github.com/spf13/cobra"

// newGraphCmd returns the graph command group (being built; see its issue).
func newGraphCmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "graph",
		Short:   "graph generation benchmark: data sets, E-R/B-A/SBM, GraphRNN, GRAN, MMD metrics",
		Example: "  erg graph --help",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
