package imageset

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Resample is how ReadFolder brings an image to the set's size.
type Resample int

const (
	// ResizeNone: every image must already have the set's size; any other is an error.
	ResizeNone Resample = iota
	// Nearest: each output pixel takes the input pixel under its centre,
	// floor((x+0.5)·in/out), as PIL's NEAREST and PyTorch's "nearest-exact".
	Nearest
	// Bilinear: linear interpolation in each axis between the input pixels around the
	// output pixel's centre mapped back, (x+0.5)·in/out − 0.5 clamped at 0, as
	// PyTorch's interpolate(mode="bilinear", align_corners=False, antialias=False) and
	// OpenCV's INTER_LINEAR. It does not low-pass filter, so shrinking by more than 2×
	// aliases (PIL's and torchvision's antialiased resize differ there).
	Bilinear
)

// FolderOptions configures ReadFolder. The zero value reads images that all share one
// size, as grayscale when every image is grayscale and as RGB otherwise.
type FolderOptions struct {
	// Channels is 1 (grayscale: the luma 0.299R + 0.587G + 0.114B of ITU-R BT.601, as
	// PIL's convert("L"), computed in float32 on [0, 1] values), 3 (RGB: gray images
	// repeated on the three channels) or 0 (1 when every image is grayscale, else 3).
	// Alpha is dropped without compositing, as PIL's convert("RGB").
	Channels int
	// Height and Width are the set's image size; 0 takes the first image's.
	Height, Width int
	// Resize says how images of another size are resampled; ResizeNone rejects them.
	Resize Resample
}

// Extensions are the image file extensions ReadFolder reads (compared without case).
var Extensions = []string{".png", ".jpg", ".jpeg"}

// ReadFolder reads a set from a folder of images in class subfolders, torchvision's
// ImageFolder layout: root/<class>/<file>.png. The classes are the subfolders in
// lexical order; each class's images are the files under its folder (sub-folders
// included) in lexical order of their paths. Names starting with "." are skipped.
// A file directly in root, a file whose extension is not in Extensions, an empty
// class folder, an image that does not decode or whose size differs (without
// Resize) is an error naming the file. Pixels are scaled to [0, 1] (16-bit images
// keep their precision).
func ReadFolder(root string, opt FolderOptions) (*Set, error) {
	return ReadFolderFS(os.DirFS(root), root, opt)
}

