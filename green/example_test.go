package green_test

import (
	"fmt"

	"github.com/ergml/erg/green"
)

func ExampleModelCost() {
	for _, m := range []string{"mlp", "cnn", "resnet8"} {
		c, err := green.ModelCost(m, 28, 28, 1, 10)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-8s %7d params %6.2f MFLOPs/image\n", m, c.Params, float64(c.FLOPs)/1e6)
	}
	// Output:
	// mlp       235146 params   0.47 MFLOPs/image
	// cnn       421642 params   8.48 MFLOPs/image
	// resnet8    77754 params  18.69 MFLOPs/image
}

func ExampleParseEnv() {
	f, err := green.ParseEnv([]string{"threads=1,2", "batch=64,256"})
	if err != nil {
		panic(err)
	}
	base, all := green.Envs(f)
	fmt.Println("base:", base)
	fmt.Println(len(all), "environments, e.g.", all[3].Tag())
	_, err = green.ParseEnv([]string{"gpu=1"})
	fmt.Println(err)
	// Output:
	// base: threads=1,dtype=float32,batch=64,backend=go
	// 4 environments, e.g. t2-float32-b256-go
	// env gpu=1: unknown key "gpu" (valid: threads, dtype, batch, backend)
}
