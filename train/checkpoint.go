package train

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"github.com/ergml/erg/internal/atomicfile"
	"github.com/ergml/erg/run"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// CheckpointFile is the checkpoint's name inside a run directory.
const CheckpointFile = run.CheckpointFile

const ckptMagic = "ERGCKPT1"

// LoopState is the training loop's own state, saved with every checkpoint.
type LoopState struct {
	Step         int            `json:"step"`  // steps done
	Epoch        int            `json:"epoch"` // epochs done
	LR           float64        `json:"lr"`
	Schedule     ScheduleState  `json:"schedule"`
	EpochLossSum float64        `json:"epoch_loss_sum"`
	EpochLossN   int            `json:"epoch_loss_n"`
	BestLoss     float64        `json:"best_loss"`
	BestEpoch    int            `json:"best_epoch"`
	StaleEpochs  int            `json:"stale_epochs"` // early stopping counter
	Seconds      float64        `json:"seconds"`      // wall time of earlier sessions
	Joules       float64        `json:"joules"`       // energy of earlier sessions
	EnergyStatus string         `json:"energy_status,omitempty"`
	Stopped      string         `json:"stopped,omitempty"` // why the loop ended early
	LastLoss     float64        `json:"last_loss"`
	Extra        map[string]any `json:"extra,omitempty"` // capability-specific
}

// MarshalJSON writes the state; a BestLoss of +Inf (no epoch finished yet) is written
// as null, which JSON can hold.
func (s LoopState) MarshalJSON() ([]byte, error) {
	type plain LoopState
	v := struct {
		plain
		BestLoss *float64 `json:"best_loss"`
	}{plain: plain(s)}
	if !math.IsInf(s.BestLoss, 1) {
		v.BestLoss = &s.BestLoss
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads the state written by MarshalJSON (null BestLoss: +Inf).
func (s *LoopState) UnmarshalJSON(b []byte) error {
	type plain LoopState
	v := struct {
		*plain
		BestLoss *float64 `json:"best_loss"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	s.BestLoss = math.Inf(1)
	if v.BestLoss != nil {
		s.BestLoss = *v.BestLoss
	}
	return nil
}

type ckptVar struct {
	Path      string `json:"path"`
	DType     string `json:"dtype"`
	Dims      []int  `json:"dims"`
	Trainable bool   `json:"trainable"`
	Size      int    `json:"size"`
}

type ckptHeader struct {
	State LoopState `json:"state"`
	Vars  []ckptVar `json:"vars"`
}

// varTensor returns the host tensor of v, or nil if v has no value yet.
func varTensor(v *model.Variable) *tensors.Tensor {
	if !v.HasValue() {
		return nil
	}
	t, err := v.Value()
	if err != nil {
		return nil
	}
	return t
}

// SaveCheckpoint writes every variable of store that holds a value, plus extra named
// tensors (for example keep-best parameters, saved under "best:"+path) and the loop
// state, to path atomically.
func SaveCheckpoint(path string, store *model.Store, extra map[string]*tensors.Tensor, st LoopState) error {
	type item struct {
		v ckptVar
		t *tensors.Tensor
	}
	var items []item
	for v := range store.IterVariables() {
		t := varTensor(v)
		if t == nil {
			continue
		}
		items = append(items, item{ckptVar{Path: v.Path(), Trainable: v.Trainable}, t})
	}
	// The store's variables keep the store's order (LoadCheckpoint recreates them in
	// it, so a resumed run sums gradient norms in the same order as a fresh one); the
	// extra tensors follow, sorted.
	n := len(items)
	for k, t := range extra {
		items = append(items, item{ckptVar{Path: k}, t})
	}
	sort.Slice(items[n:], func(i, j int) bool { return items[n+i].v.Path < items[n+j].v.Path })
	h := ckptHeader{State: st}
	for i := range items {
		sh := items[i].t.Shape()
		items[i].v.DType = sh.DType.String()
		items[i].v.Dims = append([]int{}, sh.Dimensions...)
		items[i].v.Size = int(sh.Memory())
		h.Vars = append(h.Vars, items[i].v)
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("train: checkpoint header: %w", err)
	}
	return atomicfile.WriteFunc(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(ckptMagic)
		binary.Write(bw, binary.LittleEndian, uint64(len(hb)))
		bw.Write(hb)
		for _, it := range items {
			var werr error
			if err := it.t.ConstBytes(func(b []byte) { _, werr = bw.Write(b) }); err != nil {
				return err
			}
			if werr != nil {
				return werr
			}
		}
		return bw.Flush()
	})
}

// LoadCheckpoint reads a checkpoint written by SaveCheckpoint. Variables are created in
// (or their values set into) store; tensors whose path starts with "best:" are returned
// in extra.
func LoadCheckpoint(path string, store *model.Store) (st LoopState, extra map[string]*tensors.Tensor, err error) {
	f, err := os.Open(path)
	if err != nil {
		return st, nil, fmt.Errorf("train: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	magic := make([]byte, len(ckptMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != ckptMagic {
		return st, nil, fmt.Errorf("train: %s is not an erg checkpoint", path)
	}
	var n uint64
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil || n > 1<<30 {
		return st, nil, fmt.Errorf("train: %s: bad header length", path)
	}
	hb := make([]byte, n)
	if _, err := io.ReadFull(r, hb); err != nil {
		return st, nil, fmt.Errorf("train: %s: truncated header: %w", path, err)
	}
	var h ckptHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return st, nil, fmt.Errorf("train: %s: header: %w", path, err)
	}
	extra = map[string]*tensors.Tensor{}
	for _, cv := range h.Vars {
		dt, err := dtypes.DTypeString(cv.DType)
		if err != nil {
			return st, nil, fmt.Errorf("train: %s: variable %s: dtype %q: %w", path, cv.Path, cv.DType, err)
		}
		t := tensors.FromShape(shapes.Make(dt, cv.Dims...))
		if int(t.Shape().Memory()) != cv.Size {
			return st, nil, fmt.Errorf("train: %s: variable %s: size %d does not match shape %v", path, cv.Path, cv.Size, cv.Dims)
		}
		var rerr error
		t.MutableBytes(func(b []byte) { _, rerr = io.ReadFull(r, b) })
		if rerr != nil {
			return st, nil, fmt.Errorf("train: %s: variable %s: %w", path, cv.Path, rerr)
		}
		if len(cv.Path) > 5 && cv.Path[:5] == "best:" {
			extra[cv.Path] = t
			continue
		}
		if v := store.GetVariable(cv.Path); v != nil {
			if !v.Shape().Equal(t.Shape()) {
				return st, nil, fmt.Errorf("train: %s: variable %s has shape %s in the checkpoint but %s in the model", path, cv.Path, t.Shape(), v.Shape())
			}
			if err := v.SetValue(t); err != nil {
				return st, nil, fmt.Errorf("train: %s: %w", path, err)
			}
			continue
		}
		v, err := store.CreateVariable(cv.Path, t)
		if err != nil {
			return st, nil, fmt.Errorf("train: %s: %w", path, err)
		}
		v.Trainable = cv.Trainable
	}
	return h.State, extra, nil
}
