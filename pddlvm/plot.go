package pddlvm

import (
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"

	"github.com/ergml/erg/pinn"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
)

// plotEvaluation writes the evaluation figures for the first held-out θ's and
// returns their file names (relative to dir).
func plotEvaluation(dir string, p *Problem, theta, ref, mean, std, y, im, is []float64) ([]string, error) {
	if p.Disc.Mesh.Dim == 1 {
		return plot1D(dir, p, theta, ref, mean, std, im, is)
	}
	return plot2D(dir, p, theta, ref, mean, std, im)
}

var (
	colTruth = color.RGBA{A: 255}
	colMean  = color.RGBA{R: 30, G: 100, B: 200, A: 255}
	colInv   = color.RGBA{R: 200, G: 60, B: 30, A: 255}
)

// nodeOrder returns the free and fixed values of sample i as a full nodal vector.
func fullOf(p *Problem, free []float64, fixedStd bool) []float64 {
	u := p.Disc.Full(free)
	if fixedStd {
		for _, i := range p.Disc.Fixed {
			u[i] = 0
		}
	}
	return u
}

func plot1D(dir string, p *Problem, theta, ref, mean, std, im, is []float64) ([]string, error) {
	d, nf := p.Disc.NumParams(), p.Disc.NumFree()
	m := p.Disc.Mesh
	nn := m.NumNodes()
	idx := make([]int, nn)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return m.X[idx[a]] < m.X[idx[b]] })
	xs := make([]float64, nn)
	for k, i := range idx {
		xs[k] = m.X[i]
	}
	order := func(v []float64) []float64 {
		out := make([]float64, nn)
		for k, i := range idx {
			out[k] = v[i]
		}
		return out
	}
	ns := min(3, len(theta)/d)
	var fw, iv []*plot.Plot
	rng := rand.New(rand.NewPCG(7, 7))
	for s := 0; s < ns; s++ {
		uf := order(fullOf(p, ref[s*nf:(s+1)*nf], false))
		um := order(fullOf(p, mean[s*nf:(s+1)*nf], false))
		us := order(fullOf(p, std[s*nf:(s+1)*nf], true))
		lo, hi := make([]float64, nn), make([]float64, nn)
		for i := range um {
			lo[i], hi[i] = um[i]-1.96*us[i], um[i]+1.96*us[i]
		}
		pl, err := pinn.BandPlot(fmt.Sprintf("forward map, held-out θ #%d", s+1), "x", "u(x)",
			pinn.Band{Name: "FEM", X: xs, Y: uf, Color: colTruth},
			pinn.Band{Name: "PDDLVM mean ± 1.96σ", X: xs, Y: um, Lo: lo, Hi: hi, Color: colMean, Dashed: true})
		if err != nil {
			return nil, err
		}
		fw = append(fw, pl)
		// κ: truth vs the inverse map's estimate from noisy u, band from θ samples
		th := theta[s*d : (s+1)*d]
		kt := make([]float64, nn)
		km := make([]float64, nn)
		const ns = 400
		samples := make([][]float64, nn)
		tt := make([]float64, d)
		for k, i := range idx {
			x := m.Node(i)
			kt[k] = p.Disc.Field.Kappa(x, th)
			km[k] = p.Disc.Field.Kappa(x, im[s*d:(s+1)*d])
		}
		for r := 0; r < ns; r++ {
			for j := 0; j < d; j++ {
				tt[j] = im[s*d+j] + is[s*d+j]*rng.NormFloat64()
			}
			for k, i := range idx {
				samples[k] = append(samples[k], p.Disc.Field.Kappa(m.Node(i), tt))
			}
		}
		klo, khi := make([]float64, nn), make([]float64, nn)
		for k := range samples {
			sort.Float64s(samples[k])
			klo[k], khi[k] = samples[k][ns*25/1000], samples[k][ns*975/1000]
		}
		pk, err := pinn.BandPlot(fmt.Sprintf("inverse map, held-out θ #%d", s+1), "x", "κ(x)",
			pinn.Band{Name: "true κ", X: xs, Y: kt, Color: colTruth},
			pinn.Band{Name: "κ(mean θ), 95% band", X: xs, Y: km, Lo: klo, Hi: khi, Color: colInv, Dashed: true})
		if err != nil {
			return nil, err
		}
		iv = append(iv, pk)
	}
	var files []string
	if err := pinn.SavePanels(filepath.Join(dir, "forward.png"), 1, ns, 4*vg.Inch, 3.2*vg.Inch, fw); err != nil {
		return nil, err
	}
	files = append(files, "forward.png")
	if err := pinn.SavePanels(filepath.Join(dir, "inverse.png"), 1, ns, 4*vg.Inch, 3.2*vg.Inch, iv); err != nil {
		return nil, err
	}
	files = append(files, "inverse.png")
	return files, nil
}

