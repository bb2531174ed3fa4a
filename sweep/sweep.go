package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Names in JetStream. For a sweep with id ID:
//
//	stream   ERG_SWEEP_ID      work queue, subjects erg.sweep.ID.cell.<cell id>, one message per subject
//	consumer workers           durable pull consumer of that stream, explicit acks
//	bucket   erg_sweep_ID      key-value: cell.<id> (the cell), result.<id> (its result, written once),
//	                           error.<id> (the last failed attempt's error)
//	objects  erg_sweep_ID      object store: files of finished cells, <cell id>/<attempt>/<path>
//	bucket   erg_sweeps        key-value: one Info per sweep, keyed by id (the registry workers read)
const (
	RegistryBucket = "erg_sweeps"
	ConsumerName   = "workers"
)

// StreamName returns the name of the work-queue stream of sweep id.
func StreamName(id string) string { return "ERG_SWEEP_" + id }

// Subject returns the subject of cell of sweep id in the work-queue stream.
func Subject(id, cell string) string { return "erg.sweep." + id + ".cell." + cell }

// BucketName returns the name of the key-value bucket (and object store) of sweep id.
func BucketName(id string) string { return "erg_sweep_" + id }

// MsgID returns the Nats-Msg-Id of the gen-th enqueueing of cell of sweep id (gen ""
// for the first): the stream drops a second message with the same id within its
// duplicate window.
func MsgID(id, cell, gen string) string {
	if gen == "" {
		return id + "/" + cell
	}
	return id + "/" + cell + "/" + gen
}

// Settings are a sweep's delivery settings.
type Settings struct {
	// AckWait is how long a cell may go without a heartbeat from its worker before
	// it is delivered again (workers send one every AckWait/3 while a cell runs, so
	// a cell is redelivered about AckWait after its worker died). 0 means 30 s.
	AckWait time.Duration `json:"ack_wait"`
	// Attempts is how many times a cell is run before it is recorded failed with its
	// last error (a cell whose workers all die is recorded failed after as many
	// deliveries). The consumer's MaxDeliver is Attempts+1: the last delivery only
	// records the failure. 0 means 3.
	Attempts int `json:"attempts"`
}

// WithDefaults returns s with zero fields set to their defaults.
func (s Settings) WithDefaults() Settings {
	if s.AckWait <= 0 {
		s.AckWait = 30 * time.Second
	}
	if s.Attempts <= 0 {
		s.Attempts = 3
	}
	return s
}

// Info is a sweep's entry in the registry.
type Info struct {
	ID       string    `json:"id"`
	Cells    int       `json:"cells"`
	Grid     string    `json:"grid,omitempty"` // the grid file it was made from
	Settings Settings  `json:"settings"`
	Created  time.Time `json:"created"`
}

// Result is the outcome of one cell, stored once (the first worker to finish a cell
// stores it; a later one finds the key taken).
type Result struct {
	Sweep      string          `json:"sweep"`
	Cell       string          `json:"cell"`
	Capability string          `json:"capability"`
	Seed       uint64          `json:"seed"`
	Status     string          `json:"status"` // StatusDone or StatusFailed
	Output     json.RawMessage `json:"output,omitempty"`
	Error      string          `json:"error,omitempty"`
	Worker     string          `json:"worker"`
	Attempt    int             `json:"attempt"` // the delivery that produced it
	Enqueued   time.Time       `json:"enqueued"`
	Started    time.Time       `json:"started"`
	Finished   time.Time       `json:"finished"`
	Seconds    float64         `json:"seconds"` // the runner's wall time
	// Files is the prefix of the cell's files in the sweep's object store ("" for
	// none) and FileList their paths relative to the cell's directory.
	Files    string   `json:"files,omitempty"`
	FileList []string `json:"file_list,omitempty"`
}

// Result statuses.
const (
	StatusDone   = "done"
	StatusFailed = "failed"
)

// workItem is the body of a message of the work queue.
type workItem struct {
	Sweep    string    `json:"sweep"`
	Cell     Cell      `json:"cell"`
	Enqueued time.Time `json:"enqueued"`
}

