// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0

//go:build amd64 && goexperiment.simd

package matmul

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"simd/archsimd"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/internal/gobackend/dot"
)

func newTestGoBackend(t testing.TB, config string) *gobackend.Backend {
	b, err := gobackend.New(config)
	if err != nil {
		t.Fatal(err)
	}
	return b.(*gobackend.Backend)
}

// refMatMul computes the float64 reference for lhs=[b,m,k] and rhs=[b,k,n] (NonTransposed) or [b,n,k] (Transposed).
func refMatMul(layout dot.Layout, lhs, rhs []float32, batch, m, n, k int) []float64 {
	out := make([]float64, batch*m*n)
	for b := range batch {
		for i := range m {
			for j := range n {
				var s float64
				for p := range k {
					l := float64(lhs[b*m*k+i*k+p])
					var r float64
					if layout == dot.LayoutNonTransposed {
						r = float64(rhs[b*k*n+p*n+j])
					} else {
						r = float64(rhs[b*n*k+j*k+p])
					}
					s += l * r
				}
				out[b*m*n+i*n+j] = s
			}
		}
	}
	return out
}

func TestAVX2Large6x16Float32(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("no AVX2")
	}
	rng := rand.New(rand.NewPCG(42, 7))
	backends := []*gobackend.Backend{newTestGoBackend(t, "parallelism=1"), newTestGoBackend(t, "")}
	type shape struct{ batch, m, n, k int }
	shapes := []shape{
		{1, 1, 1, 1}, {1, 6, 16, 1}, {1, 7, 17, 3}, {1, 1, 300, 5}, {1, 300, 1, 5}, {1, 5, 15, 300},
		{1, 97, 1025, 257}, {1, 96, 1024, 256}, {1, 193, 33, 513}, {2, 61, 47, 29}, {3, 13, 100, 260},
		{1, 2400, 8, 128}, {1, 8, 128, 2400}, {5, 2, 2, 700}, {1, 1200, 50, 9},
	}
	for range 25 {
		shapes = append(shapes, shape{1 + rng.IntN(3), 1 + rng.IntN(150), 1 + rng.IntN(150), 1 + rng.IntN(600)})
	}
	for _, s := range shapes {
		lhs := make([]float32, s.batch*s.m*s.k)
		rhs := make([]float32, s.batch*s.k*s.n)
		for i := range lhs {
			lhs[i] = float32(rng.NormFloat64())
		}
		for i := range rhs {
			rhs[i] = float32(rng.NormFloat64())
		}
		for _, layout := range []dot.Layout{dot.LayoutNonTransposed, dot.LayoutTransposed} {
			want := refMatMul(layout, lhs, rhs, s.batch, s.m, s.n, s.k)
			for bi, backend := range backends {
				out := make([]float32, s.batch*s.m*s.n)
				for i := range out {
					out[i] = float32(math.NaN()) // Must be overwritten.
				}
				avx2Large6x16Float32(backend, layout, lhs, rhs, s.batch, s.m, s.n, s.k, out)
				tol := 1e-5 * math.Sqrt(float64(s.k)) * 4
				for i, w := range want {
					if d := math.Abs(float64(out[i]) - w); !(d <= tol*(1+math.Abs(w))) {
						t.Fatalf("shape %+v layout %s backend#%d: out[%d]=%g, want %g", s, layout, bi, i, out[i], w)
					}
				}
			}
		}
	}
}

