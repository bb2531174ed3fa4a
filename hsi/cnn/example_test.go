package cnn_test

import (
	"fmt"

	"github.com/ergml/erg/hsi/cnn"
)

func ExampleParamCount() {
	for _, name := range cnn.Names() {
		spec, _ := cnn.Lookup(name)
		n, err := cnn.ParamCount(nil, spec, 200, 16)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d parameters on 200 bands, 16 classes (patch %d)\n", name, n, spec.Patch)
	}
	// Output:
	// cnn1d: 72196 parameters on 200 bands, 16 classes (patch 1)
	// cnn3d: 45196 parameters on 200 bands, 16 classes (patch 5)
}
