package hsi

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ergml/erg/hsi/envi"
)

// Scene is a labelled hyperspectral image: Lines × Samples pixels of Bands values,
// pixel-major (pixel p = line*Samples + sample holds Data[p*Bands : (p+1)*Bands]),
// with a label per pixel (0 unlabelled, 1..len(Classes) the classes) and the field
// (connected parcel) each labelled pixel belongs to (0 for none), used by the
// disjoint split.
type Scene struct {
	Lines, Samples, Bands int
	Data                  []float64
	Labels                []int
	Fields                []int
	Classes               []string
	Wavelength            []float64
}

// Pixels returns Lines·Samples.
func (s *Scene) Pixels() int { return s.Lines * s.Samples }

// Pixel returns pixel p's spectrum (sharing Data).
func (s *Scene) Pixel(p int) []float64 { return s.Data[p*s.Bands : (p+1)*s.Bands : (p+1)*s.Bands] }

// Counts returns the number of pixels of each class (index k-1 for class k).
func (s *Scene) Counts() []int {
	n := make([]int, len(s.Classes))
	for _, l := range s.Labels {
		if l > 0 {
			n[l-1]++
		}
	}
	return n
}

// File names of a scene directory (written by hsi/scene, read by Load).
const (
	CubeFile      = "cube.hdr"           // the full cube (220 bands for ip-like)
	CorrectedFile = "cube-corrected.hdr" // water-absorption bands removed (200 bands)
	LabelFile     = "labels.hdr"         // uint8 class map; "class names" lists the classes
	FieldFile     = "fields.hdr"         // uint16 field map (0 = no field)
)

// Load reads a scene directory: the corrected cube if present (else the full one),
// the label map and, when present, the field map. Masked pixels (NaN or fill values)
// become unlabelled; their count is returned.
func Load(dir string) (*Scene, int, error) {
	cubeName := filepath.Join(dir, CorrectedFile)
	if _, err := os.Stat(cubeName); err != nil {
		cubeName = filepath.Join(dir, CubeFile)
	}
	return LoadFiles(cubeName, filepath.Join(dir, LabelFile), filepath.Join(dir, FieldFile))
}

// LoadFiles reads a scene from a cube header, a label map header and an optional
// field map header ("" or a missing file: no fields).
func LoadFiles(cubeHdr, labelHdr, fieldHdr string) (*Scene, int, error) {
	c, err := envi.Read(cubeHdr)
	if err != nil {
		return nil, 0, err
	}
	lab, err := envi.Read(labelHdr)
	if err != nil {
		return nil, 0, err
	}
	if lab.Samples != c.Samples || lab.Lines != c.Lines || lab.Bands != 1 {
		return nil, 0, fmt.Errorf("hsi: %s: label map %d×%d×%d, want %d×%d×1 as the cube %s", labelHdr, lab.Samples, lab.Lines, lab.Bands, c.Samples, c.Lines, cubeHdr)
	}
	s := &Scene{Lines: c.Lines, Samples: c.Samples, Bands: c.Bands, Data: c.Data, Wavelength: c.Wavelength, Labels: make([]int, c.Samples*c.Lines)}
	names := lab.Extra["class names"]
	maxL := 0
	for p, v := range lab.Data {
		if v < 0 || v != math.Trunc(v) {
			return nil, 0, fmt.Errorf("hsi: %s: label %v at pixel %d, want an integer ≥ 0", labelHdr, v, p)
		}
		s.Labels[p] = int(v)
		maxL = max(maxL, int(v))
	}
	if names != "" {
		for _, n := range strings.Split(strings.Trim(strings.TrimSpace(names), "{}"), ",") {
			s.Classes = append(s.Classes, strings.TrimSpace(n))
		}
		if len(s.Classes) > 0 && s.Classes[0] == "unlabelled" {
			s.Classes = s.Classes[1:]
		}
	}
	if len(s.Classes) < maxL {
		for k := len(s.Classes) + 1; k <= maxL; k++ {
			s.Classes = append(s.Classes, fmt.Sprintf("class %d", k))
		}
	}
	masked := 0
	for p, m := range c.Mask {
		if m {
			masked++
			s.Labels[p] = 0
		}
	}
	if fieldHdr != "" {
		if _, err := os.Stat(fieldHdr); err == nil {
			f, err := envi.Read(fieldHdr)
			if err != nil {
				return nil, 0, err
			}
			if f.Samples != c.Samples || f.Lines != c.Lines {
				return nil, 0, fmt.Errorf("hsi: %s: field map %d×%d, want %d×%d", fieldHdr, f.Samples, f.Lines, c.Samples, c.Lines)
			}
			s.Fields = make([]int, len(f.Data))
			for p, v := range f.Data {
				s.Fields[p] = int(v)
			}
		}
	}
	return s, masked, nil
}

// Standardize returns the bands of s scaled to zero mean and unit variance over all
// pixels (per band), the feature scaling of the SVM and RF baselines; a constant band
// becomes 0.
func (s *Scene) Standardize() []float64 {
	out := make([]float64, len(s.Data))
	n := float64(s.Pixels())
	for b := 0; b < s.Bands; b++ {
		var m, v float64
		for p := 0; p < s.Pixels(); p++ {
			m += s.Data[p*s.Bands+b]
		}
		m /= n
		for p := 0; p < s.Pixels(); p++ {
			d := s.Data[p*s.Bands+b] - m
			v += d * d
		}
		sd := math.Sqrt(v / n)
		for p := 0; p < s.Pixels(); p++ {
			if sd > 0 {
				out[p*s.Bands+b] = (s.Data[p*s.Bands+b] - m) / sd
			}
		}
	}
	return out
}
