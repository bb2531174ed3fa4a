package modes

import (
	"encoding/json"
	"math"
	"strconv"
)

// Num is a float64 that encodes NaN and ±Inf as JSON null (encoding/json rejects them),
// for diagnostics that may be undefined.
type Num float64

// MarshalJSON implements json.Marshaler.
func (v Num) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// Nums is a []float64 whose NaN and ±Inf elements encode as JSON null.
type Nums []float64

// MarshalJSON implements json.Marshaler.
func (v Nums) MarshalJSON() ([]byte, error) {
	out := make([]Num, len(v))
	for i, f := range v {
		out[i] = Num(f)
	}
	return json.Marshal(out)
}
