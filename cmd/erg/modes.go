package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/modes"
	"github.com/ergml/erg/modes/bts"
	"github.com/ergml/erg/modes/casestudy"
	"github.com/ergml/erg/modes/kde"
	"github.com/ergml/erg/modes/mixture"
	"github.com/ergml/erg/modes/modeplot"
	"github.com/ergml/erg/modes/modetest"
	"github.com/ergml/erg/modes/rdata"
	"github.com/ergml/erg/modes/simstudy"
)

// modes command group: number of modes of a univariate density.

// modesFlags are the flags of the modes commands (one value per invocation).
type modesFlags struct {
	column  string
	method  string
	k       int
	kmax    int
	alpha   float64
	B       int
	seed    uint64
	workers int
	plot    string
	bw      string
	grid    int
	dipSim  bool

	priorModes    string
	kdeKmax       int
	simB, caseB   int
	testDipSim    bool
	chains, draws int
	out           string
	reps          int
	ns, dens      string
	methods       string
}

// newModesCmd returns the modes command group.
func newModesCmd() *cobra.Command {
	modesFl := &modesFlags{}
	modesCmd := &cobra.Command{
		Use:   "modes",
		Short: "number of modes of a univariate density: KDE, mode tests, Bayesian estimates",
		Long: `Estimate and test the number of modes of a univariate density from a CSV column.
Methods: silverman (critical bandwidth test), hy (Silverman with Hall-York calibration),
dip (Hartigan's dip test), acr (excess-mass test), bayes (Bayesian taut splines),
mixture (sparse finite Gaussian mixture).`,
		Example: "  erg modes estimate galaxies.csv --column velocity --method bayes\n  erg modes test faithful.csv --column eruptions --k 2 --method acr\n  erg modes simulate --n 200 --reps 50",
	}
	addData := func(c *cobra.Command) {
		c.Flags().StringVar(&modesFl.column, "column", "", "column name or 1-based position (default: the first)")
		c.Flags().IntVar(&modesFl.B, "B", 500, "bootstrap resamples (tests) or simulated uniform samples (dip)")
		c.Flags().Uint64Var(&modesFl.seed, "seed", 1, "random seed")
		c.Flags().IntVar(&modesFl.workers, "workers", 0, "parallel workers (0: GOMAXPROCS); results do not depend on it")
		c.Flags().IntVar(&modesFl.grid, "grid", 1024, "KDE grid points for counting modes")
	}

	estimate := &cobra.Command{
		Use:     "estimate FILE.csv",
		Short:   "estimate the number of modes (and their locations) of a CSV column",
		Example: "  erg modes estimate data.csv --column x --method silverman --alpha 0.05\n  erg modes estimate data.csv --column x --method bayes --plot out/",
		Args:    cobra.ExactArgs(1),
		RunE:    modesFl.runModesEstimate,
	}
	addData(estimate)
	estimate.Flags().StringVar(&modesFl.method, "method", "silverman", "silverman|hy|dip|acr|bayes|mixture")
	estimate.Flags().IntVar(&modesFl.kmax, "kmax", 10, "largest number of modes considered")
	estimate.Flags().Float64Var(&modesFl.alpha, "alpha", 0.05, "level of the sequential tests")
	estimate.Flags().StringVar(&modesFl.plot, "plot", "", "directory for PNG figures (density with modes, posterior)")
	estimate.Flags().BoolVar(&modesFl.dipSim, "dip-simulate", true, "dip: simulate the p-value with B uniform samples (false: table)")
	estimate.Flags().StringVar(&modesFl.priorModes, "prior-modes", "", "bayes: prior P(k modes) for k=1,2,... as comma-separated weights, or geo:R for P(k) ∝ R^(k-1) (default: the prior the smoothing prior induces)")
	estimate.Flags().IntVar(&modesFl.chains, "chains", 4, "bayes/mixture: MCMC chains")
	estimate.Flags().IntVar(&modesFl.draws, "draws", 0, "bayes: draws per chain after burn-in (0: 400); mixture: iterations (0: 2000)")
	modesCmd.AddCommand(estimate)

	test := &cobra.Command{
		Use:     "test FILE.csv",
		Short:   "test H0: k modes against more (bootstrap p-value)",
		Example: "  erg modes test data.csv --column x --k 1 --method dip\n  erg modes test data.csv --k 2 --method silverman --B 1000 --json",
		Args:    cobra.ExactArgs(1),
		RunE:    modesFl.runModesTest,
	}
	addData(test)
	test.Flags().StringVar(&modesFl.method, "method", "silverman", "silverman|hy|dip|acr")
	test.Flags().IntVar(&modesFl.k, "k", 1, "number of modes under H0")
	test.Flags().Float64Var(&modesFl.alpha, "alpha", 0.05, "level for the Hall-York calibration")
	test.Flags().BoolVar(&modesFl.testDipSim, "dip-simulate", false, "dip: simulate the p-value with B uniform samples (default: table as R's dip.test)")
	modesCmd.AddCommand(test)

	kdeC := &cobra.Command{
		Use:     "kde FILE.csv",
		Short:   "kernel density estimate: bandwidths, modes and antimodes, mode tree",
		Example: "  erg modes kde data.csv --column x --bw sj\n  erg modes kde data.csv --bw crit:3 --plot out/",
		Args:    cobra.ExactArgs(1),
		RunE:    modesFl.runModesKDE,
	}
	addData(kdeC)
	kdeC.Flags().StringVar(&modesFl.bw, "bw", "silverman", "silverman|sj|scott|crit:K|<number>")
	kdeC.Flags().IntVar(&modesFl.kdeKmax, "kmax", 5, "critical bandwidths h_1..h_kmax to report")
	kdeC.Flags().StringVar(&modesFl.plot, "plot", "", "directory for density.png and modetree.png")
	modesCmd.AddCommand(kdeC)

	modesFl.addModesExtra(modesCmd)
	return modesCmd
}

