package main

import "github.com/spf13/cobra"

// newHSICmd returns the hsi command group (being built; see its issue).
func newHSICmd() *cobra.Command {
	c := &cobra.Command{
		Use:     "hsi",
		Short:   "hyperspectral image classification: ENVI data, synthetic scene, SVM/RF/CNN, SS-GAN + dense CRF",
		Example: "  erg hsi --help",
		RunE:    func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	return c
}
