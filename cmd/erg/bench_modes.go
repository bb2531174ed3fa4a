package main

import (
	"github.com/spf13/cobra"

	"github.com/ergml/erg/modes/modesbench"
)

// newBenchModesCmd returns erg bench modes.
func newBenchModesCmd() *cobra.Command {
	var (
		cfg  modesbench.Config
		peer benchPeerFlags
	)
	cmd := &cobra.Command{
		Use:   "modes",
		Short: "time the mode workloads (Silverman B=500 n=1000, dip n=1e6, KDE n=1e6) in erg and R",
		Long: `Times Silverman's test (k=1, B=500, n=1000; target ≤ 1 s), Hartigan's dip of 10^6 points
(target ≤ 1 s) and a binned Gaussian KDE of 10^6 points in erg (median of --reps runs after a
warm-up) and in R (the embedded modes.R with Rscript: density() and the diptest package, one
run each on the same samples), and prints milliseconds and the ratio erg/R.`,
		Example: "  erg bench modes\n  erg bench modes --no-peer --json\n  erg bench modes --reps 1",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := peer.check(); err != nil {
				return err
			}
			if cfg.Reps < 1 {
				return usagef("--reps %d: want at least 1", cfg.Reps)
			}
			cfg.NoPeer, cfg.PeerScript = peer.noPeer, peer.script
			rep, err := modesbench.Run(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &peer)
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Reps, "reps", 3, "timed erg runs per workload (median)")
	f.StringVar(&cfg.Only, "only", "", "run one workload: silverman|dip|kde")
	peer.register(f, modesbench.PeerScript)
	return cmd
}
