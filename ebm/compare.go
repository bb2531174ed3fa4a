package ebm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/ergml/erg/ebm/density"
	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// CompareConfig configures Compare: every loss on every data set with several seeds,
// the other settings taken from Base.
type CompareConfig struct {
	Data   []string `json:"data"`   // densities or CSV files
	Losses []string `json:"losses"` // e.g. ed, cd, dsm
	Seeds  int      `json:"seeds"`  // seeds 1..Seeds (0: 3)
	Base   Config   `json:"base"`   // steps, batch, network and loss settings
}

// CompareCell is one (data, loss) cell of the comparison, over the seeds.
type CompareCell struct {
	Data   string    `json:"data"`
	Loss   string    `json:"loss"`
	NLL    []float64 `json:"nll,omitempty"`       // per seed (2-D only)
	NLLErr []float64 `json:"nll_error,omitempty"` // error estimate per seed (grid + box)
	// The two parts of NLLErr: the grid term can go either way; the box term (mass
	// beyond the evaluation box) can only raise the NLL over a larger domain.
	NLLGridErr []float64 `json:"nll_grid_error,omitempty"`
	NLLBoxErr  []float64 `json:"nll_box_error,omitempty"`
	MMD2       []float64 `json:"mmd2"`
	Seconds    []float64 `json:"seconds"` // training wall time per seed
	Joules     []float64 `json:"joules"`  // training energy per seed
	Energy     string    `json:"energy_status"`
	Runs       []string  `json:"runs"` // run directories
}

// Comparison is the result of Compare.
type Comparison struct {
	Config  CompareConfig  `json:"config"`
	Cells   []*CompareCell `json:"cells"`
	Dir     string         `json:"dir"`    // the comparison's run directory
	CSV     string         `json:"csv"`    // table as CSV
	Figure  string         `json:"figure"` // grid of densities × losses
	Report  string         `json:"report"`
	Claim   *Claim         `json:"claim,omitempty"`
	Seconds float64        `json:"seconds"`
}

// Claim checks the energy-discrepancy paper's claim on a comparison: ED's held-out
// NLL (mean over seeds) is at most those of DSM and CD on at least 6 of the 8
// densities, and ED trains faster than CD.
type Claim struct {
	Densities   int      `json:"densities"`    // densities with NLLs for ed, dsm and cd
	EDBest      int      `json:"ed_best"`      // of which ED's mean NLL ≤ min(DSM, CD)
	EDBestNames []string `json:"ed_best_data"` // those densities
	TimeRatio   float64  `json:"cd_over_ed_time"`
	Holds       bool     `json:"holds"` // EDBest ≥ 6 of 8 (or ≥ 3/4 of the densities) and TimeRatio > 1
	// Uncertain lists the densities whose verdict (ED best or not) is within the grid
	// error estimate of the NLLs compared: a model that puts mass outside the
	// evaluation box (or is not normalisable on it) has a large error estimate and an
	// NLL that is only a rough figure.
	Uncertain []string `json:"uncertain_data,omitempty"`
}

func maxErr(cells ...*CompareCell) float64 {
	m := 0.0
	for _, c := range cells {
		for _, e := range c.NLLErr {
			m = math.Max(m, e)
		}
	}
	return m
}

func meanSD(v []float64) (m, sd float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	if len(v) > 1 {
		for _, x := range v {
			sd += (x - m) * (x - m)
		}
		sd = math.Sqrt(sd / float64(len(v)-1))
	}
	return m, sd
}

