package gt

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ergml/erg/graphgen"
)

// magic is the 6-byte header "⛾ gt".
var magic = []byte{0xe2, 0x9b, 0xbe, 0x20, 0x67, 0x74}

// File is a graph read from a .gt file.
type File struct {
	Graph    *graphgen.Graph // undirected simple graph (symmetrised if Directed)
	Directed bool            // the file stored a directed graph
	Comment  string          // the header comment
	Loops    int             // self-loops dropped
	Multi    int             // repeated edges collapsed (after symmetrisation)
}

// Warnings returns one message per lossy conversion made while reading.
func (f *File) Warnings() []string {
	var w []string
	if f.Directed {
		w = append(w, "directed graph symmetrised")
	}
	if f.Loops > 0 {
		w = append(w, fmt.Sprintf("%d self-loops dropped", f.Loops))
	}
	if f.Multi > 0 {
		w = append(w, fmt.Sprintf("%d repeated edges collapsed", f.Multi))
	}
	return w
}

// TruncatedError reports a file that ends before its adjacency lists do.
// Offset is the byte offset (in the decompressed stream for .gt.gz) where the
// read ran out.
type TruncatedError struct {
	Offset int64
	What   string
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("gt: truncated at byte %d while reading %s", e.Offset, e.What)
}

type reader struct {
	r   *bufio.Reader
	off int64
	bo  binary.ByteOrder
	buf [8]byte
}

func (r *reader) read(n int, what string) ([]byte, error) {
	k, err := io.ReadFull(r.r, r.buf[:n])
	r.off += int64(k)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, &TruncatedError{Offset: r.off, What: what}
		}
		return nil, fmt.Errorf("gt: byte %d: %w", r.off, err)
	}
	return r.buf[:n], nil
}

func (r *reader) uint(n int, what string) (uint64, error) {
	b, err := r.read(n, what)
	if err != nil {
		return 0, err
	}
	switch n {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(r.bo.Uint16(b)), nil
	case 4:
		return uint64(r.bo.Uint32(b)), nil
	}
	return r.bo.Uint64(b), nil
}

// Read reads a .gt stream; gzip compression is detected from its magic bytes.
func Read(src io.Reader) (*File, error) {
	br := bufio.NewReaderSize(src, 1<<16)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gt: gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<16)
	}
	r := &reader{r: br, bo: binary.LittleEndian}
	b, err := r.read(6, "magic")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(b, magic) {
		return nil, fmt.Errorf("gt: byte 0: not a .gt file (bad magic % x)", b)
	}
	ver, err := r.uint(1, "version")
	if err != nil {
		return nil, err
	}
	if ver != 1 {
		return nil, fmt.Errorf("gt: byte 6: unsupported version %d", ver)
	}
	endian, err := r.uint(1, "endianness")
	if err != nil {
		return nil, err
	}
	switch endian {
	case 0:
	case 1:
		r.bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("gt: byte 7: bad endianness flag %d", endian)
	}
	clen, err := r.uint(8, "comment length")
	if err != nil {
		return nil, err
	}
	if clen > 1<<24 {
		return nil, fmt.Errorf("gt: byte 8: comment length %d too large", clen)
	}
	comment := make([]byte, clen)
	k, err := io.ReadFull(r.r, comment)
	r.off += int64(k)
	if err != nil {
		return nil, &TruncatedError{Offset: r.off, What: "comment"}
	}
	dir, err := r.uint(1, "directed flag")
	if err != nil {
		return nil, err
	}
	nOff := r.off
	n64, err := r.uint(8, "vertex count")
	if err != nil {
		return nil, err
	}
	if n64 > 1<<31 {
		return nil, fmt.Errorf("gt: byte %d: vertex count %d too large", nOff, n64)
	}
	n := int(n64)
	w := 8
	switch {
	case n64 <= 0xff:
		w = 1
	case n64 <= 0xffff:
		w = 2
	case n64 <= 0xffffffff:
		w = 4
	}
	var edges [][2]int
	for u := 0; u < n; u++ {
		cOff := r.off
		c, err := r.uint(8, fmt.Sprintf("neighbour count of vertex %d", u))
		if err != nil {
			return nil, err
		}
		if c > 1<<40 {
			return nil, fmt.Errorf("gt: byte %d: vertex %d has implausible neighbour count %d", cOff, u, c)
		}
		for i := uint64(0); i < c; i++ {
			vOff := r.off
			v, err := r.uint(w, fmt.Sprintf("neighbours of vertex %d", u))
			if err != nil {
				return nil, err
			}
			if v >= n64 {
				return nil, fmt.Errorf("gt: byte %d: vertex %d has neighbour %d out of range [0,%d)", vOff, u, v, n)
			}
			edges = append(edges, [2]int{u, int(v)})
		}
	}
	g, loops, multi := graphgen.FromEdges(n, edges)
	return &File{Graph: g, Directed: dir != 0, Comment: string(comment), Loops: loops, Multi: multi}, nil
}

// ReadFile reads the .gt or .gt.gz file path; errors name the file.
func ReadFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// CollectionDir is where Debian's python3-graph-tool installs its collection.
const CollectionDir = "/usr/lib/python3/dist-packages/graph_tool/collection"

// Collection reads the named network (e.g. "karate", "hep-th") from
// graph-tool's collection in CollectionDir.
func Collection(name string) (*File, error) {
	p := CollectionDir + "/" + name + ".gt.gz"
	if _, err := os.Stat(p); err != nil {
		return nil, fmt.Errorf("gt: %s not found (install python3-graph-tool): %w", p, err)
	}
	return ReadFile(p)
}
