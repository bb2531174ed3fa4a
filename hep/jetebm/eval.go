package jetebm

import (
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/hep/jetset"
)

// EvalConfig configures Evaluate.
type EvalConfig struct {
	Samples       int    // generated jets for the W1 figures, from the Gaussian init (0: 10000)
	BufferSamples int    // jets also taken from the run's replay buffer (0: 10000; negative: none)
	SampleSteps   int    // Langevin steps per sample from the Gaussian init (0: 128, the paper's)
	Seed          uint64 // (0: 1)
	Keep          float64
}

// Eval holds the figures of `erg hep eval` under the JSON keys; the _mass,
// _random, _gaussian and _halves keys are the baselines measured on the same jets.
type Eval struct {
	AUCTop     *float64 `json:"auc_top,omitempty"`
	AUCTopMass *float64 `json:"auc_top_mass,omitempty"`
	AUCW       *float64 `json:"auc_w,omitempty"`
	AUCWMass   *float64 `json:"auc_w_mass,omitempty"`

	SculptJSD       float64 `json:"sculpt_jsd"`
	SculptJSDRandom float64 `json:"sculpt_jsd_random"`
	SculptJSDMass   float64 `json:"sculpt_jsd_mass"`

	W1Mass         float64 `json:"w1_mass"`
	W1Pt           float64 `json:"w1_pt"`
	W1MassGaussian float64 `json:"w1_mass_gaussian"`
	W1PtGaussian   float64 `json:"w1_pt_gaussian"`
	W1MassHalves   float64 `json:"w1_mass_halves"`
	W1PtHalves     float64 `json:"w1_pt_halves"`
	W1Mult         float64 `json:"w1_multiplicity"`
	// The same for the persistent chains of the replay buffer at the end of training.
	W1MassBuffer  float64 `json:"w1_mass_buffer,omitempty"`
	W1PtBuffer    float64 `json:"w1_pt_buffer,omitempty"`
	BufferSamples int     `json:"buffer_samples,omitempty"`
	SampleFrom    string  `json:"sample_from"`

	QCDJets     int               `json:"qcd_jets"`
	SignalJets  map[string]int    `json:"signal_jets"`
	Samples     int               `json:"samples"`
	SampleSteps int               `json:"sample_steps"`
	Targets     map[string]string `json:"targets"`
	Pass        map[string]bool   `json:"pass"`

	// Observables of the generated and Gaussian samples and of the held-out QCD jets,
	// for histograms (not in JSON).
	Gen, Gauss, Held [][jetset.NCols]float64 `json:"-"`
}

func f(v float64) *float64 { return &v }

