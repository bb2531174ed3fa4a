package ssgan

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/hsi/cnn"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// unsupRef is the unsupervised loss from explicit K+1-class softmax probabilities
// (the fake class's logit 0): −½ mean log(1 − p_fake(x_unl)) − ½ mean log p_fake(G(z)),
// i.e. with Z = Σ exp l: −½ log(Z/(Z+1)) and −½ log(1/(Z+1)), summed in float64
// without any log-sum-exp identity (the logits are kept moderate).
func unsupRef(lu, lf [][]float64) float64 {
	pFake := func(l []float64) float64 {
		z := 1.0 // exp(0), the fake class
		for _, v := range l {
			z += math.Exp(v)
		}
		return 1 / z
	}
	var a, b float64
	for _, l := range lu {
		a += math.Log(1 - pFake(l))
	}
	for _, l := range lf {
		b += math.Log(pFake(l))
	}
	return -0.5*a/float64(len(lu)) - 0.5*b/float64(len(lf))
}

func randLogits(r *rand.Rand, n, k int, scale float64) ([][]float64, []float64) {
	rows := make([][]float64, n)
	var flat []float64
	for i := range rows {
		rows[i] = make([]float64, k)
		for j := range rows[i] {
			rows[i][j] = scale * r.NormFloat64()
		}
		flat = append(flat, rows[i]...)
	}
	return rows, flat
}

// The K+1-logit unsupervised loss computed by GANLosses (log-sum-exp and softplus)
// equals the one from explicit K+1 softmax probabilities, and its gradient with
// respect to the logits equals central finite differences of that reference.
func TestUnsupLossTwoWays(t *testing.T) {
	b, err := backend.New("")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	const n, k = 5, 4
	lu, flu := randLogits(r, n, k, 2)
	lf, flf := randLogits(r, n, k, 2)
	ll, fll := randLogits(r, n, k, 2)
	y := []int32{0, 1, 2, 3, 1}
	out, err := ExecOnceN(b, func(lab, yy, unl, fake *Node) []*Node {
		sup, unsup := GANLosses(lab, yy, unl, fake)
		return append([]*Node{sup, unsup}, Gradient(unsup, unl, fake)...)
	}, tensors.FromFlatDataAndDimensions(fll, n, k), tensors.FromFlatDataAndDimensions(y, n),
		tensors.FromFlatDataAndDimensions(flu, n, k), tensors.FromFlatDataAndDimensions(flf, n, k))
	if err != nil {
		t.Fatal(err)
	}
	sup := out[0].Value().(float64)
	unsup := out[1].Value().(float64)
	gu := tensors.MustCopyFlatData[float64](out[2])
	gf := tensors.MustCopyFlatData[float64](out[3])
	if want := unsupRef(lu, lf); math.Abs(unsup-want) > 1e-12 {
		t.Errorf("unsup = %.15g, explicit K+1 softmax %.15g", unsup, want)
	}
	// supervised: −mean log softmax over the K real classes.
	var ws float64
	for i, l := range ll {
		m := 0.0
		for _, v := range l {
			m += math.Exp(v)
		}
		ws -= math.Log(math.Exp(l[y[i]]) / m)
	}
	if ws /= n; math.Abs(sup-ws) > 1e-12 {
		t.Errorf("sup = %.15g, want %.15g", sup, ws)
	}
	const h = 1e-5
	for which, rows := range [][][]float64{lu, lf} {
		g := [][]float64{gu, gf}[which]
		for i := range rows {
			for j := range rows[i] {
				v := rows[i][j]
				rows[i][j] = v + h
				up := unsupRef(lu, lf)
				rows[i][j] = v - h
				dn := unsupRef(lu, lf)
				rows[i][j] = v
				if fd := (up - dn) / (2 * h); math.Abs(fd-g[i*k+j]) > 1e-8 {
					t.Errorf("d unsup / d %s[%d][%d] = %.10g, finite difference %.10g", []string{"unl", "fake"}[which], i, j, g[i*k+j], fd)
				}
			}
		}
	}
	// Large logits stay finite: Z = e^800 overflows a direct sum.
	big, err := ExecOnce(b, func(l *Node) *Node {
		_, u := GANLosses(l, Const(l.Graph(), []int32{0}), l, l)
		return u
	}, [][]float64{{800, -800}})
	if err != nil {
		t.Fatal(err)
	}
	// log D ≈ 0 for the real patch, log(1-D) ≈ −800 for the fake: 400.
	if v := big.Value().(float64); math.Abs(v-400) > 1e-9 {
		t.Errorf("unsup at logit 800 = %v, want 400", v)
	}
}

