package main

import (
	"github.com/spf13/cobra"

	"github.com/ergml/erg/bench/graphbench"
)

// newBenchGraphCmd returns erg bench graph.
func newBenchGraphCmd() *cobra.Command {
	var (
		rounds int
		peer   benchPeerFlags
	)
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "orbit counting vs ORCA and the Python reference",
		Long: `Times erg's 4-node orbit counting (package graphgen/orbit, ORCA's count4 equations):
  orbits             100 radius-3 ego nets of hep-th, erg vs the Python/networkx reference (the embedded
                     graph.py: ESU enumeration; Debian's python3-networkx); goal ratio <= 0.02 (50x faster)
  orca_netscience, orca_power, orca_hep-th
                     graph-tool's networks, erg vs ORCA C++ -O2 times quoted in issue 19 as fixed
                     reference figures (20, 40, 90 ms; ORCA is not packaged and is not run); goal <= 2x
Each side reports its fastest of --rounds rounds. Needs python3-graph-tool's collection.`,
		Example: "  erg bench graph\n  erg bench graph --rounds 1 --no-peer --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := peer.check(); err != nil {
				return err
			}
			if rounds < 1 {
				return flagError("rounds", "%d: must be at least 1", rounds)
			}
			rep, err := graphbench.Run(cmd.Context(), graphbench.Options{Rounds: rounds, NoPeer: peer.noPeer, PeerScript: peer.script})
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &peer)
		},
	}
	cmd.Flags().IntVar(&rounds, "rounds", 3, "timed rounds per side; the fastest counts")
	peer.register(cmd.Flags(), graphbench.PeerScript)
	return cmd
}
