package envi_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ergml/erg/hsi/envi"
)

func ExampleWrite() {
	dir, _ := os.MkdirTemp("", "envi")
	defer os.RemoveAll(dir)
	c := envi.New(2, 1, 3) // 2 samples, 1 line, 3 bands, float32 bsq
	c.Wavelength = []float64{450, 550, 650}
	c.Set(0, 1, 2, 0.25)
	if _, err := envi.Write(filepath.Join(dir, "tiny.hdr"), c); err != nil {
		fmt.Println(err)
		return
	}
	back, err := envi.Read(filepath.Join(dir, "tiny.hdr"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.Samples, back.Lines, back.Bands, back.Interleave, back.DataType, back.Pixel(0, 1), back.Wavelength)
	// Output: 2 1 3 bsq float32 [0 0 0.25] [450 550 650]
}
