package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/gomlx/compute"
	"github.com/spf13/cobra"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/hep/jetebm"
)

// hepBackend is the backend of the hep model commands: as ebm's, the pure-Go backend
// with sequential operations unless --backend or $ERG_BACKEND says otherwise.
func hepBackend(cmd *cobra.Command) (compute.Backend, error) {
	if backendFlag(cmd) == "" && os.Getenv("ERG_BACKEND") == "" && os.Getenv(compute.ConfigEnvVar) == "" {
		return backend.New("go:ops_sequential")
	}
	return backend.New(backendFlag(cmd))
}

func hepTrainCmd() *cobra.Command {
	var (
		cfg jetebm.Config
		rf  runFlags
	)
	cmd := &cobra.Command{
		Use:   "train --data qcd.npy --energy mlp|deepsets|transformer",
		Short: "train an energy-based model of QCD jets by contrastive divergence with a replay buffer",
		Long: `Trains an energy E(x) on the jets of --data (erg hep generate) by contrastive divergence:
negatives from --k Langevin steps x ← x + N(0, noise²) − step-size·∇E(x) started from a replay buffer of
--buffer chains (--reinit of them restarted from log pT~N(2,1), η~N(0,.1), φ~N(0,.2)), data noise
--data-noise, loss mean E⁺ − mean E⁻ + alpha·mean(E⁺² + E⁻²), Adam (lr --lr, β1 = 0) with the gradient
norm clipped to --clip. A metered, resumable run directory under --root (resume with --resume).`,
		Example: `  erg hep train --data qcd.npy --energy mlp --steps 2000
  erg hep train --resume hep-mlp`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt := jetebm.Options{Options: rf.options(cmd)}
			if rf.resume != "" {
				if err := rf.checkResume(cmd, "backend", "steps"); err != nil {
					return err
				}
				if cmd.Flags().Changed("steps") {
					opt.Steps = cfg.Steps
				}
			} else {
				cfg.Command = commandLine()
				c := cfg.WithDefaults()
				if err := c.Validate(); err != nil {
					return invalidConfig(err)
				}
			}
			b, err := hepBackend(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			out, err := jetebm.Train(ctx, b, cfg, opt)
			if err != nil {
				return invalidConfig(err)
			}
			res := map[string]any{"run": out.Dir.Path, "steps": out.Train.Steps, "loss": out.Train.Loss,
				"seconds": out.Train.Seconds, "step_ms": out.Train.StepMillis}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d steps, loss %.4g, %.0f s (%.0f ms/step)\n", out.Dir.Path, out.Train.Steps, out.Train.Loss, out.Train.Seconds, out.Train.StepMillis)
			return nil
		},
	}
	f := cmd.Flags()
	rf.register(f, "hep-<energy>")
	f.StringVar(&cfg.Data, "data", "", "training jets: a .npy written by erg hep generate")
	f.IntVar(&cfg.MaxJets, "max-jets", 0, "train on at most this many jets (0: all)")
	f.StringVar(&cfg.Net.Kind, "energy", "mlp", "energy network: "+strings.Join(jetebm.Energies, ", "))
	f.IntVar(&cfg.Net.Layers, "layers", 0, "transformer blocks (0: 2; the paper's 8)")
	f.IntVar(&cfg.Net.Dim, "dim", 0, "transformer dimension (0: 64; the paper's 128)")
	f.IntVar(&cfg.Net.Heads, "heads", 0, "transformer heads (0: 4; the paper's 16)")
	f.IntVar(&cfg.Net.FFN, "ffn", 0, "transformer feed-forward size (0: 128; the paper's 1024)")
	f.IntVar(&cfg.CD.K, "k", 24, "Langevin steps per CD step")
	f.Float64Var(&cfg.CD.StepSize, "step-size", 0.1, "Langevin step size ε (x ← x + N(0,σ²) − ε∇E)")
	f.Float64Var(&cfg.CD.Noise, "noise", 0.005, "Langevin noise σ")
	f.Float64Var(&cfg.CD.DataNoise, "data-noise", 0.005, "noise σ added to the data")
	f.Float64Var(&cfg.CD.Alpha, "alpha", 0.1, "energy-magnitude regulariser α")
	f.IntVar(&cfg.CD.Buffer, "buffer", 10000, "replay buffer size")
	f.Float64Var(&cfg.CD.Reinit, "reinit", 0.05, "fraction of chains re-initialised each step")
	f.IntVar(&cfg.Steps, "steps", 2000, "optimizer steps")
	f.IntVar(&cfg.Batch, "batch", 128, "batch size")
	f.Float64Var(&cfg.LR, "lr", 1e-4, "Adam learning rate (β1 = 0, β2 = 0.999)")
	f.Float64Var(&cfg.Clip, "clip", 0.1, "gradient norm clip")
	f.Uint64Var(&cfg.Seed, "seed", 1, "seed of initialisation, batches and noise")
	f.IntVar(&cfg.CheckpointEvery, "checkpoint-every", 200, "steps between checkpoints")
	return cmd
}
