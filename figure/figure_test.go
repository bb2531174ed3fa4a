package figure

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func TestFormats(t *testing.T) {
	dir := t.TempDir()
	p := plot.New()
	l, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	p.Add(l)
	magic := map[string][]byte{".png": []byte("\x89PNG"), ".svg": []byte("<?xml"), ".pdf": []byte("%PDF")}
	for ext, m := range magic {
		path := filepath.Join(dir, "f"+ext)
		if err := SavePlot(path, p, 3*vg.Inch, 2*vg.Inch); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(b, m) {
			t.Errorf("%s: starts %q, want %q (%v)", ext, b[:min(8, len(b))], m, err)
		}
	}
	if err := SavePlot(filepath.Join(dir, "f.bmp"), p, vg.Inch, vg.Inch); err == nil {
		t.Error("a .bmp file: no error")
	}
	if err := SaveGrid(filepath.Join(dir, "g.png"), [][]*plot.Plot{{p, nil}, {nil, p}}, 2*vg.Inch, 2*vg.Inch); err != nil {
		t.Error(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 4 {
		t.Errorf("%d files in the directory (temporary files left?)", len(ents))
	}
}
