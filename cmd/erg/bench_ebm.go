package main

import (
	"github.com/spf13/cobra"

	"github.com/ergml/erg/bench/ebmbench"
)

// newBenchEbmCmd returns erg bench ebm.
func newBenchEbmCmd() *cobra.Command {
	var (
		act   string
		steps int
		peer  benchPeerFlags
	)
	cmd := &cobra.Command{
		Use:   "ebm",
		Short: "one ED step and one CD step (K=20) of an MLP 2-128-128-1 energy, batch 256, in erg and PyTorch",
		Long: `Times an energy-discrepancy training step (M=4, t=1, w=1) and a contrastive-divergence step
(K=20 Langevin steps inside the step, size 0.01) of an MLP 2-128-128-1 energy (softplus) with Adam on a
batch of 256 points, in erg and in PyTorch (the embedded ebm.py, /usr/bin/python3, 2 threads), and
prints milliseconds per step and the ratio erg/PyTorch (goal ≤ 1).`,
		Example: "  erg bench ebm\n  erg bench ebm --activation relu --json\n  erg bench ebm --steps 20",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := peer.check(); err != nil {
				return err
			}
			if steps < 1 {
				return usagef("--steps %d: must be positive", steps)
			}
			switch act {
			case "softplus", "relu", "tanh":
			default:
				return usagef("--activation %q: want softplus, relu or tanh", act)
			}
			be, err := ebmBackend(cmd)
			if err != nil {
				return err
			}
			rep, err := ebmbench.Run(cmd.Context(), ebmbench.Options{Backend: be, Activation: act, Steps: steps,
				NoPeer: peer.noPeer, PeerScript: peer.script})
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &peer)
		},
	}
	f := cmd.Flags()
	f.StringVar(&act, "activation", "softplus", "activation of the MLP: softplus (the paper's), relu or tanh")
	f.IntVar(&steps, "steps", 200, "timed ED steps per round (CD: a quarter)")
	peer.register(f, ebmbench.PeerScript)
	return cmd
}
