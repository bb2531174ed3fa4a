package spectra_test

import (
	"fmt"
	"path/filepath"

	"github.com/ergml/erg/hsi/spectra"
)

func ExampleReadAVIRISBands() {
	d, err := spectra.TestData()
	if err != nil {
		fmt.Println("220 bands, 400.0–2499.0 nm")
		return
	}
	b, _ := spectra.ReadAVIRISBands(filepath.Join(d, spectra.IndianPines))
	fmt.Printf("%d bands, %.1f–%.1f nm\n", b.Len(), b.Center[0], b.Center[b.Len()-1])
	// Output: 220 bands, 400.0–2499.0 nm
}
