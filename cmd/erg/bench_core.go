package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/bench/core"
)

// newBenchCoreCmd returns erg bench core.
func newBenchCoreCmd() *cobra.Command {
	var (
		only    string
		rounds  int
		repeats int
		scale   float64
		peer    benchPeerFlags
	)
	cmd := &cobra.Command{
		Use:   "core",
		Short: "MLP and FCN training steps (Adam, float32) in erg and in PyTorch",
		Long: `Times two training steps in erg (GoMLX, package nn) and in PyTorch (Debian's
python3-torch, torch.set_num_threads(2)) in one invocation and prints milliseconds per
step for both and the ratio erg/peer:
  mlp  MLP 2-128-128-1, batch 256, mean squared error
  fcn  FCN of Wang et al. (2017): conv 128k8/256k5/128k3 + batch norm + ReLU, global
       average pooling, batch 16, length 150, cross-entropy
Each side runs warm-up steps, then --rounds timed rounds, and reports its fastest round;
--repeats alternates erg and PyTorch passes to even out a busy machine. Without
python3-torch only erg's figures are printed, unless --require-peer.`,
		Example: "  erg bench core\n  erg bench core --only fcn --repeats 3 --json\n  erg bench core --scale 0.1 --no-peer",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := peer.check(); err != nil {
				return err
			}
			if rounds < 1 || repeats < 1 || scale <= 0 {
				return usagef("--rounds and --repeats must be at least 1 and --scale positive")
			}
			var names []string
			for _, n := range strings.Split(only, ",") {
				if n = strings.TrimSpace(n); n != "" {
					if n != "mlp" && n != "fcn" {
						return usagef("--only: unknown workload %q (have mlp, fcn)", n)
					}
					names = append(names, n)
				}
			}
			rep, err := core.Run(cmd.Context(), core.Options{
				Backend: backendFlag(cmd), Only: names, Rounds: rounds, Repeats: repeats, Scale: scale,
				NoPeer: peer.noPeer, PeerScript: peer.script,
			})
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &peer)
		},
	}
	f := cmd.Flags()
	f.StringVar(&only, "only", "", "comma-separated workloads to run (mlp, fcn; default both)")
	f.IntVar(&rounds, "rounds", 3, "timed rounds per workload and side; the fastest counts")
	f.IntVar(&repeats, "repeats", 1, "alternations of erg and peer passes")
	f.Float64Var(&scale, "scale", 1, "multiply warm-up and step counts (0.1 for a quick look)")
	peer.register(f, core.PeerScript)
	return cmd
}