func (modesFl *modesFlags) modesConfig() modetest.Config {
	return modetest.Config{B: modesFl.B, Seed: modesFl.seed, Workers: modesFl.workers,
		Grid: kde.Grid{N: modesFl.grid}, Alpha: modesFl.alpha, DipTable: !modesFl.dipSim}
}

func (modesFl *modesFlags) readModesData(path string) ([]float64, error) {
	if modesFl.B < 1 {
		return nil, usagef("--B %d: want at least 1", modesFl.B)
	}
	if modesFl.grid < 64 {
		return nil, usagef("--grid %d: want at least 64", modesFl.grid)
	}
	return modes.ReadCSV(path, modesFl.column)
}

func parseTestMethod(s string) (modetest.Method, error) {
	switch m := modetest.Method(strings.ToLower(s)); m {
	case modetest.MethodSilverman, modetest.MethodHallYork, modetest.MethodDip, modetest.MethodACR:
		return m, nil
	}
	return "", usagef("--method %q: want silverman, hy, dip or acr", s)
}

func (modesFl *modesFlags) runModesTest(cmd *cobra.Command, args []string) error {
	m, err := parseTestMethod(modesFl.method)
	if err != nil {
		return err
	}
	if modesFl.k < 1 {
		return usagef("--k %d: want at least 1", modesFl.k)
	}
	if m == modetest.MethodDip && modesFl.k != 1 {
		return usagef("--k %d: the dip test only tests unimodality (k = 1)", modesFl.k)
	}
	x, err := modesFl.readModesData(args[0])
	if err != nil {
		return err
	}
	cfg := modesFl.modesConfig()
	cfg.DipTable = !modesFl.testDipSim
	r, err := modetest.Test(m, x, modesFl.k, cfg)
	if err != nil {
		return err
	}
	out := modesTestOut{File: args[0], Column: modesFl.column, N: len(x), Test: r, Seed: modesFl.seed}
	if jsonOutput(cmd) {
		return writeJSON(cmd.OutOrStdout(), out)
	}
	fmt.Printf("%s: %d values\n", args[0], len(x))
	fmt.Printf("%s test of H0: %d mode(s) vs more\n", r.Method, r.K)
	fmt.Printf("  %s = %.6g\n  p-value = %.4f", r.Name, r.Statistic, r.PValue)
	if r.B > 0 {
		fmt.Printf("  (B = %d, seed %d)", r.B, modesFl.seed)
	}
	fmt.Println()
	return nil
}

// modesLocations returns mode and antimode locations of the KDE at the critical
// bandwidth h_k.
func (modesFl *modesFlags) modesLocations(x []float64, k int) (h float64, ms, as []float64, est *kde.Estimate) {
	// the grid that counted the modes, so that h_k shows exactly k
	g := kde.Grid{N: modesFl.grid}
	h = kde.CriticalBandwidth(x, k, kde.CritConfig{Grid: g})
	est = kde.Density(x, h, g)
	for _, e := range modes.Extrema(est.X, est.Y) {
		if e.Mode {
			ms = append(ms, e.X)
		} else {
			as = append(as, e.X)
		}
	}
	return h, ms, as, est
}