// Sweep is a handle on one sweep's stream, consumer and buckets.
type Sweep struct {
	ID       string
	Info     Info
	conn     *Conn
	stream   jetstream.Stream
	kv       jetstream.KeyValue
	consumer jetstream.Consumer
}

func (c *Conn) registry(ctx context.Context) (jetstream.KeyValue, error) {
	kv, err := c.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: RegistryBucket, Description: "erg sweeps", Storage: jetstream.FileStorage})
	if err != nil {
		return nil, fmt.Errorf("sweep: registry bucket %s: %w", RegistryBucket, err)
	}
	return kv, nil
}

// CreateSweep makes (or, when it exists, opens and extends) the sweep of grid g:
// its stream, consumer and buckets, with the grid's cells stored under cell.<id>. A
// cell already stored with a different capability, seed or configuration is an
// error: a sweep's cells never change (make a new sweep).
func (c *Conn) CreateSweep(ctx context.Context, g *Grid, s Settings) (*Sweep, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	s = s.WithDefaults()
	id := g.ID
	reg, err := c.registry(ctx)
	if err != nil {
		return nil, err
	}
	stream, err := c.JS.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName(id),
		Description: "erg sweep " + id + ": cells to run",
		Subjects:    []string{Subject(id, ">")},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		// One message per cell at a time: enqueueing a cell that is queued or
		// running is refused by the server itself.
		MaxMsgsPerSubject:    1,
		Discard:              jetstream.DiscardNew,
		DiscardNewPerSubject: true,
		Duplicates:           2 * time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("sweep %s: stream: %w", id, err)
	}
	cons, err := stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       ConsumerName,
		Description:   "erg workers",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       s.AckWait,
		MaxDeliver:    s.Attempts + 1,
		MaxAckPending: -1,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("sweep %s: consumer: %w", id, err)
	}
	kv, err := c.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: BucketName(id), Description: "erg sweep " + id + ": cells and results",
		History: 8, Storage: jetstream.FileStorage,
	})
	if err != nil {
		return nil, fmt.Errorf("sweep %s: bucket: %w", id, err)
	}
	sw := &Sweep{ID: id, conn: c, stream: stream, kv: kv, consumer: cons}
	stored, err := sw.storedCells(ctx)
	if err != nil {
		return nil, err
	}
	for i, cell := range g.Cells {
		b, err := json.Marshal(cell)
		if err != nil {
			return nil, fmt.Errorf("sweep %s: cell %s: %w", id, cell.ID, err)
		}
		if old, ok := stored[cell.ID]; ok {
			if !sameCell(old, cell) {
				return nil, &fieldErr{field: fmt.Sprintf("cells[%d]", i), file: g.File,
					msg: fmt.Sprintf("cell %s differs from the one sweep %s already has (capability, seed or config); a sweep's cells never change: use a new sweep id or directory", cell.ID, id)}
			}
			continue
		}
		if _, err := kv.Put(ctx, "cell."+cell.ID, b); err != nil {
			return nil, fmt.Errorf("sweep %s: storing cell %s: %w", id, cell.ID, err)
		}
		stored[cell.ID] = cell
	}
	sw.Info = Info{ID: id, Cells: len(stored), Grid: g.File, Settings: s, Created: time.Now().UTC()}
	if e, err := reg.Get(ctx, id); err == nil {
		var old Info
		if json.Unmarshal(e.Value(), &old) == nil && !old.Created.IsZero() {
			sw.Info.Created = old.Created
		}
	}
	b, _ := json.Marshal(sw.Info)
	if _, err := reg.Put(ctx, id, b); err != nil {
		return nil, fmt.Errorf("sweep %s: registry: %w", id, err)
	}
	return sw, nil
}

