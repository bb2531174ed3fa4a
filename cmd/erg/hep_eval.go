package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/hep/jetebm"
	"github.com/ergml/erg/hep/jetset"
	"github.com/ergml/erg/run"
)

// hepModel loads the model of a run named by arg under root.
func hepModel(cmd *cobra.Command, root, arg string) (*jetebm.Model, *run.Dir, error) {
	rd, err := run.Resolve(root, arg)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	b, err := hepBackend(cmd)
	if err != nil {
		return nil, nil, err
	}
	m, err := jetebm.Load(b, rd)
	if err != nil {
		return nil, nil, err
	}
	return m, rd, nil
}

func hepSampleCmd() *cobra.Command {
	var (
		root, out string
		n, steps  int
		seed      uint64
	)
	cmd := &cobra.Command{
		Use:     "sample RUN -n N",
		Short:   "draw jets from a trained energy by Langevin dynamics from the Gaussian init",
		Long:    "Draws -n jets by --steps Langevin steps (the run's step size and noise) from log pT~N(2,1), η~N(0,.1), φ~N(0,.2) and writes them as a data set (--out, default RUN/samples.npy; F.jets.npy holds their pT, η, φ, mass, multiplicity).",
		Example: "  erg hep sample hep-mlp -n 10000",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 {
				return flagError("n", "%d: must be positive", n)
			}
			if steps < 1 {
				return flagError("steps", "%d: must be positive", steps)
			}
			m, rd, err := hepModel(cmd, root, args[0])
			if err != nil {
				return err
			}
			flat, err := m.Sample(n, steps, seed)
			if err != nil {
				return err
			}
			s := &jetset.Set{Const: make([][jetset.NConst][jetset.NFeat]float32, n), Jets: make([][jetset.NCols]float64, n)}
			for i := range n {
				for k := range jetset.NConst {
					copy(s.Const[i][k][:], flat[(i*jetset.NConst+k)*jetset.NFeat:])
				}
				s.Jets[i] = jetset.Observables(s.Const[i])
			}
			s.Meta = jetset.Meta{Process: "ebm-samples", Jets: n, Seed: int(seed), Command: commandLine(),
				Features: []string{"log_pt", "delta_eta", "delta_phi"}, Columns: []string{"pt", "eta", "phi", "mass", "multiplicity"},
				Generator: fmt.Sprintf("erg hep sample: %d Langevin steps of run %s", steps, rd.Path), Constituent: jetset.NConst}
			if out == "" {
				out = filepath.Join(rd.Path, "samples.npy")
			}
			if err := s.Write(out); err != nil {
				return err
			}
			var mm, pt float64
			for _, j := range s.Jets {
				mm += j[jetset.ColMass] / float64(n)
				pt += j[jetset.ColPt] / float64(n)
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), map[string]any{"out": out, "n": n, "steps": steps, "mean_mass": mm, "mean_pt": pt})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d jets to %s (mean mass %.1f GeV, mean pT %.1f GeV)\n", n, out, mm, pt)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "root", run.DefaultRoot, "directory of run directories")
	f.IntVarP(&n, "n", "n", 10000, "jets to draw")
	f.IntVar(&steps, "steps", 128, "Langevin steps from the Gaussian init")
	f.Uint64Var(&seed, "seed", 1, "seed of the init and the noise")
	f.StringVar(&out, "out", "", "output data set (default RUN/samples.npy)")
	return cmd
}

