package graphgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// AppendGraph6 appends the graph6 encoding of g (without a newline) to dst.
// graph6 is nauty's format, read by networkx.read_graph6 and
// networkx.from_graph6_bytes.
func AppendGraph6(dst []byte, g *Graph) []byte {
	n := g.N()
	switch {
	case n <= 62:
		dst = append(dst, byte(n+63))
	case n <= 258047:
		dst = append(dst, 126, byte(n>>12&63+63), byte(n>>6&63+63), byte(n&63+63))
	default:
		dst = append(dst, 126, 126)
		for s := 30; s >= 0; s -= 6 {
			dst = append(dst, byte(n>>s&63+63))
		}
	}
	var cur, nb byte
	for j := 1; j < n; j++ {
		for i := 0; i < j; i++ {
			cur <<= 1
			if g.HasEdge(i, j) {
				cur |= 1
			}
			nb++
			if nb == 6 {
				dst = append(dst, cur+63)
				cur, nb = 0, 0
			}
		}
	}
	if nb > 0 {
		dst = append(dst, cur<<(6-nb)+63)
	}
	return dst
}

// ParseGraph6 decodes one graph6 line (an optional ">>graph6<<" header is
// accepted).
func ParseGraph6(b []byte) (*Graph, error) {
	b = bytes.TrimPrefix(bytes.TrimSpace(b), []byte(">>graph6<<"))
	if len(b) == 0 {
		return nil, errors.New("graph6: empty line")
	}
	for i, c := range b {
		if c < 63 || c > 126 {
			return nil, fmt.Errorf("graph6: byte %d: invalid character %q", i, c)
		}
	}
	var n, p int
	switch {
	case b[0] != 126:
		n, p = int(b[0])-63, 1
	case len(b) >= 2 && b[1] != 126:
		if len(b) < 4 {
			return nil, errors.New("graph6: truncated size")
		}
		n, p = (int(b[1])-63)<<12|(int(b[2])-63)<<6|(int(b[3])-63), 4
	default:
		if len(b) < 8 {
			return nil, errors.New("graph6: truncated size")
		}
		for k := 2; k < 8; k++ {
			n = n<<6 | (int(b[k]) - 63)
		}
		p = 8
	}
	need := (n*(n-1)/2 + 5) / 6
	if len(b)-p != need {
		return nil, fmt.Errorf("graph6: %d nodes need %d data bytes, have %d", n, need, len(b)-p)
	}
	bd := NewBuilder(n)
	k := 0
	for j := 1; j < n; j++ {
		for i := 0; i < j; i++ {
			c := b[p+k/6] - 63
			if c>>(5-k%6)&1 == 1 {
				bd.Add(i, j)
			}
			k++
		}
	}
	return bd.Graph(), nil
}

// WriteSet writes graphs to w, one graph6 line each.
func WriteSet(w io.Writer, graphs []*Graph) error {
	bw := bufio.NewWriter(w)
	var buf []byte
	for _, g := range graphs {
		buf = AppendGraph6(buf[:0], g)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadSet reads a graph6 file of graphs, one per line; blank lines are
// skipped. Errors name the line.
func ReadSet(r io.Reader) ([]*Graph, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	var out []*Graph
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		g, err := ParseGraph6(sc.Bytes())
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, g)
	}
	return out, sc.Err()
}

// SaveSet writes graphs to the graph6 file path atomically (temporary file and
// rename), creating the directory if needed.
func SaveSet(path string, graphs []*Graph) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*.g6")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := WriteSet(f, graphs); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// LoadSet reads a graph6 file; errors name the file and line.
func LoadSet(path string) ([]*Graph, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gs, err := ReadSet(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return gs, nil
}