func sameCell(a, b Cell) bool {
	if a.Capability != b.Capability || a.Seed != b.Seed {
		return false
	}
	norm := func(r json.RawMessage) string {
		if len(bytes.TrimSpace(r)) == 0 {
			return "null"
		}
		var v any
		if json.Unmarshal(r, &v) != nil {
			return string(r)
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	return norm(a.Config) == norm(b.Config)
}

// fieldErr is an error about a grid's field found only against the stored sweep;
// it reports itself as the grid file's.
type fieldErr struct{ field, file, msg string }

func (e *fieldErr) Error() string {
	if e.file != "" {
		return e.file + ": " + e.field + ": " + e.msg
	}
	return e.field + ": " + e.msg
}

// Location reports the file of the error (erg's commands put it in their JSON error).
func (e *fieldErr) Location() (string, int) { return e.file, 0 }

// ErrNoSweep is returned by OpenSweep for a sweep the server does not have.
var ErrNoSweep = errors.New("no such sweep")

// OpenSweep opens an existing sweep.
func (c *Conn) OpenSweep(ctx context.Context, id string) (*Sweep, error) {
	stream, err := c.JS.Stream(ctx, StreamName(id))
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("sweep %s: %w", id, ErrNoSweep)
	}
	if err != nil {
		return nil, fmt.Errorf("sweep %s: %w", id, err)
	}
	cons, err := stream.Consumer(ctx, ConsumerName)
	if err != nil {
		return nil, fmt.Errorf("sweep %s: consumer: %w", id, err)
	}
	kv, err := c.JS.KeyValue(ctx, BucketName(id))
	if err != nil {
		return nil, fmt.Errorf("sweep %s: bucket: %w", id, err)
	}
	sw := &Sweep{ID: id, conn: c, stream: stream, kv: kv, consumer: cons}
	if reg, err := c.JS.KeyValue(ctx, RegistryBucket); err == nil {
		if e, err := reg.Get(ctx, id); err == nil {
			json.Unmarshal(e.Value(), &sw.Info)
		}
	}
	if sw.Info.ID == "" {
		sw.Info = Info{ID: id}
	}
	ci := cons.CachedInfo()
	sw.Info.Settings = Settings{AckWait: ci.Config.AckWait, Attempts: max(1, ci.Config.MaxDeliver-1)}
	return sw, nil
}

// Sweeps lists the sweeps in the registry, by id.
func (c *Conn) Sweeps(ctx context.Context) ([]Info, error) {
	reg, err := c.JS.KeyValue(ctx, RegistryBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sweep: registry: %w", err)
	}
	vals, err := watchValues(ctx, reg, ">")
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, v := range vals {
		var in Info
		if json.Unmarshal(v, &in) == nil && in.ID != "" {
			out = append(out, in)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// watchValues returns the current values of the keys of kv matching filter, keyed
// by key, without deleted ones.
func watchValues(ctx context.Context, kv jetstream.KeyValue, filter string) (map[string][]byte, error) {
	w, err := kv.Watch(ctx, filter, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("sweep: reading %s: %w", filter, err)
	}
	defer w.Stop()
	out := map[string][]byte{}
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case e, ok := <-w.Updates():
			if !ok {
				return out, nil
			}
			if e == nil { // the initial values are all delivered
				return out, nil
			}
			out[e.Key()] = e.Value()
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
			return nil, fmt.Errorf("sweep: reading %s: no answer in 30 s", filter)
		}
	}
}

func (s *Sweep) storedCells(ctx context.Context) (map[string]Cell, error) {
	vals, err := watchValues(ctx, s.kv, "cell.>")
	if err != nil {
		return nil, err
	}
	out := map[string]Cell{}
	for k, v := range vals {
		var c Cell
		if err := json.Unmarshal(v, &c); err != nil {
			return nil, fmt.Errorf("sweep %s: bad cell %s: %w", s.ID, k, err)
		}
		out[c.ID] = c
	}
	return out, nil
}

// Cells returns the sweep's cells, sorted by id.
func (s *Sweep) Cells(ctx context.Context) ([]Cell, error) {
	m, err := s.storedCells(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Cell, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Results returns the stored results, keyed by cell id.
func (s *Sweep) Results(ctx context.Context) (map[string]Result, error) {
	vals, err := watchValues(ctx, s.kv, "result.>")
	if err != nil {
		return nil, err
	}
	out := map[string]Result{}
	for k, v := range vals {
		var r Result
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, fmt.Errorf("sweep %s: bad result %s: %w", s.ID, k, err)
		}
		out[r.Cell] = r
	}
	return out, nil
}

// Result returns the result of cell, or nil when it has none.
func (s *Sweep) Result(ctx context.Context, cell string) (*Result, error) {
	e, err := s.kv.Get(ctx, "result."+cell)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sweep %s: result %s: %w", s.ID, cell, err)
	}
	var r Result
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		return nil, fmt.Errorf("sweep %s: bad result %s: %w", s.ID, cell, err)
	}
	return &r, nil
}

// Store stores r as the result of its cell unless the cell has one: the first write
// wins (a key-value Create, which fails when the key exists). It reports whether r
// was stored.
func (s *Sweep) Store(ctx context.Context, r Result) (bool, error) {
	r.Sweep = s.ID
	b, err := json.Marshal(r)
	if err != nil {
		return false, fmt.Errorf("sweep %s: result %s: %w", s.ID, r.Cell, err)
	}
	if _, err := s.kv.Create(ctx, "result."+r.Cell, b); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			return false, nil
		}
		return false, fmt.Errorf("sweep %s: storing result %s: %w", s.ID, r.Cell, err)
	}
	return true, nil
}

