package main

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/bench/fembench"
)

// newBenchFemCmd returns erg bench fem.
func newBenchFemCmd() *cobra.Command {
	var (
		sizes string
		reps  int
		peer  benchPeerFlags
	)
	cmd := &cobra.Command{
		Use:   "fem",
		Short: "2-D P1 Poisson assemble+solve: erg vs FEniCS (DOLFINx) on the same meshes",
		Long: `Times a warm assemble-and-solve of -div(kappa grad u) = f on the unit square
(n×n, right diagonals, kappa, f, g interpolated into P1) in erg, in-process, and in
FEniCS/DOLFINx via the embedded fem.py run with /usr/bin/python3 (timed inside
Python the same way: median of --reps warm solves). FEniCS uses PETSc CG + ICC(0);
erg is timed with CG + MIC(0) (its default for P1) and with CG + IC(0) (the same
algorithm as PETSc). Both stop at a relative residual of 1e-10.`,
		Example: "  erg bench fem\n  erg bench fem --n 64 --reps 20 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := peer.check(); err != nil {
				return err
			}
			var ns []int
			for _, s := range strings.Split(sizes, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(s))
				if err != nil || n < 1 || n > 2048 {
					return usagef("--n %q: want comma-separated sizes in 1..2048", sizes)
				}
				ns = append(ns, n)
			}
			if reps < 1 {
				return usagef("--reps %d: want at least 1", reps)
			}
			rep, err := fembench.Run(cmd.Context(), fembench.Options{Sizes: ns, Reps: reps,
				NoPeer: peer.noPeer, PeerScript: peer.script})
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &peer)
		},
	}
	f := cmd.Flags()
	f.StringVar(&sizes, "n", "64,256", "comma-separated mesh sizes n (n×n squares)")
	f.IntVar(&reps, "reps", 10, "timed warm solves per workload (median reported)")
	peer.register(f, fembench.PeerScript)
	return cmd
}