func (modesFl *modesFlags) runModesEstimate(cmd *cobra.Command, args []string) error {
	method := strings.ToLower(modesFl.method)
	if modesFl.kmax < 1 || modesFl.kmax > 50 {
		return usagef("--kmax %d: want 1..50", modesFl.kmax)
	}
	if !(modesFl.alpha > 0 && modesFl.alpha < 1) {
		return usagef("--alpha %g: want 0 < alpha < 1", modesFl.alpha)
	}
	if method == "bayes" || method == "mixture" {
		return modesFl.runModesBayes(cmd, args, method)
	}
	m, err := parseTestMethod(method)
	if err != nil {
		return usagef("--method %q: want silverman, hy, dip, acr, bayes or mixture", modesFl.method)
	}
	x, err := modesFl.readModesData(args[0])
	if err != nil {
		return err
	}
	e, err := modetest.EstimateModes(m, x, modesFl.kmax, modesFl.modesConfig())
	if err != nil {
		return err
	}
	h, ms, as, est := modesFl.modesLocations(x, e.Modes)
	out := modesEstimateOut{File: args[0], Column: modesFl.column, N: len(x), Method: method,
		Modes: e.Modes, Alpha: e.Alpha, Tests: e.Tests, BW: h, ModeLocations: ms,
		AntimodeLocations: as, Seed: modesFl.seed}
	if modesFl.plot != "" {
		if err := os.MkdirAll(modesFl.plot, 0o755); err != nil {
			return err
		}
		p := filepath.Join(modesFl.plot, "density.png")
		err := modeplot.Density(p, modeplot.DensityFig{
			Title:  fmt.Sprintf("%s: %d mode(s) by %s (KDE at h_%d = %.4g)", filepath.Base(args[0]), e.Modes, method, e.Modes, h),
			XLabel: modesFl.columnLabel(), Data: x, Curves: []modeplot.Curve{{Name: "KDE", X: est.X, Y: est.Y}},
			Modes: ms, Antimodes: as})
		if err != nil {
			return err
		}
		out.Plots = []string{p}
	}
	if jsonOutput(cmd) {
		return writeJSON(cmd.OutOrStdout(), out)
	}
	fmt.Printf("%s: %d values\n", args[0], len(x))
	fmt.Printf("method %s, alpha %g: %d mode(s)\n", method, e.Alpha, e.Modes)
	for _, t := range e.Tests {
		fmt.Printf("  H0 k=%d: %s = %.6g, p = %.4f\n", t.K, t.Name, t.Statistic, t.PValue)
	}
	if method == "dip" && e.Modes == 2 {
		fmt.Println("  (the dip test rejects unimodality: at least 2 modes; locations below are at h_2)")
	}
	fmt.Printf("KDE at the critical bandwidth h_%d = %.6g\n", e.Modes, h)
	fmt.Printf("  modes:     %s\n  antimodes: %s\n", fmtList(ms), fmtList(as))
	if out.Plots != nil {
		fmt.Printf("plots: %v\n", out.Plots)
	}
	return nil
}

func (modesFl *modesFlags) columnLabel() string {
	if modesFl.column == "" {
		return "x"
	}
	return modesFl.column
}

func fmtList(v []float64) string {
	if len(v) == 0 {
		return "-"
	}
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'g', 6, 64)
	}
	return strings.Join(s, ", ")
}

