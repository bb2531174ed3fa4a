package hsi

import (
	"image"
	"image/color"
	"math"
	"sort"

	"github.com/ergml/erg/figure"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Palette returns the colour of class k (1-based; 0, unlabelled, is black).
func Palette(k int) color.RGBA {
	if k <= 0 {
		return color.RGBA{0, 0, 0, 255}
	}
	// 16 well separated hues, repeated with darker shades beyond.
	base := []color.RGBA{{230, 25, 75, 255}, {60, 180, 75, 255}, {255, 225, 25, 255}, {0, 130, 200, 255},
		{245, 130, 48, 255}, {145, 30, 180, 255}, {70, 240, 240, 255}, {240, 50, 230, 255},
		{210, 245, 60, 255}, {250, 190, 212, 255}, {0, 128, 128, 255}, {220, 190, 255, 255},
		{170, 110, 40, 255}, {255, 250, 200, 255}, {128, 0, 0, 255}, {170, 255, 195, 255}}
	c := base[(k-1)%len(base)]
	if (k-1)/len(base)%2 == 1 {
		c.R, c.G, c.B = c.R/2, c.G/2, c.B/2
	}
	return c
}

// LabelImage draws a label map (0 black, classes by Palette).
func LabelImage(labels []int, lines, samples int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, samples, lines))
	for p, l := range labels {
		img.Set(p%samples, p/samples, Palette(l))
	}
	return img
}

// FalseColour draws a colour-infrared composite of s: the bands nearest 850, 650 and
// 550 nm as red, green and blue (bands Bands·3/4, /2, /4 without wavelengths), each
// stretched between its 2nd and 98th percentile.
func FalseColour(s *Scene) image.Image {
	pick := func(nm float64, frac float64) int {
		if len(s.Wavelength) != s.Bands {
			return int(frac * float64(s.Bands-1))
		}
		best := 0
		for b, w := range s.Wavelength {
			if math.Abs(w-nm) < math.Abs(s.Wavelength[best]-nm) {
				best = b
			}
		}
		return best
	}
	bands := [3]int{pick(850, 0.75), pick(650, 0.5), pick(550, 0.25)}
	var lo, hi [3]float64
	for i, b := range bands {
		v := make([]float64, s.Pixels())
		for p := range v {
			v[p] = s.Data[p*s.Bands+b]
		}
		sort.Float64s(v)
		lo[i], hi[i] = v[len(v)*2/100], v[len(v)*98/100]
	}
	img := image.NewRGBA(image.Rect(0, 0, s.Samples, s.Lines))
	for p := 0; p < s.Pixels(); p++ {
		var c [3]uint8
		for i, b := range bands {
			x := (s.Data[p*s.Bands+b] - lo[i]) / (hi[i] - lo[i] + 1e-300)
			c[i] = uint8(255 * math.Max(0, math.Min(1, x)))
		}
		img.Set(p%s.Samples, p/s.Samples, color.RGBA{c[0], c[1], c[2], 255})
	}
	return img
}

// SaveMaps writes images side by side with titles (PNG, SVG or PDF by extension).
func SaveMaps(path string, titles []string, imgs []image.Image) error {
	row := make([]*plot.Plot, len(imgs))
	for i, im := range imgs {
		p := plot.New()
		p.Title.Text = titles[i]
		b := im.Bounds()
		p.Add(plotter.NewImage(im, 0, 0, float64(b.Dx()), float64(b.Dy())))
		p.HideAxes()
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, float64(b.Dx()), 0, float64(b.Dy())
		row[i] = p
	}
	return figure.SaveGrid(path, [][]*plot.Plot{row}, 9*vg.Centimeter, 9.6*vg.Centimeter)
}
