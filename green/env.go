package green

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ergml/erg/run"
)

// EnvKeys are the environment factors a study varies, in the order of a cell's id.
var EnvKeys = []string{"threads", "dtype", "batch", "backend"}

// DTypes are the values of the dtype factor.
var DTypes = []string{"float32", "float64"}

// Factor is one environment factor and the levels a study runs it at; the first
// level is the base environment, the one every model runs in.
type Factor struct {
	Key    string   `json:"key"`
	Levels []string `json:"levels"`
}

// Env is one training environment: a level of every factor.
type Env struct {
	Threads int    `json:"threads"` // GOMAXPROCS during the cell
	DType   string `json:"dtype"`   // float32 or float64
	Batch   int    `json:"batch"`   // images per step
	Backend string `json:"backend"` // GoMLX backend: go, xla, ...
}

// DefaultEnv is the base environment when a factor is not given: one thread,
// float32, batch 64 (the zoo's default), the pure-Go backend.
var DefaultEnv = Env{Threads: 1, DType: "float32", Batch: 64, Backend: "go"}

// String is the environment as key=value pairs in EnvKeys order.
func (e Env) String() string {
	return fmt.Sprintf("threads=%d,dtype=%s,batch=%d,backend=%s", e.Threads, e.DType, e.Batch, e.Backend)
}

// Tag is a short form for cell ids and run names: t1-float32-b64-go.
func (e Env) Tag() string {
	return fmt.Sprintf("t%d-%s-b%d-%s", e.Threads, e.DType, e.Batch, e.Backend)
}

// Level returns the environment's level of factor key.
func (e Env) Level(key string) string {
	switch key {
	case "threads":
		return strconv.Itoa(e.Threads)
	case "dtype":
		return e.DType
	case "batch":
		return strconv.Itoa(e.Batch)
	case "backend":
		return e.Backend
	}
	return ""
}

func (e *Env) set(key, v string) {
	switch key {
	case "threads":
		e.Threads, _ = strconv.Atoi(v)
	case "dtype":
		e.DType = v
	case "batch":
		e.Batch, _ = strconv.Atoi(v)
	case "backend":
		e.Backend = v
	}
}

// ParseEnv parses --env tokens "key=level,level,..." (keys EnvKeys; threads and
// batch positive integers, dtype float32 or float64, backend a backend name). A
// key given twice, an unknown key or a malformed token is a *run.FieldError of
// field "env" naming the token. Factors come back in EnvKeys order.
func ParseEnv(tokens []string) ([]Factor, error) {
	seen := map[string]Factor{}
	for _, tok := range tokens {
		key, vals, ok := strings.Cut(tok, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.TrimSpace(vals) == "" {
			return nil, run.Invalid("env", tok, "malformed: want key=level[,level...] with key one of %s", strings.Join(EnvKeys, ", "))
		}
		if !slices.Contains(EnvKeys, key) {
			return nil, run.Invalid("env", tok, "unknown key %q (valid: %s)", key, strings.Join(EnvKeys, ", "))
		}
		if _, dup := seen[key]; dup {
			return nil, run.Invalid("env", tok, "key %s given twice", key)
		}
		f := Factor{Key: key}
		for _, v := range strings.Split(vals, ",") {
			v = strings.TrimSpace(v)
			switch key {
			case "threads", "batch":
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 {
					return nil, run.Invalid("env", tok, "level %q of %s: want a positive integer", v, key)
				}
				v = strconv.Itoa(n)
			case "dtype":
				if !slices.Contains(DTypes, v) {
					return nil, run.Invalid("env", tok, "level %q of dtype: want %s", v, strings.Join(DTypes, " or "))
				}
			case "backend":
				if v == "" || strings.ContainsAny(v, " /\\") {
					return nil, run.Invalid("env", tok, "level %q of backend: want a backend name (go, xla, ...)", v)
				}
			}
			if v == "" || slices.Contains(f.Levels, v) {
				return nil, run.Invalid("env", tok, "empty or repeated level %q", v)
			}
			f.Levels = append(f.Levels, v)
		}
		seen[key] = f
	}
	var out []Factor
	for _, k := range EnvKeys {
		if f, ok := seen[k]; ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// Envs returns the base environment (the first level of every factor, DefaultEnv
// for factors not given) and the full factorial of the factors' levels, the base
// first.
func Envs(factors []Factor) (base Env, all []Env) {
	base = DefaultEnv
	for _, f := range factors {
		base.set(f.Key, f.Levels[0])
	}
	all = []Env{base}
	for _, f := range factors {
		var next []Env
		for _, e := range all {
			for _, l := range f.Levels {
				e2 := e
				e2.set(f.Key, l)
				next = append(next, e2)
			}
		}
		all = next
	}
	// the product already starts with the base (every factor's first level)
	return base, all
}
