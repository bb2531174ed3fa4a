package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/bench/visionbench"
)

// newBenchVisionCmd returns erg bench vision.
func newBenchVisionCmd() *cobra.Command {
	var (
		only, batches string
		rounds        int
		repeats       int
		scale         float64
		peer          benchPeerFlags
	)
	cmd := &cobra.Command{
		Use:   "vision",
		Short: "LeNet-5 and ResNet-8 training steps and inference passes in erg and in PyTorch",
		Long: `Times the image classifiers of package vision in erg (GoMLX, erg's train.Trainer) and in
PyTorch (the embedded vision.py with Debian's python3-torch, torch.set_num_threads(2)), float32,
28x28x1 images, 10 classes, and prints milliseconds for both and the ratio erg/PyTorch (goal <= 1.5x):
  lenet5_step, resnet8_step    one Adam step (lr 1e-3) on a batch of 64, cross-entropy
  lenet5_infer, resnet8_infer  one inference pass over 10000 images (eval mode), in batches of
                               --infer-batch (several sizes: each side reports its fastest)
Each side runs warm-up iterations, then --rounds timed rounds, and reports its fastest round;
--repeats alternates erg and PyTorch passes to even out a busy machine.`,
		Example: "  erg bench vision\n  erg bench vision --only resnet8_step --rounds 5 --repeats 2 --json\n  erg bench vision --infer-batch 250,500,1000 --only lenet5_infer,resnet8_infer",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := peer.check(); err != nil {
				return err
			}
			if rounds < 1 {
				return flagError("rounds", "%d: must be at least 1", rounds)
			}
			if repeats < 1 {
				return flagError("repeats", "%d: must be at least 1", repeats)
			}
			if !(scale > 0) {
				return flagError("scale", "%v: must be positive", scale)
			}
			var names []string
			for _, n := range strings.Split(only, ",") {
				if n = strings.TrimSpace(n); n != "" {
					ok := false
					for _, w := range visionbench.Names() {
						ok = ok || w == n
					}
					if !ok {
						return flagError("only", "unknown workload %q (have %s)", n, strings.Join(visionbench.Names(), ", "))
					}
					names = append(names, n)
				}
			}
			bs, err := parseInts("infer-batch", batches, 1)
			if err != nil {
				return err
			}
			for _, b := range bs {
				if b > visionbench.InferImages {
					return flagError("infer-batch", "%d: at most %d images", b, visionbench.InferImages)
				}
			}
			rep, err := visionbench.Run(cmd.Context(), visionbench.Options{Backend: backendFlag(cmd), Only: names, Rounds: rounds, Repeats: repeats,
				Scale: scale, InferBatch: bs, NoPeer: peer.noPeer, PeerScript: peer.script})
			if err != nil {
				return err
			}
			return printBenchReport(cmd, rep, &peer)
		},
	}
	f := cmd.Flags()
	f.StringVar(&only, "only", "", "comma-separated workloads ("+strings.Join(visionbench.Names(), ", ")+"; default all)")
	f.IntVar(&rounds, "rounds", 3, "timed rounds per workload and side; the fastest counts")
	f.IntVar(&repeats, "repeats", 1, "alternations of erg and peer passes (each side keeps its fastest)")
	f.Float64Var(&scale, "scale", 1, "multiply warm-up and iteration counts (0.1 for a quick look)")
	f.StringVar(&batches, "infer-batch", "500", "comma-separated inference batch sizes to try")
	peer.register(f, visionbench.PeerScript)
	return cmd
}
