package main

import (
	"github.com/spf13/cobra"

	"github.com/ergml/erg/sweep/sweepbench"
)

// newBenchSweepCmd returns erg bench sweep.
func newBenchSweepCmd() *cobra.Command {
	var cfg sweepbench.Config
	cmd := &cobra.Command{
		Use:   "sweep",
		Short: "cost of a sweep cell on NATS JetStream (enqueue -> result stored) and 1 -> 2 worker scaling",
		Long: `Times package sweep on an embedded NATS server with JetStream, workers over loopback TCP: the
overhead of one no-op cell (publish to result stored, median of --cells; target ≤ 5 ms), the
throughput of --cells no-op cells enqueued at once for two workers, and a grid of --spin-cells
CPU-bound cells of about --spin-ms each run by one worker and then by two (the wall-time ratio
is the speed-up). There is no peer program (peer_error "no peer").`,
		Example: "  erg bench sweep\n  erg bench sweep --cells 500 --json\n  erg bench sweep --spin-cells 4 --spin-ms 100",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := positive(cmd.Flags(), "cells", "spin-cells", "spin-ms"); err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			rep, err := sweepbench.Run(ctx, cfg)
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &benchPeerFlags{})
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Cells, "cells", 200, "no-op cells for the overhead and throughput")
	f.IntVar(&cfg.SpinCells, "spin-cells", 8, "CPU-bound cells of the scaling grid")
	f.IntVar(&cfg.SpinMS, "spin-ms", 200, "about how long one CPU-bound cell runs (ms)")
	return cmd
}
