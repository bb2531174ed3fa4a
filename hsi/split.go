package hsi

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// Split modes.
const (
	Random   = "random"   // a fraction of each class's pixels, anywhere
	Fixed    = "fixed"    // N pixels per class, anywhere; test = the rest
	Disjoint = "disjoint" // whole fields train or test (half of each class's fields train), with a guard band
	RowCut   = "rowcut"   // DeepHyperX's "disjoint": per class, the rows above a cut train
)

// SplitModes lists the modes of SplitConfig.
var SplitModes = []string{Random, Fixed, Disjoint, RowCut}

// SplitConfig chooses training and test pixels. The zero value of each field is
// documented with it.
type SplitConfig struct {
	Mode     string  // one of SplitModes; "" = Fixed
	Labels   int     // labels per class (Fixed, Disjoint, RowCut); 0 = use Fraction
	Fraction float64 // fraction of each class for training (Random; others when Labels = 0); 0 = 0.1
	Guard    int     // Disjoint: test pixels within this Chebyshev distance of a training field are dropped; 0 = none
	Seed     uint64
}

// Split is a partition of a scene's labelled pixels (pixel indices, ascending).
// Pixels in neither list are unlabelled for the learner (e.g. the rest of a training
// field under Disjoint, or the guard band).
type Split struct {
	Train, Test []int
}

// NewSplit draws a split of s. It is an error to ask for more labels of a class than
// its candidate pixels (the error names the class).
func NewSplit(s *Scene, cfg SplitConfig) (*Split, error) {
	mode := cfg.Mode
	if mode == "" {
		mode = Fixed
	}
	frac := cfg.Fraction
	if frac == 0 {
		frac = 0.1
	}
	if frac <= 0 || frac >= 1 {
		return nil, fmt.Errorf("hsi: split fraction %v, want 0 < f < 1", cfg.Fraction)
	}
	if cfg.Labels < 0 || cfg.Guard < 0 {
		return nil, fmt.Errorf("hsi: split labels %d, guard %d: want ≥ 0", cfg.Labels, cfg.Guard)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed5b11))
	K := len(s.Classes)
	byClass := make([][]int, K)
	for p, l := range s.Labels {
		if l > 0 {
			byClass[l-1] = append(byClass[l-1], p)
		}
	}
	want := func(k, avail int) (int, error) {
		n := cfg.Labels
		if n == 0 || mode == Random {
			n = max(1, int(frac*float64(len(byClass[k]))+0.5))
		}
		if n > avail {
			return 0, fmt.Errorf("hsi: class %d %q: %d labels asked, only %d candidate pixels (%s split)", k+1, s.Classes[k], n, avail, mode)
		}
		return n, nil
	}
	train := map[int]bool{}
	test := map[int]bool{}
	switch mode {
	case Random, Fixed:
		for k, px := range byClass {
			n, err := want(k, len(px))
			if err != nil {
				return nil, err
			}
			perm := rng.Perm(len(px))
			for i, j := range perm {
				if i < n {
					train[px[j]] = true
				} else {
					test[px[j]] = true
				}
			}
		}
	case Disjoint:
		if s.Fields == nil {
			return nil, fmt.Errorf("hsi: disjoint split needs a field map (%s)", FieldFile)
		}
		fieldPx := map[int][]int{}
		for p, f := range s.Fields {
			if f > 0 && s.Labels[p] > 0 {
				fieldPx[f] = append(fieldPx[f], p)
			}
		}
		trainField := map[int]bool{}
		for k, px := range byClass {
			var fields []int
			seen := map[int]bool{}
			for _, p := range px {
				if f := s.Fields[p]; f > 0 && !seen[f] {
					seen[f] = true
					fields = append(fields, f)
				}
			}
			sort.Ints(fields)
			if len(fields) < 2 {
				return nil, fmt.Errorf("hsi: class %d %q has %d field(s); a disjoint split needs ≥ 2", k+1, s.Classes[k], len(fields))
			}
			rng.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
			// training fields: the first half of the shuffled fields (at least one,
			// and more while they hold too few pixels), always leaving one for testing.
			var cand []int
			need := cfg.Labels
			if need == 0 {
				need = int(frac*float64(len(px)) + 0.5)
			}
			for i := 0; i < len(fields)-1 && (i < (len(fields)+1)/2 || len(cand) < need); i++ {
				trainField[fields[i]] = true
				cand = append(cand, fieldPx[fields[i]]...)
			}
			n, err := want(k, len(cand))
			if err != nil {
				return nil, err
			}
			sort.Ints(cand)
			for _, j := range rng.Perm(len(cand))[:n] {
				train[cand[j]] = true
			}
		}
		near := guardMask(s, trainField, cfg.Guard)
		for p, l := range s.Labels {
			if l > 0 && !trainField[s.Fields[p]] && !near[p] {
				test[p] = true
			}
		}
	case RowCut:
		for k, px := range byClass { // px is in raster order: row-major
			target := cfg.Labels
			if target == 0 {
				target = int(0.9*frac*float64(len(px))) + 1
			}
			// the first row x with more than target pixels of class k above it
			// (DeepHyperX: ratio above > 0.9·train_size).
			cut := len(px)
			for i, p := range px {
				if i >= target && p/s.Samples != px[i-1]/s.Samples {
					cut = i
					break
				}
			}
			if cut == len(px) {
				return nil, fmt.Errorf("hsi: class %d %q: %d labels asked, no row cut leaves test pixels (%d pixels)", k+1, s.Classes[k], target, len(px))
			}
			n, err := want(k, cut)
			if err != nil {
				return nil, err
			}
			if cfg.Labels == 0 {
				n = cut
			}
			for _, j := range rng.Perm(cut)[:n] {
				train[px[j]] = true
			}
			for _, p := range px[cut:] {
				test[p] = true
			}
		}
	default:
		return nil, fmt.Errorf("hsi: unknown split mode %q (want one of %v)", cfg.Mode, SplitModes)
	}
	sp := &Split{}
	for p := range s.Labels {
		if train[p] {
			sp.Train = append(sp.Train, p)
		} else if test[p] {
			sp.Test = append(sp.Test, p)
		}
	}
	return sp, nil
}

// guardMask marks pixels within Chebyshev distance r of a pixel of a training field.
func guardMask(s *Scene, trainField map[int]bool, r int) []bool {
	near := make([]bool, s.Pixels())
	if r == 0 {
		return near
	}
	for p, f := range s.Fields {
		if f == 0 || !trainField[f] {
			continue
		}
		l0, c0 := p/s.Samples, p%s.Samples
		for l := max(0, l0-r); l <= min(s.Lines-1, l0+r); l++ {
			for c := max(0, c0-r); c <= min(s.Samples-1, c0+r); c++ {
				near[l*s.Samples+c] = true
			}
		}
	}
	return near
}
