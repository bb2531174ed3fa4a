package scene

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ergml/erg/hsi"
	"github.com/ergml/erg/hsi/envi"
	"github.com/ergml/erg/hsi/spectra"
	"github.com/ergml/erg/internal/atomicfile"
)

// Config sets up a scene. The zero value of each field is the ip-like default.
type Config struct {
	Preset      string  // "" or "ip-like" (the only preset)
	Seed        uint64  // layout, fields, noise
	Size        int     // lines = samples; 0 = 145
	Cells       int     // Voronoi cells; 0 = 52 (6 of them unlabelled background)
	AbundanceSD float64 // sd of the GRF abundance perturbations; 0 = DefaultAbundanceSD
	FieldSD     float64 // sd of each field's mixture offset; 0 = DefaultFieldSD
	SpectraDir  string  // python3-spectral's test data; "" = spectra.TestData()
}

// Calibrated defaults (see docs/results.md, "Hyperspectral classification": the RBF-SVM with 10 labels per class
// reaches 55–70% OA on the ip-like scene).
const (
	DefaultAbundanceSD = 0.07
	DefaultFieldSD     = 0.025
)

// Endmember indices.
const (
	GV       = iota // green vegetation: ECOSTRESS red maple (Acer rubrum)
	NPV             // dry vegetation: ECOSTRESS lichen
	Concrete        // ECOSTRESS construction concrete
	Soil            // parametric: rising ramp with 1.4/1.9 µm water and 2.2 µm clay features
	Water           // parametric: dark, falling to ~0 beyond 900 nm
	nEnd
)

// Class is an ip-like class: its mixture (GV, NPV, concrete, soil, water), the shift
// of its vegetation's red edge (nm, a species/phenology difference), and whether it
// is tiny (a few small patches of tens of pixels instead of Voronoi fields).
type Class struct {
	Name     string
	Mix      [nEnd]float64
	EdgeNM   float64
	Tiny     bool
	TinySize [2]int // patch lines × samples, tiny classes
}

// Classes are the 16 ip-like classes, named after Indian Pines'. Corn and soybean
// classes differ mainly in canopy cover (GV vs soil), as in the real scene.
var Classes = []Class{
	{Name: "Alfalfa", Mix: [nEnd]float64{.68, .12, 0, .20, 0}, EdgeNM: 6, Tiny: true, TinySize: [2]int{4, 6}},
	{Name: "Corn-notill", Mix: [nEnd]float64{.34, .24, 0, .42, 0}, EdgeNM: 0},
	{Name: "Corn-mintill", Mix: [nEnd]float64{.44, .20, 0, .36, 0}, EdgeNM: 0},
	{Name: "Corn", Mix: [nEnd]float64{.54, .16, 0, .30, 0}, EdgeNM: 0},
	{Name: "Grass-pasture", Mix: [nEnd]float64{.58, .26, 0, .16, 0}, EdgeNM: -8},
	{Name: "Grass-trees", Mix: [nEnd]float64{.74, .10, 0, .14, .02}, EdgeNM: -4},
	{Name: "Grass-pasture-mowed", Mix: [nEnd]float64{.48, .36, 0, .16, 0}, EdgeNM: -8, Tiny: true, TinySize: [2]int{3, 5}},
	{Name: "Hay-windrowed", Mix: [nEnd]float64{.20, .64, 0, .16, 0}, EdgeNM: -6},
	{Name: "Oats", Mix: [nEnd]float64{.40, .40, 0, .20, 0}, EdgeNM: 3, Tiny: true, TinySize: [2]int{3, 4}},
	{Name: "Soybean-notill", Mix: [nEnd]float64{.32, .28, 0, .40, 0}, EdgeNM: 4},
	{Name: "Soybean-mintill", Mix: [nEnd]float64{.42, .22, 0, .36, 0}, EdgeNM: 4},
	{Name: "Soybean-clean", Mix: [nEnd]float64{.50, .12, 0, .38, 0}, EdgeNM: 4},
	{Name: "Wheat", Mix: [nEnd]float64{.64, .20, 0, .16, 0}, EdgeNM: 8},
	{Name: "Woods", Mix: [nEnd]float64{.84, .06, 0, .05, .05}, EdgeNM: -2},
	{Name: "Buildings-Grass-Trees-Drives", Mix: [nEnd]float64{.30, .10, .40, .20, 0}, EdgeNM: -4},
	{Name: "Stone-Steel-Towers", Mix: [nEnd]float64{.05, .05, .72, .13, .05}, EdgeNM: 0, Tiny: true, TinySize: [2]int{7, 7}},
}

