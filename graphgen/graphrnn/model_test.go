package graphrnn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ergml/erg/backend"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// path3 is the sequence of the path 0-1-2 in node order with M = 2, and edge
// the single edge, both hand-encoded.
var (
	path3 = &Sequence{MaxPrev: 2, Rows: [][]uint8{{1, 0}, {1, 0}}}
	edge2 = &Sequence{MaxPrev: 2, Rows: [][]uint8{{1, 0}}}
)

func TestMakeBatch(t *testing.T) {
	a := Arch{Kind: KindS, MaxPrev: 2, MaxNodes: 4}
	bt, err := MakeBatch([]*Sequence{path3, edge2}, a)
	if err != nil {
		t.Fatal(err)
	}
	wantX := []float32{1, 1, 1, 0, 1, 0, 0, 0 /* graph 2 */, 1, 1, 1, 0, 0, 0, 0, 0}
	wantY := []float32{1, 0, 1, 0, 0, 0, 0, 0 /* graph 2 */, 1, 0, 0, 0, 0, 0, 0, 0}
	// GraphRNN-S: 1/(B·L·M) = 1/(2·3·2) on the n rows of each graph
	w := float32(1.0 / 12)
	wantW := []float32{w, w, w, w, w, w, 0, 0, w, w, w, w, 0, 0, 0, 0}
	if !slices.Equal(bt.X, wantX) || !slices.Equal(bt.Y, wantY) || !slices.Equal(bt.W, wantW) {
		t.Fatalf("GraphRNN-S batch\nX %v\nY %v\nW %v", bt.X, bt.Y, bt.W)
	}
	a.Kind = KindRNN
	bt, err = MakeBatch([]*Sequence{path3, edge2}, a)
	if err != nil {
		t.Fatal(err)
	}
	// GraphRNN: K = min(4, 2) = 2; row t has min(t+1, 2) terms, each 1/(Σn·min(L, M)) = 1/(5·2)
	w = 0.1
	wantW = []float32{w, 0, w, w, w, w, 0, 0, w, 0, w, w, 0, 0, 0, 0}
	if bt.K != 2 || !slices.Equal(bt.W, wantW) {
		t.Fatalf("GraphRNN batch K %d W %v", bt.K, bt.W)
	}
	if _, err := MakeBatch([]*Sequence{{MaxPrev: 3}}, a); err == nil {
		t.Fatal("a sequence with another max_prev_node was accepted")
	}
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// bce is −[y log σ(z) + (1−y) log(1−σ(z))], as F.binary_cross_entropy(σ(z), y).
func bce(z, y float64) float64 { return -(y*math.Log(sigmoid(z)) + (1-y)*math.Log(1-sigmoid(z))) }

// lossWithOutput evaluates Loss on the batch of seqs for a network whose last
// output layer has zero weights and biases c, so that every logit of output
// j is c[j].
func lossWithOutput(t *testing.T, a Arch, seqs []*Sequence, last string, c []float32) float64 {
	t.Helper()
	b, err := backend.New("")
	if err != nil {
		t.Fatal(err)
	}
	store := model.NewStore()
	if err := Init(store, a, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	w := store.GetVariable(last + "/weights")
	w.MustSetValue(tensors.FromFlatDataAndDimensions(make([]float32, w.Shape().Size()), w.Shape().Dimensions...))
	store.GetVariable(last + "/biases").MustSetValue(tensors.FromFlatDataAndDimensions(c, len(c)))
	nv := store.NumVariables()
	bt, err := MakeBatch(seqs, a)
	if err != nil {
		t.Fatal(err)
	}
	in := bt.Tensors()
	out, err := model.ExecOnce(b, store, func(s *model.Scope, x, y, w *Node) *Node { return Loss(s, []*Node{x, y, w}, a) }, in[0], in[1], in[2])
	if err != nil {
		t.Fatal(err)
	}
	if store.NumVariables() != nv {
		t.Fatalf("Loss created %d variables beyond Init's %d: Params' paths differ from the layers'", store.NumVariables()-nv, nv)
	}
	return float64(out.Value().(float32))
}

func TestLossHandComputed(t *testing.T) {
	// GraphRNN-S on path3 and edge2 (M 2, 4 nodes max), logits c = (0.5, -1):
	// F.binary_cross_entropy's mean over the padded [2, 3, 2] batch.
	a := DefaultArch(KindS, 2, 4, true)
	a.Hidden, a.Embed, a.OutEmbed, a.Layers = 5, 3, 4, 2
	got := lossWithOutput(t, a, []*Sequence{path3, edge2}, "/graphrnn/output/dense_1", []float32{0.5, -1})
	// path3 targets (rows 0..2): [1 0] [1 0] [0 0]; edge2: [1 0] [0 0]
	want := (3*bce(0.5, 1) + 2*bce(0.5, 0) + 5*bce(-1, 0)) / 12
	if math.Abs(got-want) > 1e-6 {
		t.Fatalf("GraphRNN-S loss %.8f, hand-computed %.8f", got, want)
	}
	// GraphRNN: every edge logit 0.7; row t of an n-node graph has min(t+1, 2)
	// terms; path3 rows [1] [1 0] [0 0], edge2 rows [1] [0 0]; mean over Σn·min(L,M) = 10
	a.Kind = KindRNN
	a.EdgeHidden, a.EdgeEmbed = 3, 2
	got = lossWithOutput(t, a, []*Sequence{path3, edge2}, "/graphrnn/edge_output/dense_1", []float32{0.7})
	want = (3*bce(0.7, 1) + 5*bce(0.7, 0)) / 10
	if math.Abs(got-want) > 1e-6 {
		t.Fatalf("GraphRNN loss %.8f, hand-computed %.8f", got, want)
	}
}

func TestBCEWithLogits(t *testing.T) {
	b, err := backend.New("")
	if err != nil {
		t.Fatal(err)
	}
	zs := []float64{-30, -2, 0, 0.3, 4, 40}
	ys := []float64{0, 1, 1, 0, 1, 0}
	out, err := ExecOnce(b, func(z, y *Node) *Node { return BCEWithLogits(z, y) }, zs, ys)
	if err != nil {
		t.Fatal(err)
	}
	got := out.Value().([]float64)
	for i := range zs {
		// the stable form is exact where σ does not saturate; at ±30/40 compare with the limit
		want := bce(zs[i], ys[i])
		if math.IsInf(want, 0) || math.IsNaN(want) {
			want = math.Abs(zs[i])
		}
		if math.Abs(got[i]-want) > 1e-9*math.Max(1, want) {
			t.Errorf("BCE(%g, %g) = %g, want %g", zs[i], ys[i], got[i], want)
		}
	}
}

func TestSampleUntrained(t *testing.T) {
	b, err := backend.New("")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range Kinds {
		a := DefaultArch(kind, 4, 8, true)
		a.Hidden, a.Embed, a.OutEmbed, a.Layers = 8, 4, 4, 2
		store := model.NewStore()
		if err := Init(store, a, rand.New(rand.NewPCG(2, 2))); err != nil {
			t.Fatal(err)
		}
		m, err := NewModel(b, store, a)
		if err != nil {
			t.Fatal(err)
		}
		gs, err := m.Sample(10, rand.New(rand.NewPCG(3, 3)))
		if err != nil {
			t.Fatal(err)
		}
		again, err := m.Sample(10, rand.New(rand.NewPCG(3, 3)))
		if err != nil {
			t.Fatal(err)
		}
		for i, g := range gs {
			if g.N() < 1 || g.N() > a.MaxNodes {
				t.Fatalf("%s: graph %d has %d nodes (max %d)", kind, i, g.N(), a.MaxNodes)
			}
			if g.N() > 1 && !g.Connected() {
				t.Fatalf("%s: sampled graph %d is not connected", kind, i)
			}
			if !slices.Equal(g.Edges(), again[i].Edges()) {
				t.Fatalf("%s: the same seed drew different graphs", kind)
			}
		}
	}
}
