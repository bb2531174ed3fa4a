// Package ebmsweep is the "ebm" capability of package sweep: one (data, loss, seed)
// training run of an energy-based model comparison, trained exactly as ebm.Compare
// trains each of its runs (ebm.CompareRun), so that erg ebm compare --sweep spreads a
// comparison over any number of machines and then tabulates it as before.
//
// A cell trains in its scratch directory (sweep.Cell.Dir); the run directory it
// leaves there comes back to the coordinator with the result (Sweep.FetchFiles), into
// the comparison's runs/ directory, where ebm.Compare reads finished runs back.
//
// Importing the package registers the capability.
package ebmsweep

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/ebm"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/sweep"
	"github.com/gomlx/compute"
)

// Capability is the name the runner is registered under.
const Capability = "ebm"

func init() { sweep.Register(Capability, Runner{}) }

// Config is the configuration of an "ebm" cell; the cell's seed is the run's seed.
type Config struct {
	Base ebm.Config     `json:"base"` // the comparison's shared settings (ebm.CompareConfig.Base)
	Data string         `json:"data"` // a density or a CSV file (present on the worker)
	Loss string         `json:"loss"`
	Eval ebm.EvalConfig `json:"eval"`
	// Backend is the GoMLX backend configuration ("" means erg ebm's default: the
	// pure-Go backend with operations run one at a time, unless $ERG_BACKEND or
	// $GOMLX_BACKEND says otherwise).
	Backend string `json:"backend,omitempty"`
}

// Output is the output of an "ebm" cell.
type Output struct {
	Run     string   `json:"run"` // the run directory, relative to the cell's directory
	Seconds float64  `json:"seconds"`
	Joules  float64  `json:"joules"`
	NLL     *float64 `json:"nll,omitempty"`
	MMD2    *float64 `json:"mmd2,omitempty"`
}

// Runner runs "ebm" cells.
type Runner struct{}

var (
	_ sweep.Runner  = Runner{}
	_ sweep.Checker = Runner{}
)

func decode(raw json.RawMessage) (Config, error) {
	var c Config
	if len(raw) == 0 {
		return c, &run.FieldError{Field: "data", Reason: "missing: an ebm cell needs data and loss"}
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("ebm cell: %w", err)
	}
	return c, nil
}

// Check validates the run's configuration (ebm.Config.Validate).
func (Runner) Check(raw json.RawMessage) error {
	c, err := decode(raw)
	if err != nil {
		return err
	}
	if c.Data == "" {
		return &run.FieldError{Field: "data", Reason: "missing"}
	}
	if c.Loss == "" {
		return &run.FieldError{Field: "loss", Reason: "missing"}
	}
	b := c.Base
	b.Data, b.Loss = c.Data, c.Loss
	return b.WithDefaults().Validate()
}

// BackendConfig resolves a cell's backend configuration as erg ebm does.
func BackendConfig(name string) string {
	if name == "" && os.Getenv("ERG_BACKEND") == "" && os.Getenv(compute.ConfigEnvVar) == "" {
		return "go:ops_sequential"
	}
	return name
}

// Run trains, evaluates and reports the cell's run in the cell's directory.
func (Runner) Run(ctx context.Context, cell sweep.Cell) (json.RawMessage, error) {
	c, err := decode(cell.Config)
	if err != nil {
		return nil, err
	}
	be, err := backend.New(BackendConfig(c.Backend))
	if err != nil {
		return nil, err
	}
	root := cell.Dir
	if root == "" {
		return nil, fmt.Errorf("ebm cell %s: no cell directory", cell.ID)
	}
	opt := ebm.Options{Options: run.Options{Root: root, Quiet: true}, Eval: c.Eval}
	out, err := ebm.CompareRun(ctx, be, ebm.CompareConfig{Base: c.Base}, c.Data, c.Loss, int(cell.Seed), opt)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(root, out.Dir.Path)
	if err != nil {
		return nil, err
	}
	o := Output{Run: filepath.ToSlash(rel), Seconds: out.Train.Seconds, Joules: out.Train.Joules}
	if out.Eval != nil && out.Eval.NLL != nil {
		v := out.Eval.NLL.NLL
		o.NLL = &v
	}
	if out.Eval != nil {
		o.MMD2 = out.Eval.MMD2
	}
	return json.Marshal(o)
}

// CellID is the id of the (data, loss, seed) cell.
func CellID(data, loss string, seed int) string {
	name := ebm.CompareRunName(data, loss, seed)
	b := []byte(name)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '=') {
			b[i] = '_'
		}
	}
	return string(b)
}

// Grid returns the sweep grid of a comparison: one cell per (data, loss, seed) in
// ebm.Compare's order, seeds 1..cfg.Seeds (0: 3), evaluated with eval on backend.
func Grid(id string, cfg ebm.CompareConfig, eval ebm.EvalConfig, backendName string) (*sweep.Grid, error) {
	seeds := cfg.Seeds
	if seeds == 0 {
		seeds = 3
	}
	g := &sweep.Grid{ID: id}
	for _, d := range cfg.Data {
		data := d
		if strings.ContainsAny(d, `/\`) || strings.HasSuffix(strings.ToLower(d), ".csv") {
			if abs, err := filepath.Abs(d); err == nil {
				data = abs
			}
		}
		for _, l := range cfg.Losses {
			for seed := 1; seed <= seeds; seed++ {
				b, err := json.Marshal(Config{Base: cfg.Base, Data: data, Loss: l, Eval: eval, Backend: backendName})
				if err != nil {
					return nil, err
				}
				g.Cells = append(g.Cells, sweep.Cell{ID: CellID(d, l, seed), Capability: Capability, Seed: uint64(seed), Config: b})
			}
		}
	}
	return g, nil
}