func (modesFl *modesFlags) runModesKDE(cmd *cobra.Command, args []string) error {
	x, err := modesFl.readModesData(args[0])
	if err != nil {
		return err
	}
	var h float64
	switch b := strings.ToLower(modesFl.bw); {
	case b == "silverman" || b == "nrd0":
		h = kde.Silverman(x)
	case b == "scott" || b == "nrd":
		h = kde.Scott(x)
	case b == "sj":
		if h, err = kde.SheatherJones(x, kde.SJConfig{}); err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
	case strings.HasPrefix(b, "crit:"):
		k, err := strconv.Atoi(b[5:])
		if err != nil || k < 1 {
			return usagef("--bw %q: want crit:K with K >= 1", modesFl.bw)
		}
		h = kde.CriticalBandwidth(x, k, kde.CritConfig{Grid: kde.Grid{N: modesFl.grid}})
	default:
		v, err := strconv.ParseFloat(b, 64)
		if err != nil || !(v > 0) {
			return usagef("--bw %q: want silverman, scott, sj, crit:K or a positive number", modesFl.bw)
		}
		h = v
	}
	g := kde.Grid{N: 2048}
	est := kde.Density(x, h, g)
	ext := modes.Extrema(est.X, est.Y)
	var ms, as []float64
	for _, e := range ext {
		if e.Mode {
			ms = append(ms, e.X)
		} else {
			as = append(as, e.X)
		}
	}
	if modesFl.kdeKmax < 1 || modesFl.kdeKmax > 50 {
		return usagef("--kmax %d: want 1..50", modesFl.kdeKmax)
	}
	crit := make([]float64, 0, modesFl.kdeKmax)
	for k := 1; k <= modesFl.kdeKmax; k++ {
		crit = append(crit, kde.CriticalBandwidth(x, k, kde.CritConfig{Grid: kde.Grid{N: modesFl.grid}}))
	}
	sj, sjErr := kde.SheatherJones(x, kde.SJConfig{})
	bws := modesBandwidths{Silverman: kde.Silverman(x), Scott: kde.Scott(x), Critical: crit}
	if sjErr == nil {
		bws.SJ = &sj
	}
	out := modesKDEOut{File: args[0], N: len(x), BW: h, Modes: len(ms), Extrema: ext, Bandwidths: bws}
	if modesFl.plot != "" {
		if err := os.MkdirAll(modesFl.plot, 0o755); err != nil {
			return err
		}
		p1 := filepath.Join(modesFl.plot, "density.png")
		if err := modeplot.Density(p1, modeplot.DensityFig{Title: fmt.Sprintf("%s: KDE, h = %.4g, %d mode(s)", filepath.Base(args[0]), h, len(ms)),
			XLabel: modesFl.columnLabel(), Data: x, Curves: []modeplot.Curve{{Name: "KDE", X: est.X, Y: est.Y}}, Modes: ms, Antimodes: as}); err != nil {
			return err
		}
		t := kde.NewModeTree(x, 0, 0, 120, modesFl.kdeKmax, kde.Grid{N: modesFl.grid})
		p2 := filepath.Join(modesFl.plot, "modetree.png")
		if err := modeplot.ModeTree(p2, fmt.Sprintf("%s: mode tree", filepath.Base(args[0])), t); err != nil {
			return err
		}
		out.Plots = []string{p1, p2}
	}
	if jsonOutput(cmd) {
		return writeJSON(cmd.OutOrStdout(), out)
	}
	fmt.Printf("%s: %d values; bandwidth %.6g (%s)\n", args[0], len(x), h, modesFl.bw)
	fmt.Printf("  modes (%d): %s\n  antimodes: %s\n", len(ms), fmtList(ms), fmtList(as))
	fmt.Printf("bandwidths: silverman %.6g, scott %.6g", kde.Silverman(x), kde.Scott(x))
	if sjErr == nil {
		fmt.Printf(", sj %.6g", sj)
	}
	fmt.Println()
	for k, c := range crit {
		fmt.Printf("  critical h_%d = %.6g\n", k+1, c)
	}
	if out.Plots != nil {
		fmt.Printf("plots: %v\n", out.Plots)
	}
	return nil
}

