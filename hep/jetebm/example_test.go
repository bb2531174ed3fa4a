package jetebm_test

import (
	"fmt"

	"github.com/ergml/erg/hep/jetebm"
)

func ExampleAUC() {
	qcd := []float64{1, 2, 3}   // energies of background jets
	top := []float64{2.5, 3, 4} // energies of signal jets: higher is more anomalous
	fmt.Printf("AUC %.4f, W1 %.2f\n", jetebm.AUC(qcd, top), jetebm.W1(qcd, top))
	// Output:
	// AUC 0.8333, W1 1.17
}
