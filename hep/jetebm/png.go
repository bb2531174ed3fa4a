package jetebm

import (
	"os"
	"path/filepath"

	"gonum.org/v1/plot/vg/vgimg"
)

func savePNG(path string, img *vgimg.Canvas) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".plot-*.png")
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
