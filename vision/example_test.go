package vision_test

import (
	"fmt"
	"os"

	"github.com/ergml/erg/vision"
)

// The parameter counts of two networks of the zoo on Fashion-MNIST's 28×28×1 images
// with 10 classes, equal to PyTorch's for the same networks.
func ExampleParamCount() {
	for _, name := range []string{"lenet5", "resnet8", "resnet20"} {
		n, err := vision.ParamCount(nil, vision.Specs[name], 28, 28, 1, 10)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(name, n)
	}
	// Output:
	// lenet5 61706
	// resnet8 77754
	// resnet20 272186
}

// A model's default training, and a value Validate refuses: the error names the key
// of config.json, which is also the flag of erg vision train.
func ExampleTrainConfig_Validate() {
	cfg := vision.DefaultConfig("resnet8")
	fmt.Printf("%s: %d epochs, batch %d, Adam lr %g, %s schedule\n", cfg.Model, cfg.Epochs, cfg.Batch, cfg.LR, cfg.Schedule)
	cfg.Data = "mnist:" + os.TempDir() // any existing directory passes Validate; Train reads it
	cfg.Dropout = 0.5
	fmt.Println(cfg.Validate())
	// Output:
	// resnet8: 15 epochs, batch 64, Adam lr 0.001, cosine schedule
	// dropout 0.5: model resnet8 has no dropout layer (vgg has)
}