// background is the mixture of unlabelled land (field margins, farmsteads).
var background = [nEnd]float64{.30, .30, .05, .35, 0}

// WaterBands are the 1-based bands of the 220 made useless by water absorption
// (104–108, 150–163, 220); the corrected copy drops them (200 bands), as the
// "corrected" Indian Pines cube.
var WaterBands = func() []int {
	var b []int
	for i := 104; i <= 108; i++ {
		b = append(b, i)
	}
	for i := 150; i <= 163; i++ {
		b = append(b, i)
	}
	return append(b, 220)
}()

// SNR returns the noise model's signal-to-noise ratio at wavelength nm: 100 in the
// VNIR (≤ 1000 nm) falling linearly to 30 at 2500 nm.
func SNR(nm float64) float64 {
	if nm <= 1000 {
		return 100
	}
	return 100 - 70*math.Min(1, (nm-1000)/1500)
}

// Result is a generated scene: the full and corrected scenes (sharing labels and
// fields) and what was used.
type Result struct {
	Full, Corrected *hsi.Scene
	FWHM            []float64 // of Full's bands
	Config          Config
	CorrLength      [nEnd]float64 // GRF correlation lengths, px
}

// Generate makes the ip-like scene.
func Generate(cfg Config) (*Result, error) {
	if cfg.Preset != "" && cfg.Preset != "ip-like" {
		return nil, fmt.Errorf("scene: unknown preset %q (want ip-like)", cfg.Preset)
	}
	cfg.Preset = "ip-like"
	if cfg.Size == 0 {
		cfg.Size = 145
	}
	if cfg.Cells == 0 {
		cfg.Cells = 52
	}
	if cfg.AbundanceSD == 0 {
		cfg.AbundanceSD = DefaultAbundanceSD
	}
	if cfg.FieldSD == 0 {
		cfg.FieldSD = DefaultFieldSD
	}
	if cfg.Size < 32 || cfg.Cells < 2*13+6 {
		return nil, fmt.Errorf("scene: size %d (want ≥ 32) cells %d (want ≥ 32)", cfg.Size, cfg.Cells)
	}
	dir := cfg.SpectraDir
	if dir == "" {
		var err error
		if dir, err = spectra.TestData(); err != nil {
			return nil, err
		}
	}
	bands, err := spectra.ReadAVIRISBands(filepath.Join(dir, spectra.IndianPines))
	if err != nil {
		return nil, err
	}
	var ems [3]*spectra.Spectrum
	for i, f := range []string{spectra.MapleFile, spectra.LichenFile, spectra.ConcreteFile} {
		if ems[i], err = spectra.ReadEcostress(filepath.Join(dir, f)); err != nil {
			return nil, err
		}
	}
	refl := func(s *spectra.Spectrum, shift float64) func(nm float64) float64 {
		return func(nm float64) float64 { return s.At((nm-shift)/1000) / 100 }
	}
	soil := func(nm float64) float64 {
		r := 0.08 + 0.24*math.Min(1, (nm-400)/1800)
		r -= 0.04 * math.Exp(-0.5*math.Pow((nm-1410)/35, 2))
		r -= 0.07 * math.Exp(-0.5*math.Pow((nm-1910)/45, 2))
		r -= 0.025 * math.Exp(-0.5*math.Pow((nm-2200)/25, 2))
		return r
	}
	water := func(nm float64) float64 { return 0.055*math.Exp(-(nm-400)/160) + 0.004 }

	// endmembers on the sensor bands, per class (the GV red edge shifts by class).
	B := bands.Len()
	shared := [nEnd][]float64{
		NPV: spectra.Resample(refl(ems[1], 0), bands), Concrete: spectra.Resample(refl(ems[2], 0), bands),
		Soil: spectra.Resample(soil, bands), Water: spectra.Resample(water, bands),
	}
	gvByShift := map[float64][]float64{}
	gvOf := func(shift float64) []float64 {
		if g, ok := gvByShift[shift]; ok {
			return g
		}
		g := spectra.Resample(refl(ems[0], shift), bands)
		gvByShift[shift] = g
		return g
	}

	rng := rand.New(rand.NewPCG(cfg.Seed, 0x1b5ce4e))
	N := cfg.Size
	P := N * N
	cell, border := voronoi(N, cfg.Cells, rng)
	// assign cells: 6 background, the others round-robin over the non-tiny classes.
	perm := rng.Perm(cfg.Cells)
	var regular []int
	for k, c := range Classes {
		if !c.Tiny {
			regular = append(regular, k+1)
		}
	}
	cellClass := make([]int, cfg.Cells)
	for i, c := range perm {
		if i < 6 {
			cellClass[c] = 0
		} else {
			cellClass[c] = regular[(i-6)%len(regular)]
		}
	}
	labels := make([]int, P)
	fields := make([]int, P)
	for p := 0; p < P; p++ {
		if cl := cellClass[cell[p]]; cl > 0 && !border[p] {
			labels[p], fields[p] = cl, cell[p]+1
		}
	}
	// tiny classes: two or three small patches each, inside labelled fields away
	// from edges; each patch is its own field.
	nextField := cfg.Cells + 1
	for k, c := range Classes {
		if !c.Tiny {
			continue
		}
		patches := 2 + rng.IntN(2)
		for n, tries := 0, 0; n < patches && tries < 10000; tries++ {
			// patch sizes scale with the scene (a 145-px scene keeps TinySize).
			h := max(2, int(math.Round(float64(c.TinySize[0]*N)/145)))
			w := max(2, int(math.Round(float64(c.TinySize[1]*N)/145)))
			mg := 2
			if N < 100 {
				mg = 1
			}
			l0, s0 := mg+rng.IntN(N-h-2*mg), mg+rng.IntN(N-w-2*mg)
			ok := true
			for l := l0 - mg; l < l0+h+mg && ok; l++ {
				for s := s0 - mg; s < s0+w+mg; s++ {
					if q := l*N + s; labels[q] == 0 || Classes[labels[q]-1].Tiny {
						ok = false
						break
					}
				}
			}
			if !ok {
				continue
			}
			for l := l0; l < l0+h; l++ {
				for s := s0; s < s0+w; s++ {
					labels[l*N+s], fields[l*N+s] = k+1, nextField
				}
			}
			nextField++
			n++
		}
	}
	for k, c := range Classes {
		if c.Tiny && !slices.Contains(labels, k+1) {
			return nil, fmt.Errorf("scene: no room for tiny class %d %q in a %d-px scene of %d cells", k+1, c.Name, N, cfg.Cells)
		}
	}
	// per-field mixture offsets, GRF abundance perturbations, brightness.
	fieldOff := make([][nEnd]float64, nextField+1)
	for f := range fieldOff {
		for e := range fieldOff[f] {
			fieldOff[f][e] = cfg.FieldSD * rng.NormFloat64()
		}
	}
	res := &Result{Config: cfg, FWHM: append([]float64(nil), bands.FWHM...)}
	var grf [nEnd][]float64
	for e := range grf {
		res.CorrLength[e] = 5 + 10*rng.Float64()
		grf[e] = GRF(N, N, res.CorrLength[e], rng)
	}
	water1 := map[int]bool{}
	for _, b := range WaterBands {
		water1[b-1] = true
	}
	signal := make([]float64, P*B)
	for p := 0; p < P; p++ {
		mix, shift := background, 0.0
		if l := labels[p]; l > 0 {
			mix, shift = Classes[l-1].Mix, Classes[l-1].EdgeNM
		}
		var a [nEnd]float64
		var sum float64
		for e := range a {
			if mix[e] == 0 && e != Soil {
				continue // a class without concrete or water never gets any
			}
			a[e] = math.Max(0, mix[e]+fieldOff[fields[p]][e]+cfg.AbundanceSD*grf[e][p])
			sum += a[e]
		}
		bright := 1 + 0.1*(2*rng.Float64()-1)
		gv := gvOf(shift)
		for b := 0; b < B; b++ {
			v := a[GV] * gv[b]
			for e := NPV; e < nEnd; e++ {
				v += a[e] * shared[e][b]
			}
			signal[p*B+b] = bright * v / sum
		}
	}
	// noise: σ_b = mean signal of band b / SNR(λ_b); water bands keep 1% of the signal.
	data := make([]float64, P*B)
	for b := 0; b < B; b++ {
		var m float64
		for p := 0; p < P; p++ {
			m += signal[p*B+b]
		}
		m /= float64(P)
		sd := m / SNR(bands.Center[b])
		t := 1.0
		if water1[b] {
			t = 0.01
		}
		for p := 0; p < P; p++ {
			data[p*B+b] = float64(float32(t*signal[p*B+b] + sd*rng.NormFloat64()))
		}
	}
	names := make([]string, len(Classes))
	for k, c := range Classes {
		names[k] = c.Name
	}
	full := &hsi.Scene{Lines: N, Samples: N, Bands: B, Data: data, Labels: labels, Fields: fields, Classes: names, Wavelength: append([]float64(nil), bands.Center...)}
	keep := make([]int, 0, B)
	for b := 0; b < B; b++ {
		if !water1[b] {
			keep = append(keep, b)
		}
	}
	cd := make([]float64, P*len(keep))
	wl := make([]float64, len(keep))
	for i, b := range keep {
		wl[i] = bands.Center[b]
		for p := 0; p < P; p++ {
			cd[p*len(keep)+i] = data[p*B+b]
		}
	}
	res.Full = full
	res.Corrected = &hsi.Scene{Lines: N, Samples: N, Bands: len(keep), Data: cd, Labels: labels, Fields: fields, Classes: names, Wavelength: wl}
	return res, nil
}

