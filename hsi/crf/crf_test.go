package crf

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randomImage(lines, samples, K, F int, seed uint64) Image {
	rng := rand.New(rand.NewPCG(seed, 1))
	img := Image{Lines: lines, Samples: samples, K: K, F: F, Unary: make([]float64, lines*samples*K), Features: make([]float64, lines*samples*F)}
	for i := range img.Unary {
		img.Unary[i] = -math.Log(0.05 + rng.Float64())
	}
	for i := range img.Features {
		img.Features[i] = rng.NormFloat64()
	}
	return img
}

// naive is a direct transcription of the mean-field update of Krähenbühl & Koltun
// (their Algorithm 1 with Potts compatibility), all pairs, no tables.
func naive(img Image, cfg Config) []float64 {
	cfg = cfg.withDefaults()
	N, K := img.Lines*img.Samples, img.K
	Q := make([]float64, N*K)
	softmaxNeg(img.Unary, Q, K)
	ka := func(i, j int) float64 {
		dp := math.Pow(float64(i/img.Samples-j/img.Samples), 2) + math.Pow(float64(i%img.Samples-j%img.Samples), 2)
		var df float64
		for f := 0; f < img.F; f++ {
			df += math.Pow(img.Features[i*img.F+f]-img.Features[j*img.F+f], 2)
		}
		return math.Exp(-dp/(2*cfg.ThetaAlpha*cfg.ThetaAlpha) - df/(2*cfg.ThetaBeta*cfg.ThetaBeta))
	}
	kg := func(i, j int) float64 {
		dp := math.Pow(float64(i/img.Samples-j/img.Samples), 2) + math.Pow(float64(i%img.Samples-j%img.Samples), 2)
		return math.Exp(-dp / (2 * cfg.ThetaGamma * cfg.ThetaGamma))
	}
	da, dg := make([]float64, N), make([]float64, N)
	for i := 0; i < N; i++ {
		da[i], dg[i] = 1, 1
		for j := 0; j < N; j++ {
			if j != i && !cfg.Unnormalized {
				da[i] += ka(i, j)
				dg[i] += kg(i, j)
			}
		}
	}
	for it := 0; it < cfg.Iterations; it++ {
		E := make([]float64, N*K)
		for i := 0; i < N; i++ {
			for l := 0; l < K; l++ {
				e := img.Unary[i*K+l]
				for j := 0; j < N; j++ {
					if j == i {
						continue
					}
					k := cfg.W1*ka(i, j)/math.Sqrt(da[i]*da[j]) + cfg.W2*kg(i, j)/math.Sqrt(dg[i]*dg[j])
					for l2 := 0; l2 < K; l2++ {
						if l2 != l {
							e += k * Q[j*K+l2]
						}
					}
				}
				E[i*K+l] = e
			}
		}
		softmaxNeg(E, Q, K)
	}
	return Q
}

func maxDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func TestExactMatchesNaive(t *testing.T) {
	img := randomImage(9, 11, 4, 3, 1)
	for _, cfg := range []Config{{Radius: -1, Iterations: 4}, {Radius: -1, Iterations: 3, Unnormalized: true, W1: 0.5}} {
		got, err := Infer(img, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(got, naive(img, cfg)); d > 1e-12 {
			t.Errorf("%+v: exact vs naive: max |ΔQ| = %g, want ≤ 1e-12", cfg, d)
		}
	}
}

// The default window against exact messages on a 32×32 crop, to 1e-6 (the issue's
// check), for the default and a wider appearance kernel.
func TestWindowMatchesExact(t *testing.T) {
	img := randomImage(32, 32, 5, 3, 2)
	for _, cfg := range []Config{{}, {ThetaAlpha: 3, W1: 5, Iterations: 10}} {
		exact := cfg
		exact.Radius = -1
		qe, _ := Infer(img, exact)
		qw, _ := Infer(img, cfg)
		if d := maxDiff(qe, qw); d > 1e-6 {
			t.Errorf("window %d vs exact: max |ΔQ| = %g, want ≤ 1e-6", Window(cfg), d)
		}
		short := cfg
		short.Radius = 2
		qs, _ := Infer(img, short)
		if d := maxDiff(qe, qs); d < 1e-4 {
			t.Errorf("radius 2 vs exact: max |ΔQ| = %g: the check cannot tell a truncated kernel (want > 1e-4)", d)
		}
	}
}

// A smooth field with noisy unaries: the CRF recovers more pixels than the unaries.
func TestDenoises(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const L, S, K = 30, 30, 3
	truth := make([]int, L*S)
	img := Image{Lines: L, Samples: S, K: K, F: 1, Unary: make([]float64, L*S*K), Features: make([]float64, L*S)}
	for i := range truth {
		truth[i] = (i%S)/10 + 1
		img.Features[i] = float64(truth[i]) + 0.3*rng.NormFloat64()
		for k := 0; k < K; k++ {
			p := 0.25
			if k+1 == truth[i] {
				p = 0.32
			}
			p += 0.3 * rng.Float64()
			img.Unary[i*K+k] = -math.Log(p)
		}
	}
	acc := func(pred []int) float64 {
		n := 0
		for i := range pred {
			if pred[i] == truth[i] {
				n++
			}
		}
		return float64(n) / float64(len(pred))
	}
	base := make([]float64, L*S*K)
	softmaxNeg(img.Unary, base, K)
	q, _ := Infer(img, Config{})
	if a0, a1 := acc(Argmax(base, K)), acc(Argmax(q, K)); a1 < a0+0.1 {
		t.Errorf("accuracy unaries %.3f, CRF %.3f: want a gain ≥ 0.1", a0, a1)
	}
}
