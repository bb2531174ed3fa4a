package figure

import (
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strings"

	"github.com/ergml/erg/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution of PNG files.
const DPI = 150

// Formats lists the file extensions New accepts.
var Formats = []string{".png", ".svg", ".pdf"}

// New returns a w×h canvas for path's format, by its extension (see Formats).
func New(path string, w, h vg.Length) (vg.CanvasWriterTo, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))}, nil
	case ".svg":
		return vgsvg.New(w, h), nil
	case ".pdf":
		return vgpdf.New(w, h), nil
	default:
		return nil, fmt.Errorf("figure: %s: unknown image format %q (want %s)", path, ext, strings.Join(Formats, ", "))
	}
}

// Write writes the canvas c to path atomically.
func Write(path string, c vg.CanvasWriterTo) error {
	return atomicfile.WriteFunc(path, func(w io.Writer) error {
		_, err := c.WriteTo(w)
		return err
	})
}

// Save draws fn on a w×h canvas of path's format and writes it to path.
func Save(path string, w, h vg.Length, fn func(dc draw.Canvas)) error {
	c, err := New(path, w, h)
	if err != nil {
		return err
	}
	fn(draw.New(c))
	return Write(path, c)
}

// SavePlot writes p as a w×h figure to path.
func SavePlot(path string, p *plot.Plot, w, h vg.Length) error {
	return Save(path, w, h, p.Draw)
}

// SaveGrid writes plots as a table of aligned panels, each w×h (nil panels are left
// empty).
func SaveGrid(path string, plots [][]*plot.Plot, w, h vg.Length) error {
	rows := len(plots)
	if rows == 0 || len(plots[0]) == 0 {
		return fmt.Errorf("figure: %s: no panels", path)
	}
	cols := len(plots[0])
	return Save(path, w*vg.Length(cols), h*vg.Length(rows), func(dc draw.Canvas) {
		t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter, PadY: vg.Millimeter,
			PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter}
		cs := plot.Align(plots, t, dc)
		for i := range plots {
			for j := range plots[i] {
				if plots[i][j] != nil {
					plots[i][j].Draw(cs[i][j])
				}
			}
		}
	})
}