// Evaluate scores the model on held-out QCD jets and signal sets keyed "top"/"w",
// and compares its samples with the held-out jets; train is the training set (for
// the Gaussian baseline).
func Evaluate(m *Model, qcd *jetset.Set, signals map[string]*jetset.Set, train *jetset.Set, c EvalConfig) (*Eval, error) {
	if c.Samples == 0 {
		c.Samples = 10000
	}
	if c.SampleSteps == 0 {
		c.SampleSteps = 128
	}
	if c.BufferSamples == 0 {
		c.BufferSamples = 10000
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Keep == 0 {
		c.Keep = 0.1
	}
	ev := &Eval{QCDJets: qcd.Len(), SignalJets: map[string]int{}, Samples: c.Samples, SampleSteps: c.SampleSteps}
	eq, err := m.Energies(qcd.Flat())
	if err != nil {
		return nil, err
	}
	mass := make([]float64, qcd.Len())
	for i := range mass {
		mass[i] = qcd.Jets[i][jetset.ColMass]
	}
	for name, s := range signals {
		es, err := m.Energies(s.Flat())
		if err != nil {
			return nil, err
		}
		sm := make([]float64, s.Len())
		for i := range sm {
			sm[i] = s.Jets[i][jetset.ColMass]
		}
		a, am := AUC(eq, es), AUC(mass, sm)
		ev.SignalJets[name] = s.Len()
		switch name {
		case "top":
			ev.AUCTop, ev.AUCTopMass = f(a), f(am)
		case "w":
			ev.AUCW, ev.AUCWMass = f(a), f(am)
		default:
			return nil, fmt.Errorf("jetebm: signal %q: want top or w", name)
		}
	}
	ev.SculptJSD = SculptJSD(eq, mass, c.Keep)
	ev.SculptJSDMass = SculptJSD(mass, mass, c.Keep)
	r := rand.New(rand.NewPCG(c.Seed, 77))
	rs := make([]float64, len(mass))
	for i := range rs {
		rs[i] = r.Float64()
	}
	ev.SculptJSDRandom = SculptJSD(rs, mass, c.Keep)

	// Generation: observables from the stored constituents on both sides.
	held := make([][jetset.NCols]float64, qcd.Len())
	for i := range held {
		held[i] = jetset.Observables(qcd.Const[i])
	}
	gen, err := m.Sample(c.Samples, c.SampleSteps, c.Seed)
	if err != nil {
		return nil, err
	}
	ev.SampleFrom = fmt.Sprintf("%d Langevin steps from the Gaussian init", c.SampleSteps)
	g, err := FitGaussian(train.Flat(), D)
	if err != nil {
		return nil, err
	}
	gauss := g.Sample(c.Samples, c.Seed+1)
	ev.Gen, ev.Gauss, ev.Held = observables(gen), observables(gauss), held
	col := func(o [][jetset.NCols]float64, k int) []float64 {
		out := make([]float64, len(o))
		for i := range o {
			out[i] = o[i][k]
		}
		return out
	}
	hm, hp := col(held, jetset.ColMass), col(held, jetset.ColPt)
	ev.W1Mass, ev.W1Pt = W1(col(ev.Gen, jetset.ColMass), hm), W1(col(ev.Gen, jetset.ColPt), hp)
	ev.W1Mult = W1(col(ev.Gen, jetset.ColMult), col(held, jetset.ColMult))
	ev.W1MassGaussian, ev.W1PtGaussian = W1(col(ev.Gauss, jetset.ColMass), hm), W1(col(ev.Gauss, jetset.ColPt), hp)
	if c.BufferSamples > 0 {
		gb, err := m.BufferSamples(c.BufferSamples, 0)
		if err != nil {
			return nil, err
		}
		ob := observables(gb)
		ev.W1MassBuffer, ev.W1PtBuffer = W1(col(ob, jetset.ColMass), hm), W1(col(ob, jetset.ColPt), hp)
		ev.BufferSamples = c.BufferSamples
	}
	h := len(held) / 2
	ev.W1MassHalves, ev.W1PtHalves = W1(hm[:h], hm[h:]), W1(hp[:h], hp[h:])

	ev.Targets = map[string]string{
		"auc_top": "≥ 0.85 with sculpt_jsd ≤ 0.15 (floor 0.80)", "auc_w": "≥ 0.60",
		"sculpt_jsd": "≤ 0.15", "w1_mass": "≤ 10 GeV and ≤ ½ w1_mass_gaussian", "w1_pt": "≤ 15 GeV",
	}
	ev.Pass = map[string]bool{
		"sculpt_jsd": ev.SculptJSD <= 0.15,
		"w1_mass":    ev.W1Mass <= 10 && ev.W1Mass <= ev.W1MassGaussian/2,
		"w1_pt":      ev.W1Pt <= 15,
	}
	if ev.AUCTop != nil {
		ev.Pass["auc_top"] = *ev.AUCTop >= 0.85 && ev.SculptJSD <= 0.15
	}
	if ev.AUCW != nil {
		ev.Pass["auc_w"] = *ev.AUCW >= 0.60
	}
	return ev, nil
}

func observables(flat []float32) [][jetset.NCols]float64 {
	n := len(flat) / D
	out := make([][jetset.NCols]float64, n)
	for i := range n {
		var c [jetset.NConst][jetset.NFeat]float32
		for k := range jetset.NConst {
			copy(c[k][:], flat[(i*jetset.NConst+k)*jetset.NFeat:])
		}
		out[i] = jetset.Observables(c)
	}
	return out
}