// The feature-matching difference of Loss, FM − FM(G(z) stopped), is 0, gives the
// discriminator's parameters zero gradient (to rounding) (the same dropout mask on both
// generated blocks) and the generator's parameters the gradient of FM itself.
func TestFeatureMatchingOnlyTrainsG(t *testing.T) {
	b, err := backend.New("")
	if err != nil {
		t.Fatal(err)
	}
	const bs, bands, k, noise = 4, 6, 3, 8
	cfg := Config{Noise: noise, Dropout: 0.5}.withDefaults()
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(3); err != nil {
		t.Fatal(err)
	}
	exec, err := model.NewExec(b, store, func(s *model.Scope, in []*Node) []*Node {
		tm := terms(s, in, k, bands, cfg)
		diff := Sub(tm.FM, tm.FMStopped)
		g := diff.Graph()
		var dVars, gVars []*Node
		for v := range store.IterVariables() {
			if !v.Trainable || !v.InUseByGraph(g) {
				continue
			}
			switch {
			case strings.HasPrefix(v.Path(), "/net/"):
				dVars = append(dVars, v.ValueGraph(g))
			case strings.HasPrefix(v.Path(), "/gen/"):
				gVars = append(gVars, v.ValueGraph(g))
			}
		}
		if len(dVars) == 0 || len(gVars) == 0 {
			panic("no variables")
		}
		maxAbs := func(ns []*Node) *Node {
			m := ScalarZero(g, dtypes.Float32)
			for _, n := range ns {
				m = Max(m, ReduceAllMax(Abs(n)))
			}
			return m
		}
		dD := Gradient(diff, dVars...)
		gDiff := Gradient(diff, gVars...)
		gFM := Gradient(tm.FM, gVars...)
		var delta []*Node
		for i := range gDiff {
			delta = append(delta, Sub(gDiff[i], gFM[i]))
		}
		dFM := Gradient(tm.FM, dVars...)
		return []*Node{diff, maxAbs(dD), maxAbs(gFM), maxAbs(delta), maxAbs(dFM)}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	r := rand.New(rand.NewPCG(5, 6))
	patch := func() *tensors.Tensor {
		x := make([]float32, bs*Patch*Patch*bands)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		return tensors.FromFlatDataAndDimensions(x, cnn.InputDims(bs, Patch, bands)...)
	}
	z := make([]float32, bs*noise)
	for i := range z {
		z[i] = float32(r.NormFloat64())
	}
	out, err := exec.Exec(patch(), tensors.FromFlatDataAndDimensions([]int32{0, 1, 2, 0}, bs), patch(), tensors.FromFlatDataAndDimensions(z, bs, noise))
	if err != nil {
		t.Fatal(err)
	}
	v := func(i int) float64 { return float64(out[i].Value().(float32)) }
	if v(0) != 0 {
		t.Errorf("FM − FM(stopped) = %g, want 0", v(0))
	}
	// Zero up to the rounding of the gradient's sums (both terms' gradients are
	// reduced separately).
	if v(1) > 1e-6*v(4) {
		t.Errorf("discriminator gradient of the FM difference: max |g| = %g, want 0 (FM's own: %g)", v(1), v(4))
	}
	if v(2) == 0 {
		t.Error("generator gradient of FM is 0")
	}
	if v(3) > 1e-6*v(2) {
		t.Errorf("generator gradient of the FM difference differs from FM's by %g (max |g| %g)", v(3), v(2))
	}
	if v(4) == 0 {
		t.Error("discriminator gradient of FM alone is 0: the cancellation test is vacuous")
	}
}

func TestDiscriminatorShapes(t *testing.T) {
	b, err := backend.New("")
	if err != nil {
		t.Fatal(err)
	}
	for _, bands := range []int{1, 4, 24} {
		store := model.NewStore()
		var ld, fd, gd []int
		exec, err := model.NewExec(b, store, func(s *model.Scope, x, z *Node) *Node {
			l, f := Discriminator(s.In("net"), x, 5, false, 0)
			g := Generator(s.In("gen"), z, bands, false)
			ld, fd, gd = l.Shape().Dimensions, f.Shape().Dimensions, g.Shape().Dimensions
			return ReduceAllSum(l)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exec.Compile(shapes.Make(dtypes.Float32, 3, Patch, Patch, bands, 1), shapes.Make(dtypes.Float32, 3, 100)); err != nil {
			t.Fatalf("%d bands: %v", bands, err)
		}
		exec.Finalize()
		if len(ld) != 2 || ld[0] != 3 || ld[1] != 5 || len(fd) != 2 || fd[1] != 128 {
			t.Errorf("%d bands: logits %v, features %v; want [3 5], [3 128]", bands, ld, fd)
		}
		if want := []int{3, Patch, Patch, bands, 1}; len(gd) != 5 || gd[1] != want[1] || gd[2] != want[2] || gd[3] != want[3] || gd[4] != 1 {
			t.Errorf("%d bands: generator output %v, want %v", bands, gd, want)
		}
	}
}

// tinyCube is a 16×16 image of three vertical stripes (classes 1..3) whose 6-band
// spectra differ by class in a direction hidden in noise of the same size.
func tinyCube(seed uint64) (*cnn.Cube, []int) {
	const n, bands = 16, 6
	r := rand.New(rand.NewPCG(seed, 9))
	means := [3][bands]float64{{1, 0, -1, 0, 0.5, 0}, {-1, 1, 0, 0, -0.5, 0}, {0, -1, 1, 0, 0, 0}}
	x := make([]float64, n*n*bands)
	lab := make([]int, n*n)
	for p := range lab {
		c := min((p%n)*3/n, 2)
		lab[p] = c + 1
		for j := range bands {
			x[p*bands+j] = 0.8*means[c][j] + 0.7*r.NormFloat64()
		}
	}
	return cnn.NewCube(n, n, bands, x), lab
}

// A tiny SS-GAN run on three labelled pixels per class classifies the other pixels
// far above chance (1/3).
func TestFitTinyBeatsChance(t *testing.T) {
	c, lab := tinyCube(1)
	r := rand.New(rand.NewPCG(4, 4))
	var train, labels, unl []int
	perm := r.Perm(len(lab))
	got := map[int]int{}
	for _, p := range perm {
		if got[lab[p]] < 3 {
			got[lab[p]]++
			train, labels = append(train, p), append(labels, lab[p])
			continue
		}
		unl = append(unl, p)
	}
	res, err := Fit(context.Background(), c, train, labels, unl, 3, Config{Steps: 120, Batch: 8, LR: 1e-3, Seed: 1, Quiet: true, NoMeter: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	correct := 0
	for _, p := range unl {
		best := 0
		for k := 1; k < 3; k++ {
			if res.Prob[p*3+k] > res.Prob[p*3+best] {
				best = k
			}
		}
		if best+1 == lab[p] {
			correct++
		}
		var sum float64
		for k := range 3 {
			sum += res.Prob[p*3+k]
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Fatalf("pixel %d: probabilities sum to %v", p, sum)
		}
	}
	acc := float64(correct) / float64(len(unl))
	t.Logf("tiny SS-GAN: accuracy %.3f on %d pixels (%d steps, %.1f ms/step)", acc, len(unl), res.Steps, res.StepMillis)
	if acc < 0.7 {
		t.Errorf("accuracy %.3f, want ≥ 0.7 (chance 0.33)", acc)
	}
}

func TestBadConfig(t *testing.T) {
	c, lab := tinyCube(1)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Steps: -1}, "steps -1"},
		{Config{Batch: 1}, "batch 1"},
		{Config{Dropout: 1}, "dropout 1"},
		{Config{LR: -1}, "learning rate -1"},
		{Config{Unsup: -2}, "unsupervised weight -2"},
	} {
		_, err := Fit(context.Background(), c, []int{0}, []int{lab[0]}, []int{1}, 3, tc.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := Fit(context.Background(), c, []int{0}, []int{4}, []int{1}, 3, Config{}, nil); err == nil || !strings.Contains(err.Error(), "label 4") {
		t.Errorf("label out of range: %v", err)
	}
	if _, err := Fit(context.Background(), c, []int{0}, []int{1}, nil, 3, Config{}, nil); err == nil || !strings.Contains(err.Error(), "no unlabelled") {
		t.Errorf("no unlabelled pixels: %v", err)
	}
}