// TestAVX2GemmBench prints GFLOP/s of old (4x16) vs new (6x16) large kernels; enabled with GEMM_BENCH=1.
func TestAVX2GemmBench(t *testing.T) {
	if os.Getenv("GEMM_BENCH") == "" {
		t.Skip("set GEMM_BENCH=1")
	}
	type shape struct {
		name    string
		m, n, k int
		layout  dot.Layout
	}
	NT, TT := dot.LayoutNonTransposed, dot.LayoutTransposed
	shapes := []shape{
		{"fwd1 2400x640.640x256", 2400, 256, 640, NT},
		{"fwd2 2400x768.768x128", 2400, 128, 768, NT},
		{"fwd3 2400x8.8x128", 2400, 128, 8, NT},
		{"dX1 2400x256.(640x256)T", 2400, 640, 256, TT},
		{"dX2 2400x128.(768x128)T", 2400, 768, 128, TT},
		{"dW1 640x2400.2400x256", 640, 256, 2400, NT},
		{"dW2 768x2400.2400x128", 768, 128, 2400, NT},
		{"dW3 8x2400.2400x128", 8, 128, 2400, NT},
		{"fwd1T 2400x640.(256x640)T", 2400, 256, 640, TT},
		{"sq 1024^3", 1024, 1024, 1024, NT},
	}
	if f := os.Getenv("GEMM_FILTER"); f != "" {
		var s2 []shape
		for _, s := range shapes {
			if strings.Contains(s.name, f) {
				s2 = append(s2, s)
			}
		}
		shapes = s2
	}
	rounds := 3
	for env, p := range map[string]*int{"GEMM_KC": &AVX2Params6x16Float32.PanelContractingSize,
		"GEMM_MC": &AVX2Params6x16Float32.LHSPanelCrossSize, "GEMM_NC": &AVX2Params6x16Float32.RHSPanelCrossSize} {
		if v := os.Getenv(env); v != "" {
			fmt.Sscan(v, p)
		}
	}
	if os.Getenv("GEMM_FORCE_LARGE") != "" {
		ForceLargeVariant = true
		defer func() { ForceLargeVariant = false }()
	}
	configs := []string{"parallelism=1", ""}
	if c := os.Getenv("GEMM_CONFIGS"); c != "" {
		configs = strings.Split(c, ";")
	}
	for _, cfg := range configs {
		backend := newTestGoBackend(t, cfg)
		for _, s := range shapes {
			rng := rand.New(rand.NewPCG(1, 2))
			lhs := make([]float32, s.m*s.k)
			rhs := make([]float32, s.k*s.n)
			out := make([]float32, s.m*s.n)
			for i := range lhs {
				lhs[i] = rng.Float32()
			}
			for i := range rhs {
				rhs[i] = rng.Float32()
			}
			flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
			best := [2]float64{}
			run := func() {
				avx2RouterFloat32(backend, s.layout, lhs, rhs, 1, s.m, s.n, s.k, out)
			}
			for range rounds {
				for v, use := range []bool{false, true} {
					UseAVX2Kernel6x16Float32 = use
					run()
					n := 0
					start := time.Now()
					for time.Since(start) < 300*time.Millisecond || n < 3 {
						run()
						n++
					}
					g := flops * float64(n) / time.Since(start).Seconds() / 1e9
					best[v] = max(best[v], g)
				}
			}
			UseAVX2Kernel6x16Float32 = true
			fmt.Printf("%-14q %-28s old(4x16) %6.1f  new(6x16) %6.1f GFLOP/s  x%.2f\n", cfg, s.name, best[0], best[1], best[1]/best[0])
		}
	}
}

// TestAVX2GemmBenchSmallVsLarge compares the small (non-packing) path with the 6x16 large path; GEMM_BENCH=1.
func TestAVX2GemmBenchSmallVsLarge(t *testing.T) {
	if os.Getenv("GEMM_BENCH") == "" {
		t.Skip("set GEMM_BENCH=1")
	}
	backend := newTestGoBackend(t, "parallelism=1")
	for _, s := range [][3]int{{16, 16, 16}, {32, 32, 32}, {64, 64, 64}, {100, 100, 100}, {128, 128, 128}, {2400, 8, 8}, {2400, 128, 8}, {8, 128, 2400}, {32, 128, 640}, {200, 64, 64}, {6, 16, 4096}, {1, 512, 512}, {512, 1, 512}} {
		m, n, k := s[0], s[1], s[2]
		lhs := make([]float32, m*k)
		rhs := make([]float32, k*n)
		out := make([]float32, m*n)
		for i := range lhs {
			lhs[i] = float32(i%7) - 3
		}
		for i := range rhs {
			rhs[i] = float32(i%5) - 2
		}
		flops := 2 * float64(m*n*k)
		for _, layout := range []dot.Layout{dot.LayoutNonTransposed, dot.LayoutTransposed} {
			best := [2]float64{}
			for range 3 {
				for v := range 2 {
					run := func() {
						if v == 0 {
							avx2SmallFloat32Parallel(backend, layout, lhs, rhs, 1, m, n, k, out)
						} else {
							avx2Large6x16Float32(backend, layout, lhs, rhs, 1, m, n, k, out)
						}
					}
					run()
					cnt := 0
					start := time.Now()
					for time.Since(start) < 100*time.Millisecond || cnt < 3 {
						run()
						cnt++
					}
					best[v] = max(best[v], flops*float64(cnt)/time.Since(start).Seconds()/1e9)
				}
			}
			fmt.Printf("%4dx%4dx%4d (MxNxK=%8d) %-15s small %6.1f  large6x16 %6.1f GFLOP/s\n", m, n, k, m*n*k, layout, best[0], best[1])
		}
	}
}
