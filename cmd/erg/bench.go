package main

import "github.com/spf13/cobra"

// benchCmd groups the side-by-side speed comparisons with peer programs. Each
// capability adds its own subcommand (erg bench core, erg bench fem, ...) from its file.
var benchCmd = &cobra.Command{
	Use:   "bench",
	Short: "side-by-side speed comparisons of erg and its peers (PyTorch, FEniCS, R, ...)",
	Long: `Each subcommand runs the same workload in erg and in the peer program in one invocation,
prints milliseconds for both and the ratio erg/peer (below 1 means erg is faster).
With --json it prints one JSON object with every workload's figures.`,
	Example: "  erg bench core --json",
}

func init() { rootCmd.AddCommand(benchCmd) }