func plot2D(dir string, p *Problem, theta, ref, mean, std, im []float64) ([]string, error) {
	d, nf := p.Disc.NumParams(), p.Disc.NumFree()
	nn := p.Disc.Mesh.NumNodes()
	n := int(math.Round(math.Sqrt(float64(nn)))) - 1
	if (n+1)*(n+1) != nn {
		return nil, nil // not a structured square mesh
	}
	grid := make([]float64, n+1)
	for i := range grid {
		grid[i] = float64(i) / float64(n)
	}
	pal := moreland.ExtendedBlackBody().Palette(128)
	div := moreland.SmoothBlueRed().Palette(128)
	var files []string
	for s := 0; s < min(2, len(theta)/d); s++ {
		uf := fullOf(p, ref[s*nf:(s+1)*nf], false)
		um := fullOf(p, mean[s*nf:(s+1)*nf], false)
		us := fullOf(p, std[s*nf:(s+1)*nf], true)
		er := make([]float64, nn)
		for i := range er {
			er[i] = um[i] - uf[i]
		}
		kt := make([]float64, nn)
		ki := make([]float64, nn)
		for i := 0; i < nn; i++ {
			kt[i] = p.Disc.Field.Kappa(p.Disc.Mesh.Node(i), theta[s*d:(s+1)*d])
			ki[i] = p.Disc.Field.Kappa(p.Disc.Mesh.Node(i), im[s*d:(s+1)*d])
		}
		var panels []*plot.Plot
		for _, f := range []struct {
			t   string
			v   []float64
			p   palette.Palette
			sym bool // diverging palette, symmetric about 0
		}{
			{"u FEM", uf, pal, false}, {"u PDDLVM mean", um, pal, false}, {"u PDDLVM std", us, pal, false},
			{"mean − FEM", er, div, true}, {"κ true", kt, pal, false}, {"κ from inverse map", ki, pal, false},
		} {
			if f.sym {
				panels = append(panels, pinn.HeatMapSym(f.t, "x", "y", grid, grid, f.v, f.p)...)
			} else {
				panels = append(panels, pinn.HeatMap(f.t, "x", "y", grid, grid, f.v, f.p)...)
			}
		}
		name := fmt.Sprintf("fields_%d.png", s+1)
		if err := pinn.SaveHeatPanels(filepath.Join(dir, name), 2, 3, panels); err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	return files, nil
}

func plotHeatFields(dir string, xs, ts, ref, mean, std []float64, gamma, kappa float64) ([]string, error) {
	er := make([]float64, len(ref))
	for i := range er {
		er[i] = mean[i] - ref[i]
	}
	pal := moreland.ExtendedBlackBody().Palette(128)
	div := moreland.SmoothBlueRed().Palette(128)
	var panels []*plot.Plot
	panels = append(panels, pinn.HeatMap(fmt.Sprintf("u FD (γ=%.2f, κ=%.2f)", gamma, kappa), "x", "t", xs, ts, ref, pal)...)
	panels = append(panels, pinn.HeatMap("PDDLVM mean", "x", "t", xs, ts, mean, pal)...)
	panels = append(panels, pinn.HeatMap("PDDLVM std", "x", "t", xs, ts, std, pal)...)
	panels = append(panels, pinn.HeatMapSym("mean − FD", "x", "t", xs, ts, er, div)...)
	if err := pinn.SaveHeatPanels(filepath.Join(dir, "heat_fields.png"), 2, 2, panels); err != nil {
		return nil, err
	}
	// snapshots with bands
	nx := len(xs)
	var ps []*plot.Plot
	for _, j := range []int{2, 6, 14} {
		lo, hi := make([]float64, nx), make([]float64, nx)
		for i := 0; i < nx; i++ {
			lo[i] = mean[j*nx+i] - 1.96*std[j*nx+i]
			hi[i] = mean[j*nx+i] + 1.96*std[j*nx+i]
		}
		pl, err := pinn.BandPlot(fmt.Sprintf("t = %.1f", ts[j]), "x", "u(x, t)",
			pinn.Band{Name: "FD reference", X: xs, Y: ref[j*nx : (j+1)*nx], Color: colTruth},
			pinn.Band{Name: "PDDLVM mean ± 1.96σ", X: xs, Y: mean[j*nx : (j+1)*nx], Lo: lo, Hi: hi, Color: colMean, Dashed: true})
		if err != nil {
			return nil, err
		}
		ps = append(ps, pl)
	}
	if err := pinn.SavePanels(filepath.Join(dir, "heat_snapshots.png"), 1, 3, 3.3*vg.Inch, 3*vg.Inch, ps); err != nil {
		return nil, err
	}
	return []string{"heat_fields.png", "heat_snapshots.png"}, nil
}