// ReadFolderFS is ReadFolder on a file system, with the class folders at its root;
// name prefixes the paths in errors.
func ReadFolderFS(fsys fs.FS, name string, opt FolderOptions) (*Set, error) {
	if opt.Channels != 0 && opt.Channels != 1 && opt.Channels != 3 {
		return nil, fmt.Errorf("imageset: %s: FolderOptions.Channels %d: want 0, 1 or 3", name, opt.Channels)
	}
	if opt.Height < 0 || opt.Width < 0 || (opt.Height == 0) != (opt.Width == 0) {
		return nil, fmt.Errorf("imageset: %s: FolderOptions size %d×%d: want both positive or both 0", name, opt.Height, opt.Width)
	}
	if opt.Resize < ResizeNone || opt.Resize > Bilinear {
		return nil, fmt.Errorf("imageset: %s: unknown FolderOptions.Resize %d", name, opt.Resize)
	}
	full := func(p string) string { return filepath.Join(name, filepath.FromSlash(p)) }
	top, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("imageset: %w", err)
	}
	type file struct {
		path  string
		label int
		w, h  int
	}
	var files []file
	var classes []string
	for _, e := range top {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if !e.IsDir() {
			return nil, formatErr(full(e.Name()), -1, "layout", "a file directly in the root; images go in class subfolders (root/<class>/<image>)", nil)
		}
		label, before := len(classes), len(files)
		classes = append(classes, e.Name())
		err := fs.WalkDir(fsys, e.Name(), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if !knownExt(p) {
				return formatErr(full(p), -1, "extension", fmt.Sprintf("unknown extension %q (want one of %v)", path.Ext(p), Extensions), nil)
			}
			files = append(files, file{path: p, label: label})
			return nil
		})
		if err != nil {
			if _, ok := err.(*FormatError); ok {
				return nil, err
			}
			return nil, fmt.Errorf("imageset: %w", err)
		}
		if len(files) == before {
			return nil, formatErr(full(e.Name()), -1, "layout", fmt.Sprintf("class folder holds no image (want one of %v)", Extensions), nil)
		}
	}
	if len(classes) == 0 {
		return nil, formatErr(name, -1, "layout", "no class folders", nil)
	}

	// Pass 1: headers only, for the sizes and colour models.
	gray := true
	for i := range files {
		f := &files[i]
		cfg, err := decodeImage(fsys, f.path, true)
		if err != nil {
			return nil, formatErr(full(f.path), -1, "decode", "", err)
		}
		f.w, f.h = cfg.Width, cfg.Height
		if f.w <= 0 || f.h <= 0 {
			return nil, formatErr(full(f.path), -1, "size", fmt.Sprintf("empty image %d×%d", f.h, f.w), nil)
		}
		if cfg.ColorModel != color.GrayModel && cfg.ColorModel != color.Gray16Model {
			gray = false
		}
	}
	h, w, c := opt.Height, opt.Width, opt.Channels
	if h == 0 {
		h, w = files[0].h, files[0].w
	}
	if c == 0 {
		c = 3
		if gray {
			c = 1
		}
	}
	if opt.Resize == ResizeNone {
		for _, f := range files {
			if f.h != h || f.w != w {
				return nil, formatErr(full(f.path), -1, "size", fmt.Sprintf("%d×%d, want %d×%d as %s (set FolderOptions.Resize to resize)", f.h, f.w, h, w, sizeSource(opt, full(files[0].path))), nil)
			}
		}
	}

	// Pass 2: decode and convert.
	s := &Set{Pixels: make([]float32, len(files)*h*w*c), Labels: make([]int, len(files)), Classes: classes, H: h, W: w, C: c}
	var tmp []float32
	for i, f := range files {
		d, err := decodeImage(fsys, f.path, false)
		if err != nil {
			return nil, formatErr(full(f.path), -1, "decode", "", err)
		}
		img := d.img
		if b := img.Bounds(); b.Dx() != f.w || b.Dy() != f.h {
			return nil, formatErr(full(f.path), -1, "size", fmt.Sprintf("decoded %d×%d, header said %d×%d", b.Dy(), b.Dx(), f.h, f.w), nil)
		}
		dst := s.Image(i)
		if f.h == h && f.w == w {
			toFloat(img, c, dst)
		} else {
			if need := f.h * f.w * c; cap(tmp) < need {
				tmp = make([]float32, need)
			}
			tmp = tmp[:f.h*f.w*c]
			toFloat(img, c, tmp)
			resize(tmp, f.h, f.w, dst, h, w, c, opt.Resize)
		}
		s.Labels[i] = f.label
	}
	return s, nil
}

func sizeSource(opt FolderOptions, first string) string {
	if opt.Height > 0 {
		return "FolderOptions gives"
	}
	return filepath.Base(first) + ", the first image, has"
}

func knownExt(p string) bool {
	e := strings.ToLower(path.Ext(p))
	for _, k := range Extensions {
		if e == k {
			return true
		}
	}
	return false
}

type decoded struct {
	image.Config
	img image.Image
}

// decodeImage decodes the file at p by its extension: only the header when
// configOnly.
func decodeImage(fsys fs.FS, p string, configOnly bool) (decoded, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return decoded{}, err
	}
	defer f.Close()
	var r io.Reader = f
	isPNG := strings.ToLower(path.Ext(p)) == ".png"
	var d decoded
	switch {
	case configOnly && isPNG:
		d.Config, err = png.DecodeConfig(r)
	case configOnly:
		d.Config, err = jpeg.DecodeConfig(r)
	case isPNG:
		d.img, err = png.Decode(r)
	default:
		d.img, err = jpeg.Decode(r)
	}
	return d, err
}

