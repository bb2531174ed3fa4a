package main

import "github.com/spf13/cobra"

// newFFCmd returns the ff command group (being built; see its issue).
func newFFCmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "ff",
		Short:   "learned MM force field (espaloma-style) on GFN2-xTB data, exported to OpenMM",
		Example: "  erg ff --help",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
