package analog_test

import (
	"fmt"

	"github.com/ergml/erg/analog"
)

// The noise-free response of aihwkit's constant-step device: 600 up pulses reach
// w_max = 0.6.
func ExampleClosedForm() {
	d, _ := analog.Preset("constant-step")
	w := analog.ClosedForm(d, 0, 700, 100)
	fmt.Printf("after 300 up: %.3f, after 700 up: %.3f, then 100 down: %.3f\n", w[299], w[699], w[799])
	// Output:
	// after 300 up: 0.300, after 700 up: 0.600, then 100 down: 0.500
}

// One stochastic pulse update of a 2×3 tile of idealized devices: BL =
// ceil(lr·max|x|·max|d|/dw_min) = ceil(0.05·1·0.02/0.0002) = 5.
func ExampleTile_Update() {
	d, _ := analog.Preset("idealized")
	t := analog.NewTile("demo", 2, 3, &d, analog.PresetIO(), analog.PresetIO(), analog.DefaultUpdate(), 1)
	bl, _ := t.Update([]float32{1, 0.5, 0}, []float32{0.02, -0.01}, 0.05)
	fmt.Println("BL", bl, "pulses", t.Stats.Pulses > 0)
	// Output:
	// BL 5 pulses true
}