// toFloat writes img's pixels to dst as h·w·c values in [0, 1], HWC.
func toFloat(img image.Image, c int, dst []float32) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	put := func(i int, r, g, bl float32) {
		if c == 1 {
			dst[i] = 0.299*r + 0.587*g + 0.114*bl
			return
		}
		dst[3*i], dst[3*i+1], dst[3*i+2] = r, g, bl
	}
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+w]
			for x, v := range row {
				f := byteScale[v]
				if c == 1 {
					dst[y*w+x] = f
				} else {
					i := 3 * (y*w + x)
					dst[i], dst[i+1], dst[i+2] = f, f, f
				}
			}
		}
		return
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+3]
				put(y*w+x, byteScale[p[0]], byteScale[p[1]], byteScale[p[2]])
			}
		}
		return
	case *image.RGBA:
		opaque := true
		for y := 0; y < h && opaque; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			for x := 0; x < w; x++ {
				if row[4*x+3] != 0xff {
					opaque = false
					break
				}
			}
		}
		if opaque {
			for y := 0; y < h; y++ {
				row := m.Pix[y*m.Stride : y*m.Stride+4*w]
				for x := 0; x < w; x++ {
					p := row[4*x : 4*x+3]
					put(y*w+x, byteScale[p[0]], byteScale[p[1]], byteScale[p[2]])
				}
			}
			return
		}
	}
	// Any other model through 16-bit non-premultiplied colour: an 8-bit value v gives
	// v·257/65535, the same float32 as v/255.
	gray := img.ColorModel() == color.GrayModel || img.ColorModel() == color.Gray16Model
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			if a != 0xffff && a != 0 {
				r, g, bl = r*0xffff/a, g*0xffff/a, bl*0xffff/a
			}
			fr, fg, fb := float32(r)/0xffff, float32(g)/0xffff, float32(bl)/0xffff
			if gray && c == 1 {
				dst[y*w+x] = fr
				continue
			}
			put(y*w+x, fr, fg, fb)
		}
	}
}

// resize resamples src (sh×sw×c, HWC) into dst (dh×dw×c).
func resize(src []float32, sh, sw int, dst []float32, dh, dw, c int, mode Resample) {
	sy, sx := float64(sh)/float64(dh), float64(sw)/float64(dw)
	if mode == Nearest {
		for y := 0; y < dh; y++ {
			iy := min(int(math.Floor((float64(y)+0.5)*sy)), sh-1)
			for x := 0; x < dw; x++ {
				ix := min(int(math.Floor((float64(x)+0.5)*sx)), sw-1)
				copy(dst[(y*dw+x)*c:(y*dw+x+1)*c], src[(iy*sw+ix)*c:(iy*sw+ix+1)*c])
			}
		}
		return
	}
	coord := func(o int, scale float64, n int) (i0, i1 int, t float32) {
		f := max((float64(o)+0.5)*scale-0.5, 0)
		i0 = min(int(f), n-1)
		i1 = min(i0+1, n-1)
		return i0, i1, float32(f - float64(i0))
	}
	for y := 0; y < dh; y++ {
		y0, y1, ty := coord(y, sy, sh)
		for x := 0; x < dw; x++ {
			x0, x1, tx := coord(x, sx, sw)
			for k := 0; k < c; k++ {
				a := src[(y0*sw+x0)*c+k]*(1-tx) + src[(y0*sw+x1)*c+k]*tx
				b := src[(y1*sw+x0)*c+k]*(1-tx) + src[(y1*sw+x1)*c+k]*tx
				dst[(y*dw+x)*c+k] = a*(1-ty) + b*ty
			}
		}
	}
}