func hepEvalCmd() *cobra.Command {
	var (
		root, qcd, signal, trainData string
		cfg                          jetebm.EvalConfig
	)
	cmd := &cobra.Command{
		Use:   "eval RUN --qcd qcd_test.npy --signal top.npy,w.npy",
		Short: "anomaly detection AUCs, mass sculpting and generation W1s of a trained energy, with baselines",
		Long: `Scores held-out QCD jets (--qcd) and signal jets (--signal, files whose metadata or name says top
or w) with the energy E: auc_top, auc_w (higher E = more anomalous) against the jet mass alone
(auc_*_mass); sculpt_jsd, the JSD of the QCD mass histogram after keeping the 10% highest E (50 bins on
0-500 GeV, natural log) against a random cut and mass as the score; and draws --samples jets (--steps
Langevin steps from the Gaussian init) for w1_mass, w1_pt against held-out QCD, with a Gaussian fitted to
the training jets (w1_*_gaussian) and two halves of the held-out jets (w1_*_halves) as references. The
--buffer-samples persistent chains of the run's replay buffer are scored too (w1_mass_buffer, w1_pt_buffer).
Writes RUN/eval.json.`,
		Example: "  erg hep eval hep-mlp --qcd qcd_test.npy --signal top.npy,w.npy --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if qcd == "" {
				return flagError("qcd", "is required")
			}
			if err := positive(cmd.Flags(), "samples", "steps"); err != nil {
				return err
			}
			m, rd, err := hepModel(cmd, root, args[0])
			if err != nil {
				return err
			}
			q, err := jetset.Read(qcd)
			if err != nil {
				return invalidConfig(renameField(err, "qcd"))
			}
			sig := map[string]*jetset.Set{}
			for _, p := range strings.Split(signal, ",") {
				if p = strings.TrimSpace(p); p == "" {
					continue
				}
				s, err := jetset.Read(p)
				if err != nil {
					return invalidConfig(renameField(err, "signal"))
				}
				name := s.Meta.Process
				if name != "top" && name != "w" {
					base := strings.ToLower(filepath.Base(p))
					switch {
					case strings.HasPrefix(base, "top"):
						name = "top"
					case strings.HasPrefix(base, "w"):
						name = "w"
					default:
						return flagError("signal", "%s: cannot tell whether it holds top or W jets", p)
					}
				}
				sig[name] = s
			}
			if trainData == "" {
				trainData = m.Config.Data
			}
			tr, err := jetset.Read(trainData)
			if err != nil {
				return invalidConfig(renameField(err, "train-data"))
			}
			ev, err := jetebm.Evaluate(m, q, sig, tr, cfg)
			if err != nil {
				return err
			}
			if err := rd.WriteJSON("eval.json", ev); err != nil {
				return err
			}
			if err := jetebm.WriteHistograms(rd.File("observables.png"), ev); err == nil {
				rd.AddFigure("observables.png", "Jet mass, pT and multiplicity: held-out Pythia QCD jets, EBM samples and the Gaussian baseline.")
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), ev)
			}
			w := cmd.OutOrStdout()
			pr := func(name string, v *float64, base string, bv *float64) {
				if v != nil {
					fmt.Fprintf(w, "%-11s %.4f   (%s %.4f)\n", name, *v, base, *bv)
				}
			}
			pr("auc_top", ev.AUCTop, "jet mass alone", ev.AUCTopMass)
			pr("auc_w", ev.AUCW, "jet mass alone", ev.AUCWMass)
			fmt.Fprintf(w, "sculpt_jsd  %.4f   (random cut %.4f, mass as score %.4f)\n", ev.SculptJSD, ev.SculptJSDRandom, ev.SculptJSDMass)
			fmt.Fprintf(w, "w1_mass     %.2f GeV (Gaussian %.2f, halves %.2f)\n", ev.W1Mass, ev.W1MassGaussian, ev.W1MassHalves)
			fmt.Fprintf(w, "w1_pt       %.2f GeV (Gaussian %.2f, halves %.2f)\n", ev.W1Pt, ev.W1PtGaussian, ev.W1PtHalves)
			if ev.BufferSamples > 0 {
				fmt.Fprintf(w, "buffer      w1_mass %.2f, w1_pt %.2f GeV (%d replay-buffer chains)\n", ev.W1MassBuffer, ev.W1PtBuffer, ev.BufferSamples)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "root", run.DefaultRoot, "directory of run directories")
	f.StringVar(&qcd, "qcd", "", "held-out QCD jets (.npy)")
	f.StringVar(&signal, "signal", "", "comma-separated signal jet files (top, W)")
	f.StringVar(&trainData, "train-data", "", "training jets for the Gaussian baseline (default: the run's --data)")
	f.IntVar(&cfg.Samples, "samples", 10000, "generated jets for the W1 figures (--steps Langevin steps from the Gaussian init)")
	f.IntVar(&cfg.BufferSamples, "buffer-samples", 10000, "jets also taken from the run's replay buffer (w1_*_buffer; negative: none)")
	f.IntVar(&cfg.SampleSteps, "steps", 128, "Langevin steps per generated jet")
	f.Uint64Var(&cfg.Seed, "seed", 1, "seed of sampling and baselines")
	return cmd
}

// renameField makes a data-file error name the flag that gave the file.
func renameField(err error, flag string) error {
	if fe, ok := err.(*run.FieldError); ok {
		c := *fe
		c.Field = flag
		return &c
	}
	return err
}