// ResultRevisions returns how many times the result of cell was written (the
// bucket keeps 8 revisions of a key): 1 for a cell run once, or retried never.
func (s *Sweep) ResultRevisions(ctx context.Context, cell string) (int, error) {
	h, err := s.kv.History(ctx, "result."+cell)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range h {
		if e.Operation() == jetstream.KeyValuePut {
			n++
		}
	}
	return n, nil
}

// lastError returns the error of the last failed attempt at cell ("" for none).
func (s *Sweep) lastError(ctx context.Context, cell string) string {
	e, err := s.kv.Get(ctx, "error."+cell)
	if err != nil {
		return ""
	}
	return string(e.Value())
}

func (s *Sweep) setLastError(ctx context.Context, cell, msg string) {
	s.kv.Put(ctx, "error."+cell, []byte(msg))
}

// queued returns the cells that have a message in the work queue (waiting or being
// run).
func (s *Sweep) queued(ctx context.Context) (map[string]bool, error) {
	prefix := Subject(s.ID, "")
	info, err := s.stream.Info(ctx, jetstream.WithSubjectFilter(prefix+">"))
	if err != nil {
		return nil, fmt.Errorf("sweep %s: stream: %w", s.ID, err)
	}
	out := map[string]bool{}
	for subj, n := range info.State.Subjects {
		if n > 0 {
			out[strings.TrimPrefix(subj, prefix)] = true
		}
	}
	return out, nil
}