// voronoi assigns each pixel of an n×n grid to the nearest of k random sites, and
// marks border pixels (a 4-neighbour in another cell): the unlabelled margins.
func voronoi(n, k int, rng *rand.Rand) (cell []int, border []bool) {
	sx, sy := make([]float64, k), make([]float64, k)
	for i := range sx {
		sx[i], sy[i] = rng.Float64()*float64(n), rng.Float64()*float64(n)
	}
	cell = make([]int, n*n)
	for l := 0; l < n; l++ {
		for s := 0; s < n; s++ {
			best, bd := 0, math.Inf(1)
			for i := range sx {
				d := (float64(s)+0.5-sx[i])*(float64(s)+0.5-sx[i]) + (float64(l)+0.5-sy[i])*(float64(l)+0.5-sy[i])
				if d < bd {
					best, bd = i, d
				}
			}
			cell[l*n+s] = best
		}
	}
	border = make([]bool, n*n)
	for l := 0; l < n; l++ {
		for s := 0; s < n; s++ {
			c := cell[l*n+s]
			for _, d := range [][2]int{{0, 1}, {1, 0}, {0, -1}, {-1, 0}} {
				ll, ss := l+d[0], s+d[1]
				if ll >= 0 && ll < n && ss >= 0 && ss < n && cell[ll*n+ss] != c {
					border[l*n+s] = true
				}
			}
		}
	}
	return cell, border
}

