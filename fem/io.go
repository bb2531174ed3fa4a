package fem

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ergml/erg/internal/atomicfile"
)

// WriteFile writes the dof coordinates and values of u to path, atomically, as
// CSV (".csv": header "x,u" or "x,y,u", one row per dof) or NumPy (".npy": a
// float64 array of shape (N, Dim+1) with the same columns), chosen by extension.
func (s *Space) WriteFile(path string, u []float64) error {
	if len(u) != s.N {
		panic(fmt.Sprintf("fem: WriteFile: %d values for %d dofs", len(u), s.N))
	}
	var write func(io.Writer) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		write = func(w io.Writer) error { return s.WriteCSV(w, u) }
	case ".npy":
		write = func(w io.Writer) error { return s.WriteNPY(w, u) }
	default:
		return fmt.Errorf("fem: output %s: unknown extension %q (want .csv or .npy)", path, filepath.Ext(path))
	}
	return atomicfile.WriteFunc(path, write)
}

// WriteCSV writes one row per dof: coordinates then value.
func (s *Space) WriteCSV(w io.Writer, u []float64) error {
	bw := bufio.NewWriter(w)
	if s.Mesh.Dim == 1 {
		bw.WriteString("x,u\n")
	} else {
		bw.WriteString("x,y,u\n")
	}
	buf := make([]byte, 0, 80)
	for i := 0; i < s.N; i++ {
		buf = buf[:0]
		for _, c := range s.Dof(i) {
			buf = strconv.AppendFloat(buf, c, 'g', -1, 64)
			buf = append(buf, ',')
		}
		buf = strconv.AppendFloat(buf, u[i], 'g', -1, 64)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// WriteNPY writes an (N, Dim+1) float64 array in NumPy's .npy format (version 1.0).
func (s *Space) WriteNPY(w io.Writer, u []float64) error {
	cols := s.Mesh.Dim + 1
	header := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", s.N, cols)
	// magic(6) + version(2) + len(2) + header + '\n' padded to a multiple of 64
	total := 10 + len(header) + 1
	pad := (64 - total%64) % 64
	header += strings.Repeat(" ", pad) + "\n"
	bw := bufio.NewWriter(w)
	bw.WriteString("\x93NUMPY\x01\x00")
	binary.Write(bw, binary.LittleEndian, uint16(len(header)))
	bw.WriteString(header)
	var b [8]byte
	for i := 0; i < s.N; i++ {
		for _, c := range s.Dof(i) {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(c))
			bw.Write(b[:])
		}
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(u[i]))
		bw.Write(b[:])
	}
	return bw.Flush()
}
