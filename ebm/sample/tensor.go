package sample

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
)

func toTensor(x []float64, dt dtypes.DType, dims ...int) *tensors.Tensor {
	switch dt {
	case dtypes.Float64:
		return tensors.FromFlatDataAndDimensions(append([]float64(nil), x...), dims...)
	case dtypes.Float32:
		f := make([]float32, len(x))
		for i, v := range x {
			f[i] = float32(v)
		}
		return tensors.FromFlatDataAndDimensions(f, dims...)
	}
	panic(fmt.Sprintf("sample: unsupported dtype %s", dt))
}

func scalarTensor(v float64, dt dtypes.DType) *tensors.Tensor {
	if dt == dtypes.Float64 {
		return tensors.FromValue(v)
	}
	return tensors.FromValue(float32(v))
}

// shapesOf returns a tiny int8 shape whose only dimension carries k into the graph
// builder (one compiled graph per distinct k).
func shapesOf(k int) shapes.Shape { return shapes.Make(dtypes.Int8, k) }

func fromTensor(t *tensors.Tensor) []float64 {
	var out []float64
	t.MustConstFlatData(func(a any) {
		switch v := a.(type) {
		case []float32:
			out = make([]float64, len(v))
			for i, e := range v {
				out[i] = float64(e)
			}
		case []float64:
			out = append([]float64(nil), v...)
		}
	})
	return out
}

func scalarOf(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("sample: unexpected scalar %T", t.Value()))
}