// GRF returns a lines×samples Gaussian random field of zero mean, unit variance and
// Gaussian correlation exp(−d²/(2L²)) (L = corrLen px): white noise filtered by a
// separable Gaussian of sd L/√2, normalised by the filter's norm.
func GRF(lines, samples int, corrLen float64, rng *rand.Rand) []float64 {
	sk := corrLen / math.Sqrt2
	r := int(math.Ceil(4 * sk))
	k := make([]float64, 2*r+1)
	var n2 float64
	for i := range k {
		x := float64(i - r)
		k[i] = math.Exp(-0.5 * x * x / (sk * sk))
		n2 += k[i] * k[i]
	}
	H, W := lines+2*r, samples+2*r
	w := make([]float64, H*W)
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	tmp := make([]float64, H*samples)
	for l := 0; l < H; l++ {
		for s := 0; s < samples; s++ {
			var v float64
			for i, kv := range k {
				v += kv * w[l*W+s+i]
			}
			tmp[l*samples+s] = v
		}
	}
	out := make([]float64, lines*samples)
	for l := 0; l < lines; l++ {
		for s := 0; s < samples; s++ {
			var v float64
			for i, kv := range k {
				v += kv * tmp[(l+i)*samples+s]
			}
			out[l*samples+s] = v / n2 // norm of the 2-D kernel = n2 (separable: √n2·√n2)
		}
	}
	return out
}

