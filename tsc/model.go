package tsc

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/ergml/erg/internal/atomicfile"
)

// modelHeader is the first line of a saved model file.
type modelHeader struct {
	Format string `json:"erg_tsc_model"` // always "1"
	Model  string `json:"model"`
	Params Params `json:"params,omitempty"`
}

// SaveModel writes a fitted classifier to path atomically: one JSON header line
// naming the model and its parameters, then the classifier's own Save output. The
// classifier must implement Persister.
func SaveModel(path, model string, p Params, c Classifier) error {
	ps, ok := c.(Persister)
	if !ok {
		return fmt.Errorf("tsc: model %s cannot be saved (it does not implement tsc.Persister)", model)
	}
	return atomicfile.WriteFunc(path, func(w io.Writer) error {
		h, err := json.Marshal(modelHeader{Format: "1", Model: model, Params: p})
		if err != nil {
			return err
		}
		if _, err := w.Write(append(h, '\n')); err != nil {
			return err
		}
		return ps.Save(w)
	})
}

// LoadModel reads a file written by SaveModel and returns the classifier and the
// model name.
func LoadModel(path string) (Classifier, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("tsc: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return nil, "", fmt.Errorf("tsc: %s:1: reading model header: %w", path, err)
	}
	var h modelHeader
	if err := json.Unmarshal(line, &h); err != nil || h.Format == "" {
		return nil, "", fmt.Errorf("tsc: %s:1: not an erg tsc model file", path)
	}
	c, err := New(h.Model, h.Params)
	if err != nil {
		return nil, "", fmt.Errorf("tsc: %s: %w", path, err)
	}
	ps, ok := c.(Persister)
	if !ok {
		return nil, "", fmt.Errorf("tsc: %s: model %s cannot be loaded", path, h.Model)
	}
	if err := ps.Load(br); err != nil {
		return nil, "", fmt.Errorf("tsc: %s: %w", path, err)
	}
	return c, h.Model, nil
}
