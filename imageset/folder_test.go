package imageset

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func grayImage(h, w, seed int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = byte(seed*41 + i*13)
	}
	return m
}

func rgbImage(h, w, seed int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		if i%4 == 3 {
			m.Pix[i] = 255
		} else {
			m.Pix[i] = byte(seed*41 + i*13)
		}
	}
	return m
}

func TestReadFolderGray(t *testing.T) {
	root := t.TempDir()
	writePNG(t, filepath.Join(root, "b_dog", "x.png"), grayImage(3, 4, 2))
	writePNG(t, filepath.Join(root, "a_cat", "2.PNG"), grayImage(3, 4, 1))
	writePNG(t, filepath.Join(root, "a_cat", "1.png"), grayImage(3, 4, 0))
	writePNG(t, filepath.Join(root, "b_dog", "sub", "y.png"), grayImage(3, 4, 3))
	os.WriteFile(filepath.Join(root, "a_cat", ".DS_Store"), []byte("junk"), 0o644)
	s, err := ReadFolder(root, FolderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 4 || s.H != 3 || s.W != 4 || s.C != 1 || strings.Join(s.Classes, ",") != "a_cat,b_dog" {
		t.Fatalf("%d images %d×%d×%d classes %v", s.Len(), s.H, s.W, s.C, s.Classes)
	}
	// Order: class, then path: a_cat/1, a_cat/2, b_dog/sub/y, b_dog/x.
	for i, c := range []struct{ seed, label int }{{0, 0}, {1, 0}, {3, 1}, {2, 1}} {
		if s.Labels[i] != c.label {
			t.Fatalf("image %d label %d, want %d", i, s.Labels[i], c.label)
		}
		for j, v := range grayImage(3, 4, c.seed).Pix {
			if s.Image(i)[j] != float32(v)/255 {
				t.Fatalf("image %d pixel %d = %v, want %v", i, j, s.Image(i)[j], float32(v)/255)
			}
		}
	}
	// As RGB: the gray value on each channel.
	s3, err := ReadFolder(root, FolderOptions{Channels: 3})
	if err != nil {
		t.Fatal(err)
	}
	for j := 0; j < 12; j++ {
		for k := 0; k < 3; k++ {
			if s3.Image(0)[3*j+k] != s.Image(0)[j] {
				t.Fatalf("RGB pixel %d channel %d = %v, want %v", j, k, s3.Image(0)[3*j+k], s.Image(0)[j])
			}
		}
	}
}

func TestReadFolderRGB(t *testing.T) {
	root := t.TempDir()
	writePNG(t, filepath.Join(root, "one", "a.png"), rgbImage(2, 3, 0))
	writePNG(t, filepath.Join(root, "one", "b.png"), grayImage(2, 3, 5)) // gray among RGB: replicated
	nrgba := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range nrgba.Pix {
		nrgba.Pix[i] = byte(200 - i*7)
	}
	writePNG(t, filepath.Join(root, "two", "c.png"), nrgba)
	g16 := image.NewGray16(image.Rect(0, 0, 3, 2))
	for i := 0; i < 6; i++ {
		g16.SetGray16(i%3, i/3, color.Gray16{Y: uint16(1000*i + 7)})
	}
	writePNG(t, filepath.Join(root, "two", "d.png"), g16)
	s, err := ReadFolder(root, FolderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 4 || s.C != 3 {
		t.Fatalf("%d images, %d channels", s.Len(), s.C)
	}
	rgb := rgbImage(2, 3, 0)
	gray := grayImage(2, 3, 5)
	for p := 0; p < 6; p++ {
		for k := 0; k < 3; k++ {
			check := func(img, want float32, what string) {
				if img != want {
					t.Fatalf("%s pixel %d channel %d = %v, want %v", what, p, k, img, want)
				}
			}
			check(s.Image(0)[3*p+k], float32(rgb.Pix[4*p+k])/255, "RGB")
			check(s.Image(1)[3*p+k], float32(gray.Pix[p])/255, "gray")
			check(s.Image(2)[3*p+k], float32(nrgba.Pix[4*p+k])/255, "NRGBA (alpha dropped)")
			check(s.Image(3)[3*p+k], float32(1000*p+7)/65535, "Gray16")
		}
	}
	// Forced grayscale: BT.601 luma.
	s1, err := ReadFolder(root, FolderOptions{Channels: 1})
	if err != nil {
		t.Fatal(err)
	}
	for p := 0; p < 6; p++ {
		r, g, b := float64(rgb.Pix[4*p])/255, float64(rgb.Pix[4*p+1])/255, float64(rgb.Pix[4*p+2])/255
		if want := 0.299*r + 0.587*g + 0.114*b; math.Abs(float64(s1.Image(0)[p])-want) > 1e-6 {
			t.Fatalf("luma pixel %d = %v, want %v", p, s1.Image(0)[p], want)
		}
	}
}

func TestReadFolderJPEG(t *testing.T) {
	root := t.TempDir()
	m := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range m.Pix {
		m.Pix[i] = 128
	}
	var b bytes.Buffer
	jpeg.Encode(&b, m, &jpeg.Options{Quality: 100})
	os.MkdirAll(filepath.Join(root, "k"), 0o755)
	os.WriteFile(filepath.Join(root, "k", "a.jpg"), b.Bytes(), 0o644)
	os.WriteFile(filepath.Join(root, "k", "b.JPEG"), b.Bytes(), 0o644)
	s, err := ReadFolder(root, FolderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || s.C != 1 || s.H != 16 {
		t.Fatalf("%d images %d×%d×%d", s.Len(), s.H, s.W, s.C)
	}
	for _, v := range s.Pixels {
		if math.Abs(float64(v)-128.0/255) > 1.5/255 {
			t.Fatalf("JPEG pixel %v, want about %v", v, 128.0/255)
		}
	}
}

func TestResize(t *testing.T) {
	// 2×2 → 4×4, one channel: src [[0, 1], [2, 3]].
	src := []float32{0, 1, 2, 3}
	dst := make([]float32, 16)
	resize(src, 2, 2, dst, 4, 4, 1, Nearest)
	want := []float32{0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}
	for i := range want {
		if dst[i] != want[i] {
			t.Fatalf("nearest %v, want %v", dst, want)
		}
	}
	// Bilinear, half-pixel centres: x coordinates −0.25→0, 0.25, 0.75, 1.25→(1, clamp):
	// row 0 = [0, 0.25, 0.75, 1]; torch.nn.functional.interpolate(align_corners=False).
	resize(src, 2, 2, dst, 4, 4, 1, Bilinear)
	want = []float32{0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3}
	for i := range want {
		if math.Abs(float64(dst[i]-want[i])) > 1e-6 {
			t.Fatalf("bilinear %v, want %v", dst, want)
		}
	}
	// 4×4 → 2×2 nearest takes the pixels under the centres: (1, 1), (1, 3), ...
	big := make([]float32, 16)
	for i := range big {
		big[i] = float32(i)
	}
	small := make([]float32, 4)
	resize(big, 4, 4, small, 2, 2, 1, Nearest)
	if small[0] != 5 || small[1] != 7 || small[2] != 13 || small[3] != 15 {
		t.Fatalf("nearest down %v", small)
	}
	// Same size: identity for both.
	out := make([]float32, 16)
	for _, m := range []Resample{Nearest, Bilinear} {
		resize(big, 4, 4, out, 4, 4, 1, m)
		for i := range big {
			if out[i] != big[i] {
				t.Fatalf("mode %d same size: %v", m, out)
			}
		}
	}
}

func TestReadFolderResize(t *testing.T) {
	root := t.TempDir()
	writePNG(t, filepath.Join(root, "a", "big.png"), grayImage(8, 8, 1))
	writePNG(t, filepath.Join(root, "a", "small.png"), grayImage(4, 4, 2))
	if _, err := ReadFolder(root, FolderOptions{}); err == nil {
		t.Fatal("unequal sizes accepted")
	} else {
		wantFormatError(t, err, filepath.Join(root, "a", "small.png"), -1, "size")
		if !strings.Contains(err.Error(), "4×4, want 8×8 as big.png, the first image") {
			t.Fatal(err)
		}
	}
	s, err := ReadFolder(root, FolderOptions{Height: 4, Width: 4, Resize: Bilinear})
	if err != nil {
		t.Fatal(err)
	}
	if s.H != 4 || s.W != 4 {
		t.Fatalf("size %d×%d", s.H, s.W)
	}
	for j, v := range grayImage(4, 4, 2).Pix { // already 4×4: unchanged
		if s.Image(1)[j] != float32(v)/255 {
			t.Fatalf("pixel %d = %v", j, s.Image(1)[j])
		}
	}
}

func TestReadFolderErrors(t *testing.T) {
	png1 := func() []byte {
		var b bytes.Buffer
		png.Encode(&b, grayImage(2, 2, 0))
		return b.Bytes()
	}()
	file := func(b []byte) *fstest.MapFile { return &fstest.MapFile{Data: b} }
	cases := []struct {
		name  string
		fs    fstest.MapFS
		file  string
		field string
		opt   FolderOptions
	}{
		{"extension", fstest.MapFS{"a/1.png": file(png1), "a/notes.txt": file([]byte("x"))}, "r/a/notes.txt", "extension", FolderOptions{}},
		{"root file", fstest.MapFS{"a/1.png": file(png1), "README": file([]byte("x"))}, "r/README", "layout", FolderOptions{}},
		{"empty class", fstest.MapFS{"a/1.png": file(png1), "b/.keep": file(nil)}, "r/b", "layout", FolderOptions{}},
		{"corrupt", fstest.MapFS{"a/1.png": file(png1), "a/2.png": file(png1[:30])}, "r/a/2.png", "decode", FolderOptions{}},
		{"jpeg named png", fstest.MapFS{"a/1.png": file([]byte{0xff, 0xd8, 0xff, 0xe0})}, "r/a/1.png", "decode", FolderOptions{}},
		{"fixed size", fstest.MapFS{"a/1.png": file(png1)}, "r/a/1.png", "size", FolderOptions{Height: 3, Width: 3}},
		{"no classes", fstest.MapFS{".hidden/1.png": file(png1)}, "r", "layout", FolderOptions{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadFolderFS(c.fs, "r", c.opt)
			wantFormatError(t, err, c.file, -1, c.field)
		})
	}
	for _, opt := range []FolderOptions{{Channels: 2}, {Height: 3}, {Resize: 7}} {
		if _, err := ReadFolderFS(fstest.MapFS{"a/1.png": file(png1)}, "r", opt); err == nil {
			t.Errorf("options %+v accepted", opt)
		}
	}
}
