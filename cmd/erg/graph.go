package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/baseline"
	"github.com/ergml/erg/graphgen/dataset"
	"github.com/ergml/erg/graphgen/draw"
	"github.com/ergml/erg/graphgen/eval"
	"github.com/ergml/erg/graphgen/graphrnn"
	"github.com/ergml/erg/graphgen/gt"
	"github.com/ergml/erg/graphgen/orbit"
	"github.com/ergml/erg/run"
	"github.com/spf13/cobra"
)

// newGraphCmd returns the graph command group.
func newGraphCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "graph",
		Short: "graph generation benchmark: data sets, E-R/B-A/SBM, GraphRNN, GRAN, MMD metrics",
		Long: `The graph generation benchmark of GraphRNN, GRAN and SPECTRE: data sets made from a seed, baseline
models fitted per training graph, and the published metrics (degree/clustering/orbit/spectral MMD under
GraphRNN's Gaussian-EMD or GRAN's Gaussian-TV kernels; validity, uniqueness, novelty). Graph sets are graph6
files (networkx.read_graph6 reads them).`,
		Example: `  erg graph data --set grid --seed 1 --out grid
  erg graph train --set grid --model er --seed 1 --name grid-er
  erg graph sample grid-er --n 200 --out grid-er.g6
  erg graph eval --ref grid/test.g6 --gen grid-er.g6 --kernel both --json
  erg graph train --set community-small --model graphrnn-s --seed 1 --name cs-grnn-s
  erg graph sample cs-grnn-s --n 200 --out cs-grnn-s.g6
  erg graph orbits /usr/lib/python3/dist-packages/graph_tool/collection/karate.gt.gz`,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(graphDataCmd(), graphTrainCmd(), graphSampleCmd(), graphEvalCmd(), graphOrbitsCmd())
	return c
}

// loadGraphs reads a graph set: a graph6 file, a directory holding test.g6,
// or one .gt/.gt.gz graph. Warnings go to warn.
func loadGraphs(path, flag string, warn func(string)) ([]*graphgen.Graph, error) {
	st, err := os.Stat(path)
	if err != nil {
		if flag == "" {
			return nil, usageError{msg: err.Error(), file: path}
		}
		return nil, flagError(flag, "%v", err)
	}
	if st.IsDir() {
		path = filepath.Join(path, baseline.TestFile)
	}
	if strings.HasSuffix(path, ".gt") || strings.HasSuffix(path, ".gt.gz") {
		f, err := gt.ReadFile(path)
		if err != nil {
			return nil, usageError{msg: err.Error(), field: flag, file: path}
		}
		for _, w := range f.Warnings() {
			warn(path + ": " + w)
		}
		return []*graphgen.Graph{f.Graph}, nil
	}
	gs, err := graphgen.LoadSet(path)
	if err != nil {
		return nil, usageError{msg: err.Error(), field: flag, file: path}
	}
	if len(gs) == 0 {
		return nil, usageError{msg: path + ": empty set of graphs", field: flag, file: path}
	}
	return gs, nil
}

