package jet_test

import (
	"bufio"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go-hep.org/x/hep/fastjet"

	"github.com/ergml/erg/hep/jet"
	"github.com/ergml/erg/hep/pythia6"
)

// tolPt is the relative pT tolerance of the comparison with go-hep's FastJet port.
const tolPt = 1e-9

// gohep clusters particles with go-hep's port of FastJet (naive N³ strategy, the
// only one it implements), the reference of these tests.
func gohep(t *testing.T, parts [][4]float64, r, ptMin float64) []jet.Jet {
	in := make([]fastjet.Jet, len(parts))
	for i, p := range parts {
		in[i] = fastjet.NewJet(p[0], p[1], p[2], p[3])
		in[i].UserInfo = i
	}
	def := fastjet.NewJetDefinition(fastjet.AntiKtAlgorithm, r, fastjet.EScheme, fastjet.N3DumbStrategy)
	cs, err := fastjet.NewClusterSequence(in, def)
	if err != nil {
		t.Fatal(err)
	}
	js, err := cs.InclusiveJets(ptMin)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]jet.Jet, len(js))
	for k := range js {
		cons, err := cs.Constituents(&js[k])
		if err != nil {
			t.Fatal(err)
		}
		idx := make([]int, len(cons))
		for i, c := range cons {
			idx[i] = c.UserInfo.(int)
		}
		sort.Ints(idx)
		out[k] = jet.Jet{P: [4]float64{js[k].Px(), js[k].Py(), js[k].Pz(), js[k].E()}, Constituents: idx}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pt() > out[j].Pt() })
	return out
}

// same reports the first difference between two jet lists, or "".
func same(got, want []jet.Jet) string {
	if len(got) != len(want) {
		return "number of jets " + strconv.Itoa(len(got)) + ", want " + strconv.Itoa(len(want))
	}
	for k := range got {
		if d := math.Abs(got[k].Pt()-want[k].Pt()) / want[k].Pt(); !(d <= tolPt) {
			return "jet " + strconv.Itoa(k) + ": pT " + strconv.FormatFloat(got[k].Pt(), 'g', 15, 64) + ", want " + strconv.FormatFloat(want[k].Pt(), 'g', 15, 64)
		}
		if len(got[k].Constituents) != len(want[k].Constituents) {
			return "jet " + strconv.Itoa(k) + ": constituents differ"
		}
		for i := range got[k].Constituents {
			if got[k].Constituents[i] != want[k].Constituents[i] {
				return "jet " + strconv.Itoa(k) + ": constituents differ"
			}
		}
	}
	return ""
}

func TestAntiKtRandomVsGoHep(t *testing.T) {
	for _, st := range []jet.Strategy{jet.Plain, jet.Tiled} {
		testRandom(t, st)
	}
}

func testRandom(t *testing.T, st jet.Strategy) {
	rng := rand.New(rand.NewPCG(1, 2))
	var c jet.Clusterer
	c.Def = jet.AntiKt(0.8)
	c.Strategy = st
	for ev := range 30 {
		n := 20 + rng.IntN(200)
		parts := make([][4]float64, n)
		for i := range parts {
			pt := math.Exp(rng.NormFloat64() + 1)
			eta := 2 * rng.NormFloat64()
			phi := 2 * math.Pi * rng.Float64()
			m := 0.14 * rng.Float64()
			px, py, pz := pt*math.Cos(phi), pt*math.Sin(phi), pt*math.Sinh(eta)
			parts[i] = [4]float64{px, py, pz, math.Sqrt(px*px + py*py + pz*pz + m*m)}
		}
		if msg := same(c.Cluster(parts, 1), gohep(t, parts, 0.8, 1)); msg != "" {
			t.Errorf("strategy %d, event %d (%d particles): %s", st, ev, n, msg)
		}
	}
}

// fastjetExamples is the FastJet examples' file of 10 Pythia LHC events (Debian fastjet-examples).
const fastjetExamples = "/usr/share/doc/fastjet-examples/examples/Pythia-PtMin1000-LHC-10ev.dat"

func TestAntiKtFastJetEventsVsGoHep(t *testing.T) {
	f, err := os.Open(fastjetExamples)
	if err != nil {
		t.Skipf("needs Debian package fastjet-examples: %v", err)
	}
	defer f.Close()
	var evs [][][4]float64
	var cur [][4]float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#END") {
			evs = append(evs, cur)
			cur = nil
			continue
		}
		if strings.HasPrefix(l, "#") {
			continue
		}
		fs := strings.Fields(l)
		var p [4]float64
		for i := range p {
			p[i], _ = strconv.ParseFloat(fs[i], 64)
		}
		cur = append(cur, p)
	}
	if len(evs) != 10 {
		t.Fatalf("read %d events, want 10", len(evs))
	}
	for i, parts := range evs {
		if msg := same(jet.AntiKt(0.8).Cluster(parts, 5), gohep(t, parts, 0.8, 5)); msg != "" {
			t.Errorf("event %d: %s", i, msg)
		}
	}
}

// TestAntiKtPythiaVsGoHep is the golden test of the issue: 200 Pythia QCD events at
// 14 TeV (p̂T 550–650 GeV) clustered equal to go-hep.
func TestAntiKtPythiaVsGoHep(t *testing.T) {
	if err := pythia6.Available(); err != nil {
		t.Skip(err)
	}
	if testing.Short() {
		t.Skip("short: 200 events through go-hep's N³ clustering take ~20 s")
	}
	exe, err := pythia6.Build(context.Background(), os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	var events [][][4]float64
	cfg := pythia6.Config{Process: pythia6.QCD, Events: 200, Seed: 4242, PtMin: 550, PtMax: 650, ECM: 14000}
	if _, err := pythia6.Run(context.Background(), exe, cfg, func(ev *pythia6.Event) error {
		events = append(events, append([][4]float64(nil), ev.Particles...))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c jet.Clusterer
			c.Def = jet.AntiKt(0.8)
			for i := w; i < len(events); i += 2 {
				msg := same(c.Cluster(events[i], 5), gohep(t, events[i], 0.8, 5))
				if msg != "" {
					mu.Lock()
					t.Errorf("event %d (%d particles): %s", i+1, len(events[i]), msg)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkAntiKt(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	parts := make([][4]float64, 400)
	for i := range parts {
		pt := math.Exp(rng.NormFloat64())
		eta, phi := 2*rng.NormFloat64(), 2*math.Pi*rng.Float64()
		px, py, pz := pt*math.Cos(phi), pt*math.Sin(phi), pt*math.Sinh(eta)
		parts[i] = [4]float64{px, py, pz, math.Sqrt(px*px + py*py + pz*pz)}
	}
	var c jet.Clusterer
	c.Def = jet.AntiKt(0.8)
	b.ReportAllocs()
	for b.Loop() {
		c.Cluster(parts, 5)
	}
}