func (modesFl *modesFlags) addModesExtra(c *cobra.Command) {
	sim := &cobra.Command{
		Use:   "simulate",
		Short: "accuracy of every method on the 15 Marron-Wand densities (table and plot)",
		Long: `For each Marron-Wand density, sample size and replicate, estimates the number of modes
with each method and reports the fraction of replicates that get it right, as a markdown
table per sample size, a JSON file and a plot per sample size. Heavy: R replicates x 15
densities x methods; use --reps and --densities for quick runs.`,
		Example: "  erg modes simulate --n 200 --reps 20 --out sim/\n  erg modes simulate --n 50,200,1000 --reps 100 --methods silverman,dip,bayes",
		Args:    cobra.NoArgs,
		RunE:    modesFl.runModesSimulate,
	}
	sim.Flags().StringVar(&modesFl.ns, "n", "200", "comma-separated sample sizes")
	sim.Flags().IntVar(&modesFl.reps, "reps", 20, "replicates per density and sample size")
	sim.Flags().StringVar(&modesFl.dens, "densities", "1-15", "Marron-Wand densities, e.g. 1-15 or 1,4,6")
	sim.Flags().StringVar(&modesFl.methods, "methods", strings.Join(simstudy.Methods, ","), "methods to compare")
	sim.Flags().IntVar(&modesFl.simB, "B", 200, "bootstrap resamples per test")
	sim.Flags().Float64Var(&modesFl.alpha, "alpha", 0.05, "level of the sequential tests")
	sim.Flags().Uint64Var(&modesFl.seed, "seed", 1, "random seed")
	sim.Flags().IntVar(&modesFl.workers, "workers", 0, "parallel workers (0: GOMAXPROCS)")
	sim.Flags().StringVar(&modesFl.out, "out", "", "directory for table_n*.md, results.json and accuracy_n*.png")
	c.AddCommand(sim)

	data := &cobra.Command{
		Use:     "data [NAME]",
		Short:   "export a real data set from Debian's R packages as CSV and print its path",
		Long:    "Data sets: " + strings.Join(rdata.Names(), ", ") + ". They are exported with Rscript (Debian r-base-core r-cran-mass r-cran-mclust r-cran-locfit) into $ERG_CACHE/modes or ~/.cache/erg/modes, or --out.",
		Example: "  erg modes data galaxies\n  erg modes data --out data/",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if modesFl.out != "" {
				if err := rdata.Export(modesFl.out); err != nil {
					return err
				}
				fmt.Printf("exported %s to %s\n", strings.Join(rdata.Names(), ", "), modesFl.out)
				return nil
			}
			if len(args) == 0 {
				for _, n := range rdata.Names() {
					st, _ := rdata.Lookup(n)
					fmt.Printf("%-9s %-20s %s\n", n, strings.Join(st.Columns, ","), st.Desc)
				}
				return nil
			}
			p, err := rdata.Path(args[0])
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				st, _ := rdata.Lookup(args[0])
				return writeJSON(cmd.OutOrStdout(), struct {
					Name    string   `json:"name"`
					Path    string   `json:"path"`
					Columns []string `json:"columns"`
				}{args[0], p, st.Columns})
			}
			fmt.Println(p)
			return nil
		},
	}
	data.Flags().StringVar(&modesFl.out, "out", "", "export all data sets into this directory instead")
	c.AddCommand(data)

	cs := &cobra.Command{
		Use:     "case NAME|FILE.csv",
		Short:   "case-study report: Bayesian posterior over modes, credible band, mode tree, tests",
		Example: "  erg modes case galaxies --out reports/galaxies\n  erg modes case stamps\n  erg modes case data.csv --column x --out rep/",
		Args:    cobra.ExactArgs(1),
		RunE:    modesFl.runModesCase,
	}
	cs.Flags().StringVar(&modesFl.column, "column", "", "column (default: the data set's first)")
	cs.Flags().StringVar(&modesFl.out, "out", "", "report directory (default: modes-report-NAME)")
	cs.Flags().IntVar(&modesFl.caseB, "B", 500, "bootstrap resamples per test")
	cs.Flags().Uint64Var(&modesFl.seed, "seed", 1, "random seed")
	cs.Flags().IntVar(&modesFl.workers, "workers", 0, "parallel workers (0: GOMAXPROCS)")
	cs.Flags().StringVar(&modesFl.priorModes, "prior-modes", "", "prior P(k modes), as for estimate")
	c.AddCommand(cs)
}

func parsePriorModes(s string) ([]float64, float64, error) {
	if s == "" {
		return nil, 0, nil
	}
	if strings.HasPrefix(s, "geo:") {
		r, err := strconv.ParseFloat(s[4:], 64)
		if err != nil || !(r > 0) {
			return nil, 0, usagef("--prior-modes %q: want geo:R with R > 0", s)
		}
		return nil, r, nil
	}
	var p []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v < 0 {
			return nil, 0, usagef("--prior-modes %q: want non-negative weights for k = 1, 2, ...", s)
		}
		p = append(p, v)
	}
	return p, 0, nil
}

