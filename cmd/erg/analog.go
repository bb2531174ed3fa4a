package main

import "github.com/spf13/cobra"

// newAnalogCmd returns the analog command group (being built; see its issue).
func newAnalogCmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "analog",
		Short:   "analog in-memory training on resistive crossbars (aihwkit-compatible devices, charge-trap flash)",
		Example: "  erg analog --help",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
