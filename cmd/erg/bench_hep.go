package main

import (
	"github.com/spf13/cobra"

	"github.com/ergml/erg/bench/hepbench"
)

// newBenchHepCmd returns erg bench hep.
func newBenchHepCmd() *cobra.Command {
	var (
		opt  hepbench.Options
		peer benchPeerFlags
	)
	cmd := &cobra.Command{
		Use:   "hep",
		Short: "anti-kT clustering vs FastJet and go-hep, a CD step vs PyTorch",
		Long: `Times erg's anti-kT (hep/jet, R=0.8, E-scheme) on Pythia QCD events (or the fastjet-examples
events when Pythia cannot be built) against FastJet 3.4 C++ (Debian libfastjet-dev; a small C++ program
compiled at bench time by the peer script hep.py) and go-hep's fastjet port (naive N³), prints
milliseconds per event and the ratios (goal: erg ≤ 3× FastJet), and checks all give the same jets
(match_gohep, match_fastjet: events whose jet pTs agree to 1e-9). cd_step times one training step of
erg hep train's MLP energy (CD with K=24 Langevin steps, batch 128) against PyTorch (2 threads).`,
		Example: "  erg bench hep --json\n  erg bench hep --events 500 --reps 3 --no-peer",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := peer.check(); err != nil {
				return err
			}
			if err := positive(cmd.Flags(), "events", "reps", "gohep-events"); err != nil {
				return err
			}
			opt.NoPeer, opt.PeerScript = peer.noPeer, peer.script
			if !opt.NoCD {
				b, err := hepBackend(cmd)
				if err != nil {
					return err
				}
				opt.Backend = b
			}
			ctx, stop := signalContext()
			defer stop()
			rep, err := hepbench.Run(ctx, opt)
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &peer)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opt.Events, "events", 200, "Pythia QCD events to cluster")
	f.IntVar(&opt.Seed, "seed", 1, "Pythia seed of the events")
	f.IntVar(&opt.Reps, "reps", 5, "timed passes per side (each reports its fastest)")
	f.BoolVar(&opt.NoCD, "no-cd", false, "skip the CD-step workload (erg vs PyTorch)")
	f.IntVar(&opt.GoHepEvents, "gohep-events", 20, "events clustered by go-hep (naive N³, slow)")
	peer.register(f, hepbench.PeerScript)
	return cmd
}
