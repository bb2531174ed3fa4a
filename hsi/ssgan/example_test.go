package ssgan_test

import (
	"fmt"
	"math"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/hsi/ssgan"
	. "github.com/gomlx/gomlx/core/graph"
)

// With all K logits 0, Z = K: an unlabelled real patch costs −½ log(K/(K+1)) and a
// generated one −½ log(1/(K+1)).
func ExampleGANLosses() {
	b, err := backend.New("")
	if err != nil {
		fmt.Println(err)
		return
	}
	const k = 3
	l := [][]float64{{0, 0, 0}}
	v, err := ExecOnceN(b, func(lab, y, unl, fake *Node) []*Node {
		sup, unsup := ssgan.GANLosses(lab, y, unl, fake)
		return []*Node{sup, unsup}
	}, l, []int32{1}, l, l)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("sup %.4f (log K %.4f)\n", v[0].Value(), math.Log(k))
	fmt.Printf("unsup %.4f (%.4f)\n", v[1].Value(), -0.5*math.Log(k/(k+1.0))-0.5*math.Log(1/(k+1.0)))
	// Output:
	// sup 1.0986 (log K 1.0986)
	// unsup 0.8370 (0.8370)
}