// Info is what Write records in scene.json.
type Info struct {
	Preset      string            `json:"preset"`
	Seed        uint64            `json:"seed"`
	Size        int               `json:"size"`
	Cells       int               `json:"cells"`
	AbundanceSD float64           `json:"abundance_sd"`
	FieldSD     float64           `json:"field_sd"`
	CorrLength  []float64         `json:"grf_correlation_length_px"`
	Bands       int               `json:"bands"`
	Corrected   int               `json:"corrected_bands"`
	Classes     []string          `json:"classes"`
	Counts      []int             `json:"class_pixels"`
	Labelled    int               `json:"labelled_pixels"`
	SHA256      map[string]string `json:"sha256"`
}

// Write writes the scene into dir: cube.hdr/.img (all bands, float32 bsq with
// wavelength and fwhm), cube-corrected.hdr/.img, labels.hdr/.img (uint8, "class
// names"), fields.hdr/.img (uint16), scene.png (false colour beside the ground
// truth) and scene.json (parameters, class counts, SHA-256 of each data file).
func (r *Result) Write(dir string) (*Info, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	info := &Info{Preset: r.Config.Preset, Seed: r.Config.Seed, Size: r.Config.Size, Cells: r.Config.Cells,
		AbundanceSD: r.Config.AbundanceSD, FieldSD: r.Config.FieldSD, CorrLength: r.CorrLength[:],
		Bands: r.Full.Bands, Corrected: r.Corrected.Bands, Classes: r.Full.Classes, Counts: r.Full.Counts(), SHA256: map[string]string{}}
	for _, n := range info.Counts {
		info.Labelled += n
	}
	corrFWHM := make([]float64, 0, r.Corrected.Bands)
	water := map[int]bool{}
	for _, b := range WaterBands {
		water[b-1] = true
	}
	for b, w := range r.FWHM {
		if !water[b] {
			corrFWHM = append(corrFWHM, w)
		}
	}
	write := func(name string, c *envi.Cube) error {
		data, err := envi.Write(filepath.Join(dir, name), c)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(data)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		info.SHA256[filepath.Base(data)] = hex.EncodeToString(sum[:])
		return nil
	}
	for _, x := range []struct {
		name string
		s    *hsi.Scene
		fwhm []float64
	}{{hsi.CubeFile, r.Full, r.FWHM}, {hsi.CorrectedFile, r.Corrected, corrFWHM}} {
		c := &envi.Cube{Header: envi.Header{Samples: x.s.Samples, Lines: x.s.Lines, Bands: x.s.Bands, DataType: envi.Float32,
			Interleave: envi.BSQ, Wavelength: x.s.Wavelength, FWHM: x.fwhm, WavelengthUnits: "Nanometers",
			Description: fmt.Sprintf("erg hsi scene --preset %s --seed %d (synthetic AVIRIS-like reflectance)", r.Config.Preset, r.Config.Seed)},
			Data: x.s.Data}
		if err := write(x.name, c); err != nil {
			return nil, err
		}
	}
	lab := envi.New(r.Full.Samples, r.Full.Lines, 1)
	lab.DataType, lab.Description = envi.Uint8, "ip-like ground truth (0 = unlabelled)"
	lab.Extra = map[string]string{"class names": "{unlabelled, " + strings.Join(r.Full.Classes, ", ") + "}", "file type": "ENVI Classification"}
	fl := envi.New(r.Full.Samples, r.Full.Lines, 1)
	fl.DataType, fl.Description = envi.Uint16, "ip-like fields (0 = none)"
	for p := range lab.Data {
		lab.Data[p] = float64(r.Full.Labels[p])
		fl.Data[p] = float64(r.Full.Fields[p])
	}
	if err := write(hsi.LabelFile, lab); err != nil {
		return nil, err
	}
	if err := write(hsi.FieldFile, fl); err != nil {
		return nil, err
	}
	if err := hsi.SaveMaps(filepath.Join(dir, "scene.png"), []string{"false colour (850/650/550 nm)", "ground truth"},
		[]image.Image{hsi.FalseColour(r.Full), hsi.LabelImage(r.Full.Labels, r.Full.Lines, r.Full.Samples)}); err != nil {
		return nil, err
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := atomicfile.Write(filepath.Join(dir, "scene.json"), append(b, '\n')); err != nil {
		return nil, err
	}
	return info, nil
}
