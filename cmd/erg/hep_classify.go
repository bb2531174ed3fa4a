package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/hep/jetebm"
	"github.com/ergml/erg/run"
)

func hepClassifyCmd() *cobra.Command {
	var (
		cfg    jetebm.ClassifyConfig
		data   string
		unseen string
		rf     runFlags
	)
	cmd := &cobra.Command{
		Use:   "classify --data qcd.npy,w.npy,top.npy --model clf|ebm-clf",
		Short: "jet classifier: plain cross-entropy (clf) or JEM-style hybrid with a CD energy (ebm-clf)",
		Long: `Trains the MLP (or --energy) network with one logit per class of --data (one jet file per class, in
order) on the first jets of each file (at most --per-class) and tests on the last --test fraction:
clf minimises cross-entropy; ebm-clf adds contrastive divergence on E(x) = −logsumexp f(x) (JEM), with
the CD settings of erg hep train. --unseen NAME leaves that class out of training and reports
auc_unseen, the AUC of detecting its test jets among the trained classes' test jets with E(x)
(ebm-clf) or −max softmax (clf).`,
		Example: `  erg hep classify --data qcd.npy,w.npy,top.npy --model clf --json
  erg hep classify --data qcd.npy,w.npy,top.npy --model ebm-clf --unseen top --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Data = nil
			for _, p := range strings.Split(data, ",") {
				if p = strings.TrimSpace(p); p != "" {
					cfg.Data = append(cfg.Data, p)
					cfg.Names = append(cfg.Names, strings.TrimSuffix(filepath.Base(p), ".npy"))
				}
			}
			cfg.Unseen = -1
			if unseen != "" {
				for k, n := range cfg.Names {
					if n == unseen || strings.HasPrefix(n, unseen) {
						cfg.Unseen = k
					}
				}
				if cfg.Unseen < 0 {
					return flagError("unseen", "%q is not one of the classes %s", unseen, strings.Join(cfg.Names, ", "))
				}
			}
			cfg.Command = commandLine()
			if err := cfg.WithDefaults().Validate(); err != nil {
				return invalidConfig(err)
			}
			b, err := hepBackend(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			res, err := jetebm.Classify(ctx, b, cfg, rf.options(cmd))
			if err != nil {
				return invalidConfig(err)
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: accuracy %.4f on %d test jets %v", res.Model, res.Acc, res.TestJets, res.PerClass)
			if res.AUCUnseen != nil {
				fmt.Fprintf(cmd.OutOrStdout(), ", unseen-class AUC %.4f (%s)", *res.AUCUnseen, res.ScoreUnseen)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\n%s\n", res.Run)
			return nil
		},
	}
	f := cmd.Flags()
	rf.register(f, "hep-classify-<model>")
	f.StringVar(&data, "data", "", "comma-separated jet files, one per class")
	f.StringVar(&cfg.Model, "model", "clf", "clf (cross-entropy) or ebm-clf (JEM: cross-entropy + CD on −logsumexp)")
	f.StringVar(&unseen, "unseen", "", "leave this class out of training and detect it")
	f.StringVar(&cfg.Net.Kind, "energy", "mlp", "network: mlp, deepsets or transformer")
	f.IntVar(&cfg.PerClass, "per-class", 4000, "training jets per class")
	f.Float64Var(&cfg.Test, "test", 0.2, "fraction of each file held out for testing")
	f.IntVar(&cfg.Steps, "steps", 600, "optimizer steps")
	f.IntVar(&cfg.Batch, "batch", 128, "batch size")
	f.Float64Var(&cfg.LR, "lr", 1e-4, "Adam learning rate (β1 = 0)")
	f.IntVar(&cfg.CD.K, "k", 24, "Langevin steps per CD step (ebm-clf)")
	f.Uint64Var(&cfg.Seed, "seed", 1, "seed")
	return cmd
}

var _ = run.DefaultRoot
