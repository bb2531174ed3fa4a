package main

import "github.com/spf13/cobra"

// newBenchPinnCmd returns the pinn command group (being built; see its issue).
func newBenchPinnCmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "pinn",
		Short:   "a Burgers PINN step (float64, second derivatives) vs PyTorch",
		Example: "  erg bench pinn --json",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