func (modesFl *modesFlags) runModesBayes(cmd *cobra.Command, args []string, method string) error {
	prior, ratio, err := parsePriorModes(modesFl.priorModes)
	if err != nil {
		return err
	}
	if modesFl.chains < 1 || modesFl.draws < 0 {
		return usagef("--chains %d --draws %d: want chains >= 1, draws >= 0", modesFl.chains, modesFl.draws)
	}
	x, err := modesFl.readModesData(args[0])
	if err != nil {
		return err
	}
	out := modesBayesOut{File: args[0], Column: modesFl.column, N: len(x), Method: method, Seed: modesFl.seed}
	var plots []string
	mkplot := func(name string) (string, error) {
		if err := os.MkdirAll(modesFl.plot, 0o755); err != nil {
			return "", err
		}
		p := filepath.Join(modesFl.plot, name)
		plots = append(plots, p)
		return p, nil
	}
	var post []float64
	var ks []int
	var k int
	var rhat, ess map[string]modes.Num
	switch method {
	case "bayes":
		r, err := bts.Fit(x, bts.Config{PriorK: prior, PriorRatio: ratio, KMax: modesFl.kmax, Chains: modesFl.chains,
			Draws: modesFl.draws, Seed: modesFl.seed, Workers: modesFl.workers})
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		out.Bayes = r
		post, ks, k, rhat, ess = r.Posterior, r.K, r.Modes, r.RHat, r.ESS
		var ml []float64
		for _, e := range modes.PruneModes(r.X, r.Median, 1/float64(len(x))) {
			if e.Mode {
				ml = append(ml, e.X)
			}
		}
		out.ModeLocations = ml
		if modesFl.plot != "" {
			p, err := mkplot("density.png")
			if err != nil {
				return err
			}
			if err := modeplot.Density(p, modeplot.DensityFig{Title: fmt.Sprintf("%s: Bayesian taut spline (%d modes most probable)", filepath.Base(args[0]), k),
				XLabel: modesFl.columnLabel(), Data: x, Band: &modeplot.Band{Name: "95% band", X: r.X, Lo: r.Lo, Hi: r.Hi},
				Curves: []modeplot.Curve{{Name: "posterior median", X: r.X, Y: r.Median}}, Modes: ml}); err != nil {
				return err
			}
			p, err = mkplot("posterior_k.png")
			if err != nil {
				return err
			}
			n := min(8, len(r.K))
			if err := modeplot.PosteriorK(p, "number of modes", r.K[:n], r.Posterior[:n], r.Prior[:n]); err != nil {
				return err
			}
		}
		if !jsonOutput(cmd) {
			fmt.Printf("%s: %d values; Bayesian taut spline, %d knots\n", args[0], len(x), len(r.Knots))
			fmt.Println("  k  prior   posterior  BF(k vs k+1)")
			for i := 0; i < min(8, len(r.K)); i++ {
				bf := "-"
				if i < len(r.BayesFactors) && !isNaN(r.BayesFactors[i]) {
					bf = fmt.Sprintf("%.3g", r.BayesFactors[i])
				}
				fmt.Printf("  %d  %.3f   %.3f      %s\n", r.K[i], r.Prior[i], r.Posterior[i], bf)
			}
			fmt.Printf("modes of the posterior median: %s\n", fmtList(ml))
		}
	case "mixture":
		r, err := mixture.Fit(x, mixture.Config{Iter: modesFl.draws, Chains: modesFl.chains, Seed: modesFl.seed, Workers: modesFl.workers})
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		out.Mixture = r
		post, ks, k, rhat, ess = r.Posterior, r.K, r.Modes, r.RHat, r.ESS
		if modesFl.plot != "" {
			p, err := mkplot("density.png")
			if err != nil {
				return err
			}
			if err := modeplot.Density(p, modeplot.DensityFig{Title: fmt.Sprintf("%s: sparse finite mixture (%d modes most probable)", filepath.Base(args[0]), k),
				XLabel: modesFl.columnLabel(), Data: x, Band: &modeplot.Band{Name: "95% band", X: r.X, Lo: r.Lo, Hi: r.Hi},
				Curves: []modeplot.Curve{{Name: "posterior median", X: r.X, Y: r.Median}}}); err != nil {
				return err
			}
			p, err = mkplot("posterior_k.png")
			if err != nil {
				return err
			}
			if err := modeplot.PosteriorK(p, "number of modes", r.K, r.Posterior, nil); err != nil {
				return err
			}
		}
		if !jsonOutput(cmd) {
			fmt.Printf("%s: %d values; sparse finite mixture (K = 10)\n", args[0], len(x))
			for i, p := range r.Posterior {
				fmt.Printf("  P(%d modes) = %.3f\n", r.K[i], p)
			}
		}
	}
	out.Modes, out.Posterior, out.K = k, post, ks
	out.Plots = plots
	if jsonOutput(cmd) {
		return writeJSON(cmd.OutOrStdout(), out)
	}
	fmt.Printf("most probable number of modes: %d\n", k)
	fmt.Printf("convergence: R-hat %v, ESS %v\n", fmtMap(rhat), fmtMap(ess))
	if plots != nil {
		fmt.Printf("plots: %v\n", plots)
	}
	return nil
}