// Enqueue puts the cells that have neither a result nor a message in the work queue
// on the queue, with Nats-Msg-Id MsgID(sweep, cell, gen), and returns how many it
// enqueued. A cell a worker finished is never enqueued again.
func (s *Sweep) Enqueue(ctx context.Context, cells []Cell, gen string) (int, error) {
	results, err := s.Results(ctx)
	if err != nil {
		return 0, err
	}
	queued, err := s.queued(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cells {
		if _, done := results[c.ID]; done || queued[c.ID] {
			continue
		}
		ok, err := s.publish(ctx, c, gen)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// Publish puts one cell on the queue without looking for its result (Enqueue does;
// a worker does too before it runs the cell), with Nats-Msg-Id MsgID(sweep, cell,
// gen). It reports false when the server refused the message as a duplicate or the
// cell as already queued.
func (s *Sweep) Publish(ctx context.Context, c Cell, gen string) (bool, error) {
	return s.publish(ctx, c, gen)
}

// WatchResults returns the results stored from now on, as they are stored, until
// stop is called or ctx ends.
func (s *Sweep) WatchResults(ctx context.Context) (results <-chan Result, stop func(), err error) {
	w, err := s.kv.Watch(ctx, "result.>", jetstream.UpdatesOnly(), jetstream.IgnoreDeletes())
	if err != nil {
		return nil, nil, fmt.Errorf("sweep %s: watching results: %w", s.ID, err)
	}
	ch := make(chan Result, 64)
	done := make(chan struct{})
	go func() {
		defer close(ch)
		for {
			select {
			case e, ok := <-w.Updates():
				if !ok {
					return
				}
				if e == nil {
					continue
				}
				var r Result
				if json.Unmarshal(e.Value(), &r) == nil {
					select {
					case ch <- r:
					case <-done:
						return
					}
				}
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	var once sync.Once
	return ch, func() { once.Do(func() { close(done); w.Stop() }) }, nil
}

// publish puts one cell on the queue; it reports false when the server refused it
// as a duplicate or as already queued.
func (s *Sweep) publish(ctx context.Context, c Cell, gen string) (bool, error) {
	b, err := json.Marshal(workItem{Sweep: s.ID, Cell: c, Enqueued: time.Now().UTC()})
	if err != nil {
		return false, err
	}
	ack, err := s.conn.JS.Publish(ctx, Subject(s.ID, c.ID), b, jetstream.WithMsgID(MsgID(s.ID, c.ID, gen)))
	if err != nil {
		if strings.Contains(err.Error(), "maximum messages per subject exceeded") {
			return false, nil // queued or running
		}
		return false, fmt.Errorf("sweep %s: enqueueing %s: %w", s.ID, c.ID, err)
	}
	return !ack.Duplicate, nil
}

// Status is a sweep's state.
type Status struct {
	Sweep   string `json:"sweep"`
	Cells   int    `json:"cells"`
	Done    int    `json:"done"`
	Failed  int    `json:"failed"`
	Running int    `json:"running"` // delivered to a worker, not yet acknowledged
	Queued  int    `json:"queued"`  // waiting in the queue
	// Idle cells have no result and are not queued: a coordinator has not
	// enqueued them (yet).
	Idle     int      `json:"idle"`
	Settings Settings `json:"settings"`
}

// Status returns the sweep's state.
func (s *Sweep) Status(ctx context.Context) (Status, error) {
	st := Status{Sweep: s.ID, Settings: s.Info.Settings}
	cells, err := s.storedCells(ctx)
	if err != nil {
		return st, err
	}
	res, err := s.Results(ctx)
	if err != nil {
		return st, err
	}
	queued, err := s.queued(ctx)
	if err != nil {
		return st, err
	}
	st.Cells = len(cells)
	for id := range cells {
		r, ok := res[id]
		switch {
		case ok && r.Status == StatusDone:
			st.Done++
		case ok:
			st.Failed++
		case !queued[id]:
			st.Idle++
		}
	}
	ci, err := s.consumer.Info(ctx)
	if err != nil {
		return st, fmt.Errorf("sweep %s: consumer: %w", s.ID, err)
	}
	st.Running, st.Queued = ci.NumAckPending, int(ci.NumPending)
	return st, nil
}

// Retry re-enqueues the failed cells (all of them, or those named): their results
// and last errors are deleted and each is enqueued with a new message id. It
// returns the cells enqueued.
func (s *Sweep) Retry(ctx context.Context, only ...string) ([]string, error) {
	res, err := s.Results(ctx)
	if err != nil {
		return nil, err
	}
	cells, err := s.storedCells(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range only {
		want[id] = true
	}
	gen := fmt.Sprintf("retry-%d", time.Now().UnixNano())
	var out []string
	ids := make([]string, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := res[id]
		if r.Status != StatusFailed || (len(want) > 0 && !want[id]) {
			continue
		}
		c, ok := cells[id]
		if !ok {
			continue
		}
		if err := s.kv.Delete(ctx, "result."+id); err != nil {
			return out, fmt.Errorf("sweep %s: deleting result %s: %w", s.ID, id, err)
		}
		s.kv.Delete(ctx, "error."+id)
		if _, err := s.publish(ctx, c, gen); err != nil {
			return out, err
		}
		out = append(out, id)
	}
	return out, nil
}

// unstick records failed the cells of ids that have no result but a message the
// consumer no longer delivers (its deliveries ran out while the workers running it
// died), and enqueues those with neither. It returns how many it handled.
func (s *Sweep) unstick(ctx context.Context, cells []Cell) (int, error) {
	queued, err := s.queued(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cells {
		if r, err := s.Result(ctx, c.ID); err != nil || r != nil {
			continue
		}
		if !queued[c.ID] {
			if ok, err := s.publish(ctx, c, fmt.Sprintf("again-%d", time.Now().UnixNano())); err == nil && ok {
				n++
			}
			continue
		}
		m, err := s.stream.GetLastMsgForSubject(ctx, Subject(s.ID, c.ID))
		if err != nil {
			continue
		}
		msg := fmt.Sprintf("no result after %d deliveries (the workers running it died or stopped)", s.Info.Settings.Attempts+1)
		if e := s.lastError(ctx, c.ID); e != "" {
			msg += "; last error: " + e
		}
		var item workItem
		json.Unmarshal(m.Data, &item)
		if _, err := s.Store(ctx, Result{Cell: c.ID, Capability: c.Capability, Seed: c.Seed, Status: StatusFailed, Error: msg,
			Worker: "coordinator", Enqueued: item.Enqueued, Finished: time.Now().UTC()}); err != nil {
			return n, err
		}
		s.stream.DeleteMsg(ctx, m.Sequence)
		n++
	}
	return n, nil
}

// redeliverNow makes the cells delivered to workers before a restart of the server
// deliverable at once, instead of after their ack wait: the consumer is made anew
// (the work queue keeps its messages). Only for a server that just started, which no
// worker can hold a cell of yet. Delivery counts start again.
func (s *Sweep) redeliverNow(ctx context.Context) error {
	ci, err := s.consumer.Info(ctx)
	if err != nil {
		return fmt.Errorf("sweep %s: consumer: %w", s.ID, err)
	}
	if ci.NumAckPending == 0 {
		return nil
	}
	cfg := ci.Config
	if err := s.stream.DeleteConsumer(ctx, ConsumerName); err != nil {
		return fmt.Errorf("sweep %s: consumer: %w", s.ID, err)
	}
	cons, err := s.stream.CreateOrUpdateConsumer(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sweep %s: consumer: %w", s.ID, err)
	}
	s.consumer = cons
	return nil
}

func (s *Sweep) objects(ctx context.Context, create bool) (jetstream.ObjectStore, error) {
	if create {
		return s.conn.JS.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: BucketName(s.ID), Description: "erg sweep " + s.ID + ": files of cells", Storage: jetstream.FileStorage})
	}
	return s.conn.JS.ObjectStore(ctx, BucketName(s.ID))
}

// putFiles stores the files under dir in the object store under prefix and returns
// their relative paths.
func (s *Sweep) putFiles(ctx context.Context, prefix, dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		return nil, err
	}
	obs, err := s.objects(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("sweep %s: object store: %w", s.ID, err)
	}
	for _, rel := range files {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		_, err = obs.Put(ctx, jetstream.ObjectMeta{Name: prefix + "/" + rel}, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("sweep %s: storing %s: %w", s.ID, rel, err)
		}
	}
	return files, nil
}

// FetchFiles writes the files a cell's runner left (Result.FileList) under dst,
// at their paths relative to the cell's directory.
func (s *Sweep) FetchFiles(ctx context.Context, r Result, dst string) error {
	if r.Files == "" || len(r.FileList) == 0 {
		return nil
	}
	obs, err := s.objects(ctx, false)
	if err != nil {
		return fmt.Errorf("sweep %s: object store: %w", s.ID, err)
	}
	for _, rel := range r.FileList {
		if strings.Contains(rel, "..") || filepath.IsAbs(rel) {
			return fmt.Errorf("sweep %s: cell %s: bad file path %q", s.ID, r.Cell, rel)
		}
		path := filepath.Join(dst, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := obs.GetFile(ctx, r.Files+"/"+rel, path); err != nil {
			return fmt.Errorf("sweep %s: cell %s: fetching %s: %w", s.ID, r.Cell, rel, err)
		}
	}
	return nil
}

// isTimeout reports whether err is a pull that found no message in time.
func isTimeout(err error) bool {
	return errors.Is(err, nats.ErrTimeout) || errors.Is(err, jetstream.ErrNoMessages) || errors.Is(err, context.DeadlineExceeded)
}
