package ucr

import "math"

// mapSeries returns a copy of d with every series replaced by f(series).
func (d *Dataset) mapSeries(f func([]float64) []float64) *Dataset {
	c := *d
	c.X = make([][][]float64, len(d.X))
	for i, cs := range d.X {
		c.X[i] = make([][]float64, len(cs))
		for j, s := range cs {
			c.X[i][j] = f(s)
		}
	}
	c.Y = append([]string(nil), d.Y...)
	c.Classes = append([]string(nil), d.Classes...)
	return &c
}

// ZNormalize returns a copy of d in which every series (each dimension of each case
// separately) has mean 0 and population standard deviation 1, as in the UCR archive
// and dl-4-tsc. NaNs are ignored in the statistics and kept. A constant series (standard
// deviation below 1e-8) is only centred.
func (d *Dataset) ZNormalize() *Dataset {
	return d.mapSeries(func(s []float64) []float64 {
		var sum, n float64
		for _, v := range s {
			if !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		out := make([]float64, len(s))
		if n == 0 {
			copy(out, s)
			return out
		}
		mean := sum / n
		var ss float64
		for _, v := range s {
			if !math.IsNaN(v) {
				ss += (v - mean) * (v - mean)
			}
		}
		sd := math.Sqrt(ss / n)
		if sd < 1e-8 {
			sd = 1
		}
		for i, v := range s {
			out[i] = (v - mean) / sd
		}
		return out
	})
}

// FillMissing returns a copy of d in which each run of NaNs is replaced by linear
// interpolation between its neighbours; leading and trailing runs take the nearest
// value, and an all-NaN series becomes zeros.
func (d *Dataset) FillMissing() *Dataset {
	return d.mapSeries(func(s []float64) []float64 {
		out := append([]float64(nil), s...)
		last := -1 // index of the last non-NaN value
		for i, v := range out {
			if math.IsNaN(v) {
				continue
			}
			if last < i-1 { // fill (last, i)
				for k := last + 1; k < i; k++ {
					if last < 0 {
						out[k] = v
					} else {
						t := float64(k-last) / float64(i-last)
						out[k] = out[last] + t*(v-out[last])
					}
				}
			}
			last = i
		}
		for k := last + 1; k < len(out); k++ {
			if last < 0 {
				out[k] = 0
			} else {
				out[k] = out[last]
			}
		}
		return out
	})
}

// PadRight returns a copy of d in which every series shorter than length is padded at
// the end with value (use 0, or NaN to mark the padding as missing). Longer series
// are kept as they are.
func (d *Dataset) PadRight(length int, value float64) *Dataset {
	return d.mapSeries(func(s []float64) []float64 {
		out := append(make([]float64, 0, max(length, len(s))), s...)
		for len(out) < length {
			out = append(out, value)
		}
		return out
	})
}

// Truncate returns a copy of d in which every series longer than length keeps only
// its first length values.
func (d *Dataset) Truncate(length int) *Dataset {
	return d.mapSeries(func(s []float64) []float64 {
		return append([]float64(nil), s[:min(length, len(s))]...)
	})
}

// Resample returns a copy of d in which every series is linearly interpolated onto
// length equally spaced points spanning its first and last sample (the end points
// are kept). A series of one point is repeated; an empty series becomes zeros.
// It panics if length < 1.
func (d *Dataset) Resample(length int) *Dataset {
	if length < 1 {
		panic("ucr: Resample: length < 1")
	}
	return d.mapSeries(func(s []float64) []float64 { return resample(s, length) })
}

func resample(s []float64, length int) []float64 {
	out := make([]float64, length)
	switch len(s) {
	case 0:
		return out
	case 1:
		for i := range out {
			out[i] = s[0]
		}
		return out
	}
	if length == 1 {
		out[0] = s[0]
		return out
	}
	scale := float64(len(s)-1) / float64(length-1)
	for i := range out {
		x := float64(i) * scale
		j := int(x)
		if j >= len(s)-1 {
			out[i] = s[len(s)-1]
			continue
		}
		t := x - float64(j)
		out[i] = s[j] + t*(s[j+1]-s[j])
	}
	return out
}