func graphDataCmd() *cobra.Command {
	var (
		set, out, split string
		seed            uint64
	)
	cmd := &cobra.Command{
		Use:   "data --set NAME --out DIR",
		Short: "make a data set from a seed and write its splits as graph6 files",
		Long: `Makes --set (` + strings.Join(dataset.Names, ", ") + `) from --seed and writes DIR/all.g6 and its
published split: DIR/train.g6, DIR/test.g6 and, for SPECTRE's split, DIR/val.g6. --split graphrnn is
GraphRNN's 80/20, spectre SPECTRE's 128/32/40 (of 200); the default is the set's published one (spectre for
sbm and planar). ego and ego-small are ego nets of hep-th from graph-tool's collection
(python3-graph-tool).`,
		Example: `  erg graph data --set grid --seed 1 --out grid
  erg graph data --set planar --seed 1 --out planar --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(dataset.Names, set) {
				return flagError("set", "%q: must be one of %s", set, strings.Join(dataset.Names, ", "))
			}
			if out == "" {
				return flagError("out", "a directory is required")
			}
			if split == "" {
				split = dataset.DefaultScheme(set)
			}
			if split != "graphrnn" && split != "spectre" {
				return flagError("split", "%q: graphrnn or spectre", split)
			}
			s, err := dataset.Make(set, seed)
			if err != nil {
				return err
			}
			sp, _ := dataset.SplitSet(s.Graphs, split, seed)
			files := map[string][]*graphgen.Graph{"all.g6": s.Graphs, "train.g6": sp.Train, "test.g6": sp.Test}
			if split == "spectre" {
				files["val.g6"] = sp.Val
			}
			for name, gs := range files {
				if err := graphgen.SaveSet(filepath.Join(out, name), gs); err != nil {
					return err
				}
			}
			res := map[string]any{"set": set, "seed": seed, "split": split, "dir": out,
				"n": len(s.Graphs), "n_train": len(sp.Train), "n_val": len(sp.Val), "n_test": len(sp.Test)}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s seed %d: %d graphs, split %s %d/%d/%d (train/val/test) in %s\n",
				set, seed, len(s.Graphs), split, len(sp.Train), len(sp.Val), len(sp.Test), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&set, "set", "grid", "data set: "+strings.Join(dataset.Names, ", "))
	f.Uint64Var(&seed, "seed", 1, "seed of the data set and its split")
	f.StringVar(&out, "out", "", "output directory")
	f.StringVar(&split, "split", "", "graphrnn (80/20) or spectre (128/32/40); default: the set's published split")
	return cmd
}

func graphTrainCmd() *cobra.Command {
	var (
		cfg baseline.Config
		rc  graphrnn.Config
		rf  runFlags
	)
	cmd := &cobra.Command{
		Use:   "train --set NAME --model er|ba|sbm|graphrnn-s|graphrnn",
		Short: "fit a baseline or train GraphRNN on a data set's training graphs in a run directory",
		Long: `Fits --model to every training graph of --set (made from --seed and split as published, or the
train.g6/test.g6 of --data DIR), as GraphRNN's baselines.py: er p = E/C(n,2); ba m = ⌊(n−√(n²−4E))/2⌋; sbm
block sizes and densities of our block fit. graphrnn-s and graphrnn train GraphRNN-S (graph-level GRU, MLP
edge output) and GraphRNN (graph-level and edge-level GRUs) on random BFS orderings: 4 GRU layers, hidden
128 (64 on *-small sets), M (--max-prev-node) 40 on grid, 20 on community-small, 15 on ego-small, else
estimated; Adam --lr 0.003, batches of 32, --epochs of 32 batches (GraphRNN trains 3000; the default 100 is
scaled to two cores), cosine decay to 0.09·lr (GraphRNN's ×0.3 at steps 400 and 1000). A GraphRNN run is
checkpointed and --resume continues it. The run directory (--root/<time>-<set>-<model>, or --name) holds
config.json, model.json, train.g6, test.g6, energy.json, summary.json and report.html (and GraphRNN's
metrics.jsonl and checkpoint.ergckpt). GRAN is not built yet.`,
		Example: `  erg graph train --set grid --model er --seed 1
  erg graph train --set community-small --model ba --seed 2 --name cs-ba --json
  erg graph train --set community-small --model graphrnn-s --seed 1 --name cs-grnn-s
  erg graph train --resume cs-grnn-s --epochs 200`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := positive(cmd.Flags(), "epochs", "steps", "batch", "lr", "max-prev-node", "hidden", "layers"); err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			if slices.Contains(graphrnn.Kinds, cfg.Model) || rf.resume != "" && graphrnn.IsRun(resolvePath(rf.root, rf.resume)) {
				rc.Set, rc.Model, rc.Seed, rc.Data, rc.Backend = cfg.Set, cfg.Model, cfg.Seed, cfg.Data, backendFlag(cmd)
				rc.Command = commandLine()
				opt := rf.options(cmd)
				var override func(*graphrnn.Config)
				if rf.resume != "" {
					// a resumption may extend the run: --epochs or --steps, if given
					epochs, steps := rc.Epochs, rc.Steps
					changedE, changedS := cmd.Flags().Changed("epochs"), cmd.Flags().Changed("steps")
					rc = graphrnn.Config{} // everything else comes from the run's config.json
					override = func(c *graphrnn.Config) {
						if changedE {
							c.Epochs, c.Steps = epochs, 0
						}
						if changedS {
							c.Steps = steps
						}
					}
				}
				out, err := graphrnn.Train(ctx, rc, opt, override)
				if err != nil {
					return invalidConfig(err)
				}
				if jsonOutput(cmd) {
					return writeJSON(cmd.OutOrStdout(), out)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s trained on %d %s training graphs (%d test graphs): %d steps, loss %.4g, %.1f s (%.1f ms/step), %d parameters\nrun directory %s (report %s)\n",
					out.Model, out.NTrain, out.Set, out.NTest, out.Steps, out.Loss, out.Seconds, out.StepMillis, out.Params, out.Dir, filepath.Base(out.Report))
				return nil
			}
			if rf.resume != "" {
				return flagError("resume", "baseline fits are not resumable (they take well under a second): start a new run")
			}
			cfg.Command = commandLine()
			out, err := baseline.Train(ctx, cfg, rf.options(cmd))
			if err != nil {
				return invalidConfig(err)
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s fitted to %d %s training graphs (%d test graphs) in %.2f s\nrun directory %s (report %s)\n",
				out.Model, out.NTrain, out.Set, out.NTest, out.Seconds, out.Dir, filepath.Base(out.Report))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Set, "set", "grid", "data set: "+strings.Join(dataset.Names, ", "))
	f.StringVar(&cfg.Model, "model", "er", "model: er, ba, sbm, graphrnn-s, graphrnn")
	f.Uint64Var(&cfg.Seed, "seed", 1, "seed of the data set and its split (and of GraphRNN's orderings and initialisation)")
	f.StringVar(&cfg.Data, "data", "", "directory with train.g6 and test.g6 (erg graph data) instead of making --set")
	f.IntVar(&rc.Epochs, "epochs", graphrnn.DefaultEpochs, "GraphRNN: epochs of 32 batches (GraphRNN's recipe: 3000)")
	f.IntVar(&rc.Steps, "steps", 0, "GraphRNN: optimizer steps (overrides --epochs)")
	f.IntVar(&rc.Batch, "batch", graphrnn.DefaultBatch, "GraphRNN: graphs per step")
	f.Float64Var(&rc.LR, "lr", graphrnn.DefaultLR, "GraphRNN: Adam learning rate")
	f.IntVar(&rc.MaxPrev, "max-prev-node", 0, "GraphRNN: M, the adjacency vectors' length (0: the set's, or estimated)")
	f.IntVar(&rc.Hidden, "hidden", 0, "GraphRNN: graph-level GRU state size (0: 128, 64 on *-small sets)")
	f.IntVar(&rc.Layers, "layers", graphrnn.DefaultLayers, "GraphRNN: stacked GRU layers")
	rf.register(f, "<set>-<model>")
	return cmd
}

// resolvePath returns the directory a run reference names, or ref itself.
func resolvePath(root, ref string) string {
	if d, err := run.Resolve(root, ref); err == nil {
		return d.Path
	}
	return ref
}

func graphSampleCmd() *cobra.Command {
	var (
		n, sampleTime int
		seed          uint64
		out, root     string
	)
	cmd := &cobra.Command{
		Use:   "sample RUN --n 200 --out FILE",
		Short: "draw graphs from a trained model and write them as a graph6 file",
		Long: `Draws --n graphs from the model of run directory RUN (or a unique part of its name under --root):
graph i from the parameters of training graph i mod the number of training graphs, as GraphRNN's baselines;
a GraphRNN run generates autoregressively (Bernoulli edges, a graph ends at its first all-zero adjacency
vector or at the largest training graph's size; --sample-time K draws an all-zero vector of GraphRNN-S again,
up to K times in all, as GraphRNN's sample_time) from its last checkpoint. Writes --out (default
RUN/sample.g6) atomically.`,
		Example: `  erg graph sample grid-er --n 200 --out grid-er.g6
  erg graph sample grid-er --n 40 --seed 3 --json
  erg graph sample cs-grnn-s --n 200 --sample-time 2 --out cs-grnn-s-t2.g6`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := positive(cmd.Flags(), "n", "sample-time"); err != nil {
				return err
			}
			if n <= 0 {
				return flagError("n", "%d: must be positive", n)
			}
			d, err := run.Resolve(root, args[0])
			if err != nil {
				return usagef("%v", err)
			}
			sampleRun := baseline.SampleRun
			if graphrnn.IsRun(d.Path) {
				sampleRun = func(dir string, n int, seed uint64) ([]*graphgen.Graph, error) {
					return graphrnn.SampleRunWith(dir, n, seed, sampleTime)
				}
			} else if cmd.Flags().Changed("sample-time") {
				return flagError("sample-time", "only GraphRNN runs take it")
			}
			gs, err := sampleRun(d.Path, n, seed)
			if err != nil {
				return usageError{msg: err.Error(), file: filepath.Join(d.Path, baseline.ModelFile)}
			}
			if out == "" {
				out = filepath.Join(d.Path, "sample.g6")
			}
			if err := graphgen.SaveSet(out, gs); err != nil {
				return err
			}
			empty := 0
			for _, g := range gs {
				if g.N() == 0 {
					empty++
				}
			}
			res := map[string]any{"run": d.Path, "n": len(gs), "empty": empty, "out": out, "seed": seed}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d graphs (%d empty) from %s written to %s\n", len(gs), empty, d.Path, out)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&n, "n", 200, "number of graphs")
	f.Uint64Var(&seed, "seed", 1, "seed of the sampler")
	f.StringVar(&out, "out", "", "output graph6 file (default RUN/sample.g6)")
	f.StringVar(&root, "root", run.DefaultRoot, "directory of run directories")
	f.IntVar(&sampleTime, "sample-time", 1, "GraphRNN-S: draw an all-zero (graph-ending) adjacency vector again up to this many times in all (GraphRNN's sample_time)")
	return cmd
}

func graphEvalCmd() *cobra.Command {
	var (
		ref, gen, train, kernel, valid, plotFile string
		sweep                                    bool
	)
	cmd := &cobra.Command{
		Use:   "eval --ref FILE --gen FILE",
		Short: "MMD of degree, clustering, orbit and spectral descriptors, and V.U.N., between two graph sets",
		Long: `Compares --gen with --ref (graph6 files, or directories holding test.g6): MMD² (biased V-statistic)
of the degree, clustering, orbit and spectral descriptors under GraphRNN's kernels (Gaussian-EMD σ 1 degree,
σ 0.1 with distance scale 100 clustering, L2 Gaussian σ 30 orbits) and/or GRAN's (Gaussian-TV σ 1, 0.1, 30,
1). --sigma-sweep also evaluates at σ×{0.1, 0.3, 1, 3, 10}. --valid SET applies that set's validity rule
(planar, sbm, lobster, grid); --train FILE gives novelty and V.U.N. (SPECTRE's definitions; isomorphism by
WL hash and exact matching). Empty generated graphs are dropped from the MMDs and counted. --plot FILE draws
4 reference graphs above 4 generated ones (spring layout).`,
		Example: `  erg graph eval --ref grid/test.g6 --gen grid-er.g6 --kernel both --json
  erg graph eval --ref planar/test.g6 --gen planar-er.g6 --train planar/train.g6 --valid planar
  erg graph eval --ref grid --gen grid-ba.g6 --kernel graphrnn --sigma-sweep --plot grid-ba.png`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var kernels []string
			switch kernel {
			case "both":
				kernels = eval.KernelNames
			case "graphrnn", "gran":
				kernels = []string{kernel}
			default:
				return flagError("kernel", "%q: graphrnn, gran or both", kernel)
			}
			if ref == "" {
				return flagError("ref", "a reference set is required")
			}
			if gen == "" {
				return flagError("gen", "a generated set is required")
			}
			warn := func(s string) { fmt.Fprintln(cmd.ErrOrStderr(), "warning:", s) }
			rs, err := loadGraphs(ref, "ref", warn)
			if err != nil {
				return err
			}
			gs, err := loadGraphs(gen, "gen", warn)
			if err != nil {
				return err
			}
			opt := eval.Options{Kernels: kernels, SigmaSweep: sweep, Validity: valid}
			if train != "" {
				if opt.Train, err = loadGraphs(train, "train", warn); err != nil {
					return err
				}
			}
			if valid != "" {
				if _, err := eval.Validity(valid); err != nil {
					return flagError("valid", "%v", err)
				}
			}
			res, err := eval.Evaluate(rs, gs, opt)
			if err != nil {
				return usagef("%v", err)
			}
			if plotFile != "" {
				if err := draw.SaveSets(plotFile, rs, gs, 4, 1); err != nil {
					return err
				}
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%d reference, %d generated graphs (%d empty, dropped); %.2f s\n", res.NRef, res.NGen, res.EmptyGen, res.Seconds)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "descriptor\tkernel\tkernel function\tσ\tMMD²\t")
			for _, d := range eval.DescriptorNames {
				for _, k := range kernels {
					s := res.Kernels[d][k]
					fmt.Fprintf(tw, "%s\t%s\t%s\t%g\t%.6g\t\n", d, k, s.Kernel, s.Sigma, res.MMD[d][k])
				}
			}
			tw.Flush()
			if res.Sweep != nil {
				fmt.Fprintf(w, "σ sweep (σ × %v):\n", eval.SweepScales)
				for _, d := range eval.DescriptorNames {
					for _, k := range kernels {
						fmt.Fprintf(w, "  %s/%s: %.4g\n", d, k, res.Sweep[d][k])
					}
				}
			}
			if v := res.VUN; v != nil {
				fmt.Fprintf(w, "unique %.4f", v.Unique)
				if v.Valid != nil {
					fmt.Fprintf(w, "  valid (%s) %.4f", v.Rule, *v.Valid)
				}
				if v.Novel != nil {
					fmt.Fprintf(w, "  novel %.4f", *v.Novel)
				}
				if v.VUN != nil {
					fmt.Fprintf(w, "  V.U.N. %.4f", *v.VUN)
				}
				fmt.Fprintln(w)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&ref, "ref", "", "reference graphs (graph6 file, or a directory with test.g6)")
	f.StringVar(&gen, "gen", "", "generated graphs (graph6 file)")
	f.StringVar(&train, "train", "", "training graphs for novelty and V.U.N. (graph6 file)")
	f.StringVar(&kernel, "kernel", "both", "graphrnn, gran or both")
	f.StringVar(&valid, "valid", "", "validity rule: planar, sbm, lobster, grid")
	f.BoolVar(&sweep, "sigma-sweep", false, "also evaluate at σ × {0.1, 0.3, 1, 3, 10}")
	f.StringVar(&plotFile, "plot", "", "also draw 4 reference graphs beside 4 generated ones to this .png/.svg/.pdf")
	return cmd
}

func graphOrbitsCmd() *cobra.Command {
	var perNode bool
	cmd := &cobra.Command{
		Use:   "orbits FILE",
		Short: "count the 15 node orbits of 2–4-node graphlets (ORCA numbering) of a graph or graph set",
		Long: `Counts, for every node, the 15 orbits of the connected graphlets on 2–4 nodes (ORCA's numbering,
the counts GraphRNN's and GRAN's orbit MMD use) of FILE: a .gt/.gt.gz graph (graph-tool's format; a directed
graph is symmetrised, self-loops dropped, multi-edges collapsed, each with a warning) or a graph6 set. Prints
the totals over nodes (and over graphs) and the time; --per-node adds every node's counts to --json.`,
		Example: `  erg graph orbits /usr/lib/python3/dist-packages/graph_tool/collection/karate.gt.gz
  erg graph orbits grid/test.g6 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			warn := func(s string) { fmt.Fprintln(cmd.ErrOrStderr(), "warning:", s) }
			gs, err := loadGraphs(args[0], "", warn)
			if err != nil {
				return err
			}
			t0 := time.Now()
			var tot [orbit.NumOrbits]int64
			var nodes [][orbit.NumOrbits]int64
			n, m := 0, 0
			for _, g := range gs {
				c := orbit.Count(g)
				t := orbit.Totals(c)
				for k := range tot {
					tot[k] += t[k]
				}
				if perNode {
					nodes = append(nodes, c...)
				}
				n += g.N()
				m += g.M()
			}
			secs := time.Since(t0).Seconds()
			res := map[string]any{"file": args[0], "graphs": len(gs), "nodes": n, "edges": m, "totals": tot, "seconds": secs}
			if perNode {
				res["per_node"] = nodes
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: %d graphs, %d nodes, %d edges; %.4f s\n", args[0], len(gs), n, m, secs)
			fmt.Fprintf(w, "orbit totals 0-14: %v\n", strings.Trim(fmt.Sprint(tot), "[]"))
			if n > 0 {
				fmt.Fprintf(w, "per node:          ")
				for _, v := range tot {
					fmt.Fprintf(w, "%.4g ", float64(v)/float64(n))
				}
				fmt.Fprintln(w)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&perNode, "per-node", false, "include every node's 15 counts (with --json)")
	return cmd
}