func isNaN(v float64) bool { return v != v }

func fmtMap(m map[string]modes.Num) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	var s []string
	for _, k := range keys {
		s = append(s, fmt.Sprintf("%s=%.3g", k, m[k]))
	}
	return strings.Join(s, " ")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func (modesFl *modesFlags) runModesSimulate(cmd *cobra.Command, args []string) error {
	ns, err := parseInts("n", modesFl.ns, 1)
	if err != nil {
		return err
	}
	for _, n := range ns {
		if n < modes.MinPoints {
			return usagef("--n %d: want at least %d", n, modes.MinPoints)
		}
	}
	ds, err := parseInts("densities", modesFl.dens, 1)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d < 1 || d > 15 {
			return usagef("--densities: %d out of range 1..15", d)
		}
	}
	if modesFl.reps < 1 {
		return usagef("--reps %d: want at least 1", modesFl.reps)
	}
	var ms []string
	for _, m := range strings.Split(modesFl.methods, ",") {
		ms = append(ms, strings.TrimSpace(m))
	}
	if modesFl.simB < 1 {
		return usagef("--B %d: want at least 1", modesFl.simB)
	}
	cfg := simstudy.Config{Densities: ds, Ns: ns, Reps: modesFl.reps, Methods: ms, B: modesFl.simB, Alpha: modesFl.alpha,
		Seed: modesFl.seed, Workers: modesFl.workers}
	if !jsonOutput(cmd) {
		cfg.Progress = func(done, total int) {
			if done%max(1, total/20) == 0 || done == total {
				fmt.Fprintf(os.Stderr, "\rsimulate: %d/%d replicates", done, total)
				if done == total {
					fmt.Fprintln(os.Stderr)
				}
			}
		}
	}
	t, err := simstudy.Run(cfg)
	if err != nil {
		return usagef("%v", err)
	}
	var files []string
	if modesFl.out != "" {
		if err := os.MkdirAll(modesFl.out, 0o755); err != nil {
			return err
		}
		js, _ := json.MarshalIndent(t, "", "  ")
		p := filepath.Join(modesFl.out, "results.json")
		if err := atomicfile.Write(p, js); err != nil {
			return err
		}
		files = append(files, p)
		for _, n := range ns {
			p := filepath.Join(modesFl.out, fmt.Sprintf("table_n%d.md", n))
			if err := atomicfile.Write(p, []byte(t.Markdown(n))); err != nil {
				return err
			}
			files = append(files, p)
			var curves []modeplot.Curve
			for _, m := range t.Methods {
				c := modeplot.Curve{Name: m}
				for _, cell := range t.Cells {
					if cell.N == n && cell.Method == m {
						c.X = append(c.X, float64(len(c.X)+1))
						c.Y = append(c.Y, cell.Accuracy)
					}
				}
				curves = append(curves, c)
			}
			var ticks []string
			for _, d := range ds {
				ticks = append(ticks, strconv.Itoa(d))
			}
			p = filepath.Join(modesFl.out, fmt.Sprintf("accuracy_n%d.png", n))
			if err := modeplot.Lines(p, fmt.Sprintf("Marron-Wand densities, n = %d, %d replicates", n, modesFl.reps),
				"density", "fraction with the right number of modes", curves, ticks, 0, 1.05); err != nil {
				return err
			}
			files = append(files, p)
		}
	}
	if jsonOutput(cmd) {
		return writeJSON(cmd.OutOrStdout(), struct {
			Table any      `json:"table"`
			Files []string `json:"files"`
		}{t, files})
	}
	for _, n := range ns {
		fmt.Printf("\nn = %d, %d replicates, B = %d, alpha = %g, seed %d\n\n%s", n, modesFl.reps, modesFl.simB, modesFl.alpha, modesFl.seed, t.Markdown(n))
	}
	if files != nil {
		fmt.Printf("\nfiles: %s\n", strings.Join(files, " "))
	}
	return nil
}