// Validate checks every cell's configuration, so that nothing is trained when one is
// bad.
func (c CompareConfig) Validate() error {
	if c.Seeds < 0 {
		return run.Invalid("seeds", c.Seeds, "must be positive")
	}
	if len(c.Data) == 0 {
		return &run.FieldError{Field: "data", Reason: "no data sets to compare on"}
	}
	if len(c.Losses) == 0 {
		return &run.FieldError{Field: "loss", Reason: "no losses to compare"}
	}
	for _, d := range c.Data {
		for _, l := range c.Losses {
			cc := c.Base
			cc.Data, cc.Loss = d, l
			if err := cc.WithDefaults().Validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Compare trains every loss on every data set with seeds 1..cfg.Seeds, each as a run
// directory under a new comparison run directory in opt.Root, evaluates them, and
// writes the table (compare.csv), a figure of the learned densities (compare.png,
// seed 1) and a report. log, if not nil, gets one line per finished run. With
// opt.Resume it continues that comparison (its recorded configuration; cfg is
// ignored): the training runs already finished there are read back (model,
// evaluation, time and energy) and the others trained.
func Compare(ctx context.Context, b compute.Backend, cfg CompareConfig, opt Options, log io.Writer) (*Comparison, error) {
	if opt.Resume != "" {
		cfg = CompareConfig{}
	} else if cfg.Seeds == 0 {
		cfg.Seeds = 3
	}
	exp, err := run.Start(opt.Options, "ebm-compare", &cfg, nil)
	if err != nil {
		return nil, err
	}
	res, err := compare(ctx, b, exp, cfg, opt, log)
	if err != nil {
		return res, exp.Fail(err)
	}
	return res, nil
}

// finishedRun returns the outcome of the newest finished run named name (or
// name.<i>, as run.Create names a second run in the same second) under root, or nil.
func finishedRun(b compute.Backend, root, name string) *Outcome {
	infos, err := run.List(root)
	if err != nil {
		return nil
	}
	for i := len(infos) - 1; i >= 0; i-- { // oldest first
		inf := infos[i]
		if inf.Status != "finished" || (inf.Name != name && !strings.HasPrefix(inf.Name, name+".")) {
			continue
		}
		rd, err := run.Open(inf.Path)
		if err != nil {
			continue
		}
		var sum struct {
			Seconds      float64 `json:"seconds"`
			Joules       float64 `json:"joules"`
			EnergyStatus string  `json:"energy_status"`
		}
		var ev Evaluation
		if rd.ReadJSON(run.SummaryFile, &sum) != nil || rd.ReadJSON(EvalFile, &ev) != nil {
			continue
		}
		m, err := Load(b, rd)
		if err != nil {
			continue
		}
		res := &train.Result{Steps: inf.Steps, Seconds: sum.Seconds, Joules: sum.Joules, EnergyStatus: sum.EnergyStatus}
		if inf.Loss != nil {
			res.Loss = *inf.Loss
		}
		return &Outcome{Dir: rd, Model: m, Eval: &ev, Train: res}
	}
	return nil
}

func compare(ctx context.Context, b compute.Backend, exp *run.Experiment, cfg CompareConfig, opt Options, log io.Writer) (*Comparison, error) {
	var err error
	top := exp.Dir
	res := &Comparison{Config: cfg, Dir: top.Path}
	sub := opt
	sub.Root = top.File("runs")
	sub.Quiet = true
	sub.Resume, sub.Steps = "", 0
	fields := map[string][]float64{} // "data/loss" → seed-1 density field
	grids := map[string]Grid{}
	hists := map[string][]float64{}
	var total float64
	for _, d := range cfg.Data {
		for _, l := range cfg.Losses {
			cell := &CompareCell{Data: d, Loss: l}
			res.Cells = append(res.Cells, cell)
			for seed := 1; seed <= cfg.Seeds; seed++ {
				out := finishedRun(b, sub.Root, CompareRunName(d, l, seed))
				reused := out != nil
				if out == nil {
					if out, err = CompareRun(ctx, b, cfg, d, l, seed, sub); err != nil {
						return res, fmt.Errorf("ebm: compare %s %s seed %d: %w", d, l, seed, err)
					}
				}
				cell.Runs = append(cell.Runs, out.Dir.Path)
				cell.Seconds = append(cell.Seconds, out.Train.Seconds)
				cell.Joules = append(cell.Joules, out.Train.Joules)
				cell.Energy = out.Train.EnergyStatus
				total += out.Train.Seconds + out.Eval.Seconds
				if out.Eval.NLL != nil {
					cell.NLL = append(cell.NLL, out.Eval.NLL.NLL)
					cell.NLLErr = append(cell.NLLErr, out.Eval.NLL.Error())
					cell.NLLGridErr = append(cell.NLLGridErr, out.Eval.NLL.GridError)
					cell.NLLBoxErr = append(cell.NLLBoxErr, out.Eval.NLL.BoxError)
				}
				if out.Eval.MMD2 != nil {
					cell.MMD2 = append(cell.MMD2, *out.Eval.MMD2)
				}
				if seed == 1 && out.Model.Config.Dim == 2 {
					g := out.Model.Config.Grid(plotGrid)
					z, err := out.Model.DensityField(g)
					if err != nil {
						return res, err
					}
					fields[d+"/"+l], grids[d] = z, g
					if hists[d] == nil {
						held, err := HeldOut(out.Model.Config)
						if err != nil {
							return res, err
						}
						hists[d] = Histogram(g, held.X)
					}
				}
				if log != nil {
					line := fmt.Sprintf("%-12s %-4s seed %d: %.1f s", dataLabel(d), l, seed, out.Train.Seconds)
					if reused {
						line += " (finished before; read back)"
					}
					if out.Eval.NLL != nil {
						line += fmt.Sprintf(", NLL %.3f", out.Eval.NLL.NLL)
					}
					if out.Eval.MMD2 != nil {
						line += fmt.Sprintf(", MMD² %.3g", *out.Eval.MMD2)
					}
					fmt.Fprintln(log, line)
				}
			}
		}
	}
	res.Seconds = total
	res.Claim = checkClaim(res.Cells)
	res.CSV = top.File("compare.csv")
	if err := atomicfile.Write(res.CSV, []byte(res.TableCSV())); err != nil {
		return res, err
	}
	if len(fields) > 0 {
		if err := writeCompareFigure(top.File("compare.png"), cfg, grids, hists, fields); err != nil {
			return res, err
		}
		res.Figure = top.File("compare.png")
		top.AddFigure("compare.png", "Rows: data sets; first column: histogram of held-out data; then the density learned by each loss (seed 1) on the same grid.")
	}
	sum := run.Summary{"table": res.TableMarkdown(), "seconds": total}
	head := fmt.Sprintf("%d data sets × %d losses × %d seeds, %d steps", len(cfg.Data), len(cfg.Losses), cfg.Seeds, cfg.Base.WithDefaults().Steps)
	if cl := res.Claim; cl != nil {
		head += fmt.Sprintf("; ED NLL ≤ DSM and CD on %d/%d densities, CD/ED time %.2f", cl.EDBest, cl.Densities, cl.TimeRatio)
		if len(cl.Uncertain) > 0 {
			head += fmt.Sprintf(" (within the grid error on %s)", strings.Join(cl.Uncertain, ", "))
		}
		sum["claim"] = cl
	}
	sum["headline"] = head
	if err := top.WriteJSON("compare.json", res); err != nil {
		return res, err
	}
	if res.Report, err = exp.Finish(sum); err != nil {
		return res, err
	}
	return res, nil
}

// CompareRunName is the name of the run directory of the (data, loss, seed) training
// run of a comparison.
func CompareRunName(data, loss string, seed int) string {
	return fmt.Sprintf("%s-%s-s%d", dataLabel(data), loss, seed)
}

// CompareRun trains the (data, loss, seed) run of a comparison as Compare does:
// cfg.Base with the data, loss and seed, in a quiet new run directory
// CompareRunName(data, loss, seed) under opt.Root, evaluated with opt.Eval. Compare
// reads back such runs when it resumes; erg ebm compare --sweep runs them as cells.
func CompareRun(ctx context.Context, b compute.Backend, cfg CompareConfig, data, loss string, seed int, opt Options) (*Outcome, error) {
	c := cfg.Base
	c.Data, c.Loss, c.Seed = data, loss, uint64(seed)
	c.Command = fmt.Sprintf("erg ebm compare (%s, %s, seed %d)", data, loss, seed)
	opt.Quiet = true
	opt.Resume, opt.Steps = "", 0
	opt.Name = CompareRunName(data, loss, seed)
	return Train(ctx, b, c, opt)
}

// errBounds returns how far below (down) and above (up) the reported mean NLL a cell's
// NLL over a larger, finer grid may lie: the grid term either way, the box term only
// upwards (integrating exp(−U) over more of the plane raises log Z). Cells without
// the split treat NLLErr as two-sided.
func (c *CompareCell) errBounds() (down, up float64) {
	if len(c.NLLGridErr) == 0 && len(c.NLLBoxErr) == 0 {
		m := maxErr(c)
		return m, m
	}
	for i, g := range c.NLLGridErr {
		down = math.Max(down, g)
		b := 0.0
		if i < len(c.NLLBoxErr) {
			b = c.NLLBoxErr[i]
		}
		up = math.Max(up, g+b)
	}
	return down, up
}

// claimUncertain reports whether the verdict "ED's NLL e ≤ every other's" (or its
// negation) could change within the cells' error bounds.
func claimUncertain(e float64, ed *CompareCell, others []float64, oc []*CompareCell) bool {
	edDown, edUp := ed.errBounds()
	best := e <= slices.Min(others)
	for i, o := range others {
		oDown, oUp := oc[i].errBounds()
		if best && e+edUp >= o-oDown {
			return true // ED could end above o
		}
		if !best && o < e && o+oUp >= e-edDown {
			return true // o could end above ED
		}
	}
	return false
}

func checkClaim(cells []*CompareCell) *Claim {
	by := map[string]map[string]*CompareCell{}
	var order []string
	for _, c := range cells {
		if by[c.Data] == nil {
			by[c.Data] = map[string]*CompareCell{}
			order = append(order, c.Data)
		}
		by[c.Data][c.Loss] = c
	}
	cl := &Claim{}
	var edT, cdT []float64
	for _, d := range order {
		ed, dsm, cd := by[d]["ed"], by[d]["dsm"], by[d]["cd"]
		if ed != nil && cd != nil {
			edT = append(edT, ed.Seconds...)
			cdT = append(cdT, cd.Seconds...)
		}
		if ed == nil || dsm == nil || cd == nil || len(ed.NLL) == 0 || len(dsm.NLL) == 0 || len(cd.NLL) == 0 {
			continue
		}
		cl.Densities++
		e, _ := meanSD(ed.NLL)
		s, _ := meanSD(dsm.NLL)
		c, _ := meanSD(cd.NLL)
		if e <= math.Min(s, c) {
			cl.EDBest++
			cl.EDBestNames = append(cl.EDBestNames, d)
		}
		if claimUncertain(e, ed, []float64{s, c}, []*CompareCell{dsm, cd}) {
			cl.Uncertain = append(cl.Uncertain, d)
		}
	}
	if cl.Densities == 0 && len(edT) == 0 {
		return nil
	}
	me, _ := meanSD(edT)
	mc, _ := meanSD(cdT)
	cl.TimeRatio = mc / me
	cl.Holds = cl.Densities > 0 && 4*cl.EDBest >= 3*cl.Densities && cl.TimeRatio > 1
	return cl
}

func fmtMeanSD(v []float64, prec int) string {
	if len(v) == 0 {
		return "–"
	}
	m, sd := meanSD(v)
	if len(v) == 1 {
		return fmt.Sprintf("%.*f", prec, m)
	}
	return fmt.Sprintf("%.*f ± %.*f", prec, m, prec, sd)
}

// TableMarkdown formats the comparison as a Markdown table: NLL mean ± sd over seeds,
// MMD², training seconds and joules (means).
func (c *Comparison) TableMarkdown() string {
	var b strings.Builder
	b.WriteString("| data | loss | held-out NLL (nats) | MMD² | train s | train J |\n|---|---|---|---|---|---|\n")
	for _, cell := range c.Cells {
		ms, _ := meanSD(cell.Seconds)
		mj, _ := meanSD(cell.Joules)
		j := fmt.Sprintf("%.0f", mj)
		if cell.Energy == "estimated" {
			j += " (est.)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.1f | %s |\n", dataLabel(cell.Data), cell.Loss,
			fmtMeanSD(cell.NLL, 3), fmtMeanSD(cell.MMD2, 4), ms, j)
	}
	return b.String()
}

// TableCSV formats the comparison as CSV, one row per (data, loss).
func (c *Comparison) TableCSV() string {
	var b bytes.Buffer
	b.WriteString("data,loss,seeds,nll_mean,nll_sd,nll_grid_error_max,mmd2_mean,mmd2_sd,seconds_mean,joules_mean,energy_status\n")
	for _, cell := range c.Cells {
		nm, ns := meanSD(cell.NLL)
		mm, msd := meanSD(cell.MMD2)
		sm, _ := meanSD(cell.Seconds)
		jm, _ := meanSD(cell.Joules)
		fmt.Fprintf(&b, "%s,%s,%d,%.6g,%.6g,%.3g,%.6g,%.6g,%.4g,%.4g,%s\n", dataLabel(cell.Data), cell.Loss, len(cell.Seconds),
			nm, ns, maxErr(cell), mm, msd, sm, jm, cell.Energy)
	}
	return b.String()
}

func writeCompareFigure(path string, cfg CompareConfig, grids map[string]Grid, hists map[string][]float64, fields map[string][]float64) error {
	var rows [][]*plot.Plot
	for _, d := range cfg.Data {
		g, ok := grids[d]
		if !ok {
			continue
		}
		row := []*plot.Plot{heatPlot(dataLabel(d)+": data", g, hists[d])}
		for _, l := range cfg.Losses {
			row = append(row, heatPlot(dataLabel(d)+": "+l, g, fields[d+"/"+l]))
		}
		rows = append(rows, row)
	}
	return savePanels(path, rows, 2.2*vg.Inch)
}

// ExpandData turns "all" into the eight benchmark densities; other entries pass through.
func ExpandData(list []string) []string {
	var out []string
	for _, d := range list {
		if d == "all" {
			out = append(out, density.Benchmark...)
		} else {
			out = append(out, d)
		}
	}
	return out
}
