package main

import "github.com/spf13/cobra"

// newGreenCmd returns the green command group (being built; see its issue).
func newGreenCmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "green",
		Short:   "energy and accuracy study of image classifiers across training environments",
		Example: "  erg green --help",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