func (modesFl *modesFlags) runModesCase(cmd *cobra.Command, args []string) error {
	prior, ratio, err := parsePriorModes(modesFl.priorModes)
	if err != nil {
		return err
	}
	name := args[0]
	var x []float64
	source := name
	if st, lerr := rdata.Lookup(name); lerr == nil {
		col := modesFl.column
		if col == "" {
			col = st.Columns[0]
		}
		modesFl.column = col
		if x, err = rdata.Load(name, col); err != nil {
			return err
		}
		source = st.Desc
	} else if strings.HasSuffix(strings.ToLower(name), ".csv") {
		if x, err = modes.ReadCSV(name, modesFl.column); err != nil {
			return err
		}
		name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	} else {
		return usagef("%q is neither a data set (%s) nor a .csv file", name, strings.Join(rdata.Names(), ", "))
	}
	dir := modesFl.out
	if dir == "" {
		dir = "modes-report-" + name
	}
	if modesFl.caseB < 1 {
		return usagef("--B %d: want at least 1", modesFl.caseB)
	}
	s, err := casestudy.Run(x, dir, casestudy.Config{Name: name, Column: modesFl.column, Source: source, B: modesFl.caseB,
		Seed: modesFl.seed, Workers: modesFl.workers, Bayes: bts.Config{PriorK: prior, PriorRatio: ratio}})
	if err != nil {
		return err
	}
	if jsonOutput(cmd) {
		return writeJSON(cmd.OutOrStdout(), s)
	}
	fmt.Printf("%s (%s), n = %d\n", name, modesFl.column, s.N)
	fmt.Printf("bayes: most probable %d modes; P(k) =", s.Bayes.Modes)
	for i := 0; i < min(6, len(s.Bayes.K)); i++ {
		fmt.Printf(" %d:%.3f", s.Bayes.K[i], s.Bayes.Posterior[i])
	}
	fmt.Println()
	if s.Mixture != nil {
		fmt.Printf("mixture: most probable %d modes; P(k) =", s.Mixture.Modes)
		for i, p := range s.Mixture.Posterior {
			fmt.Printf(" %d:%.3f", s.Mixture.K[i], p)
		}
		fmt.Println()
	}
	fmt.Printf("report: %s\n", filepath.Join(dir, "report.md"))
	return nil
}

// Typed JSON outputs of the modes commands.
type (
	modesTestOut struct {
		File   string          `json:"file"`
		Column string          `json:"column"`
		N      int             `json:"n"`
		Test   modetest.Result `json:"test"`
		Seed   uint64          `json:"seed"`
	}
	modesEstimateOut struct {
		File              string            `json:"file"`
		Column            string            `json:"column"`
		N                 int               `json:"n"`
		Method            string            `json:"method"`
		Modes             int               `json:"modes"`
		Alpha             float64           `json:"alpha"`
		Tests             []modetest.Result `json:"tests"`
		BW                float64           `json:"bw"`
		ModeLocations     []float64         `json:"mode_locations"`
		AntimodeLocations []float64         `json:"antimode_locations"`
		Seed              uint64            `json:"seed"`
		Plots             []string          `json:"plots,omitempty"`
	}
	modesBandwidths struct {
		Silverman float64   `json:"silverman"`
		Scott     float64   `json:"scott"`
		Critical  []float64 `json:"critical"`
		SJ        *float64  `json:"sj,omitempty"`
	}
	modesKDEOut struct {
		File       string          `json:"file"`
		N          int             `json:"n"`
		BW         float64         `json:"bw"`
		Modes      int             `json:"modes"`
		Extrema    any             `json:"extrema"`
		Bandwidths modesBandwidths `json:"bandwidths"`
		Plots      []string        `json:"plots,omitempty"`
	}
	modesBayesOut struct {
		File          string    `json:"file"`
		Column        string    `json:"column"`
		N             int       `json:"n"`
		Method        string    `json:"method"`
		Seed          uint64    `json:"seed"`
		Bayes         any       `json:"bayes,omitempty"`
		Mixture       any       `json:"mixture,omitempty"`
		ModeLocations []float64 `json:"mode_locations,omitempty"`
		Modes         int       `json:"modes"`
		Posterior     []float64 `json:"posterior"`
		K             []int     `json:"k"`
		Plots         []string  `json:"plots,omitempty"`
	}
)
