package main

import "github.com/spf13/cobra"

// newHepCmd returns the hep command group (being built; see its issue).
func newHepCmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "hep",
		Short:   "LHC-jet energy-based models: Pythia events, anti-kT jets, generator, anomaly detector, classifier",
		Example: "  erg hep --help",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
