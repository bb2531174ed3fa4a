package deep

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

const modelFormat = "erg-tsc-deep/1"

// savedVar describes one variable of a saved network; its bytes follow the header.
type savedVar struct {
	Path  string `json:"path"`
	DType string `json:"dtype"`
	Dims  []int  `json:"dims"`
	Size  int    `json:"size"`
}

// savedModel is the header line of a saved model.
type savedModel struct {
	Format   string       `json:"format"`
	Spec     string       `json:"spec"`
	Classes  []string     `json:"classes"`
	Length   int          `json:"length"`   // input length (padded or truncated)
	Dims     int          `json:"dims"`     // channels
	Resample int          `json:"resample"` // the length parameter (0: none)
	Members  [][]savedVar `json:"members"`
}

// modelVars lists the variables prediction needs (parameters and batch-norm
// statistics; not the optimizer's state nor the RNG), sorted by path.
func modelVars(store *model.Store) []*model.Variable {
	var vs []*model.Variable
	for v := range store.IterVariables() {
		p := v.Path()
		if strings.HasPrefix(p, "/optimizer") || strings.Contains(p, "#") || !v.HasValue() {
			continue
		}
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Path() < vs[j].Path() })
	return vs
}

// Save implements tsc.Persister: a JSON header line (model, classes, input shape,
// variables) followed by the variables' bytes.
func (m *Model) Save(w io.Writer) error {
	if m.c == nil || len(m.c.members) == 0 {
		return fmt.Errorf("deep: %s is not fitted", m.spec.Name)
	}
	h := savedModel{Format: modelFormat, Spec: m.spec.Name, Classes: m.c.classes, Length: m.c.length, Dims: m.c.dims, Resample: m.length}
	var data [][]*tensors.Tensor
	for _, store := range m.c.members {
		var vars []savedVar
		var ts []*tensors.Tensor
		for _, v := range modelVars(store) {
			t, err := v.Value()
			if err != nil {
				return fmt.Errorf("deep: saving %s: %w", v.Path(), err)
			}
			sh := t.Shape()
			vars = append(vars, savedVar{Path: v.Path(), DType: sh.DType.String(), Dims: append([]int{}, sh.Dimensions...), Size: int(sh.Memory())})
			ts = append(ts, t)
		}
		h.Members = append(h.Members, vars)
		data = append(data, ts)
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(append(hb, '\n'))
	for _, ts := range data {
		for _, t := range ts {
			var werr error
			if err := t.ConstBytes(func(b []byte) { _, werr = bw.Write(b) }); err != nil {
				return err
			}
			if werr != nil {
				return werr
			}
		}
	}
	return bw.Flush()
}

// Load implements tsc.Persister, reading what Save wrote into a model made by the
// same factory. Prediction runs on the default backend ($ERG_BACKEND or Go).
func (m *Model) Load(r io.Reader) error {
	br := bufio.NewReader(r)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("deep: reading the model header: %w", err)
	}
	var h savedModel
	if err := json.Unmarshal(line, &h); err != nil || h.Format != modelFormat {
		return fmt.Errorf("deep: not a saved %s model (format %q, want %q)", m.spec.Name, h.Format, modelFormat)
	}
	if h.Spec != m.spec.Name {
		return fmt.Errorf("deep: the file holds a %s model, not %s", h.Spec, m.spec.Name)
	}
	b, err := backend.New("")
	if err != nil {
		return err
	}
	c := &Classifier{Spec: m.spec, Backend: b, classes: h.Classes, length: h.Length, dims: h.Dims}
	for i, vars := range h.Members {
		store := model.NewStore()
		for _, sv := range vars {
			dt, err := dtypes.DTypeString(sv.DType)
			if err != nil {
				return fmt.Errorf("deep: member %d variable %s: %w", i, sv.Path, err)
			}
			t := tensors.FromShape(shapes.Make(dt, sv.Dims...))
			if int(t.Shape().Memory()) != sv.Size {
				return fmt.Errorf("deep: member %d variable %s: size %d does not match shape %v", i, sv.Path, sv.Size, sv.Dims)
			}
			var rerr error
			t.MutableBytes(func(b []byte) { _, rerr = io.ReadFull(br, b) })
			if rerr != nil {
				return fmt.Errorf("deep: member %d variable %s: %w", i, sv.Path, rerr)
			}
			if _, err := store.CreateVariable(sv.Path, t); err != nil {
				return fmt.Errorf("deep: member %d: %w", i, err)
			}
		}
		c.members = append(c.members, store)
	}
	if len(c.members) == 0 {
		return fmt.Errorf("deep: the saved model has no network")
	}
	m.length = h.Resample
	m.c = c
	return nil
}
