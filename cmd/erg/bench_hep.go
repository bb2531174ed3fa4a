package main

import "github.com/spf13/cobra"

// newBenchHepCmd returns the hep command group (being built; see its issue).
func newBenchHepCmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "hep",
		Short:   "anti-kT clustering vs FastJet and go-hep, a CD step vs PyTorch",
		Example: "  erg bench hep --json",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
