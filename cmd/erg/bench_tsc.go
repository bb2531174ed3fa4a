package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/bench/tscbench"
	"github.com/ergml/erg/internal/ergdata"
)

// newBenchTscCmd returns erg bench tsc.
func newBenchTscCmd() *cobra.Command {
	var (
		data   string
		only   string
		warmup int
		epochs int
		peer   benchPeerFlags
	)
	cmd := &cobra.Command{
		Use:   "tsc",
		Short: "FCN and ResNet training epochs on a UCR dataset in erg and in PyTorch",
		Long: `Times training epochs of dl-4-tsc's FCN and ResNet (Ismail Fawaz et al. 2019) on one
dataset (default GunPoint from the shared data) in erg (tsc/deep on GoMLX) and in PyTorch
(the embedded tsc.py with Debian's python3-torch, torch.set_num_threads(2), the same
architectures, batch-size rule min(n/10, 16|64) and Adam), and prints milliseconds per epoch
for both and the ratio erg/PyTorch (goal <= 1.5x).`,
		Example: "  erg bench tsc\n  erg bench tsc --only fcn --epochs 5 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := peer.check(); err != nil {
				return err
			}
			if warmup < 0 || epochs < 1 {
				return usagef("--epochs must be at least 1 and --warmup not negative")
			}
			if data == "" {
				p, err := ergdata.Path("ucr", "GunPoint")
				if err != nil {
					return err
				}
				data = p
			}
			var models []string
			for _, m := range strings.Split(only, ",") {
				if m = strings.TrimSpace(m); m != "" {
					models = append(models, m)
				}
			}
			rep, err := tscbench.Run(cmd.Context(), tscbench.Options{Backend: backendFlag(cmd), Data: data,
				Only: models, Warmup: warmup, Epochs: epochs, NoPeer: peer.noPeer, PeerScript: peer.script})
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &peer)
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "UCR dataset directory (default: GunPoint in the shared data)")
	f.StringVar(&only, "only", "fcn,resnet", "comma-separated models (fcn, resnet)")
	f.IntVar(&warmup, "warmup", 1, "untimed epochs per side")
	f.IntVar(&epochs, "epochs", 3, "timed epochs per side")
	peer.register(f, tscbench.PeerScript)
	return cmd
}
