package mesh

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// ReadGmshFile reads a Gmsh mesh file; see ReadGmsh.
func ReadGmshFile(path string) (*Mesh, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mesh: %w", err)
	}
	defer f.Close()
	return ReadGmsh(f, path)
}

// ReadGmsh reads a Gmsh ASCII mesh, format version 2.2 or 4.1 (Geuzaine and
// Remacle 2009); name is used in error messages.
//
// If the file has triangles (type 2, or type 9 of which the corner nodes are
// kept) it gives a 2-D mesh, and its line elements (types 1, 8) tag the
// boundary edges they cover with their physical tag; boundary edges not covered
// get tag 0. Otherwise its lines give a 1-D mesh whose point elements (type 15)
// tag the end points. Coordinates beyond the mesh dimension must be zero. Nodes
// not used by any cell are dropped; the remaining ones keep the file's order.
// Cells and facets carry the physical tag of the element (v2: its first tag;
// v4: the first physical tag of its entity), or 0.
func ReadGmsh(r io.Reader, name string) (*Mesh, error) {
	p := &gmshParser{sc: bufio.NewScanner(r), name: name}
	p.sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.build()
}

type gmshElem struct {
	typ   int
	tag   int32
	nodes []int64
	line  int
}

type gmshParser struct {
	sc      *bufio.Scanner
	name    string
	line    int
	version string
	nodeIdx map[int64]int32
	xyz     []float64
	elems   []gmshElem
	// v4 entity physical tags: [dim][entityTag] -> physical tag
	entPhys [4]map[int64]int32
}

func (p *gmshParser) errf(format string, a ...any) error {
	return fmt.Errorf("mesh: %s:%d: %s", p.name, p.line, fmt.Sprintf(format, a...))
}

// next returns the next non-empty line's fields; io.EOF at the end.
func (p *gmshParser) next() ([]string, error) {
	for p.sc.Scan() {
		p.line++
		f := strings.Fields(p.sc.Text())
		if len(f) > 0 {
			return f, nil
		}
	}
	if err := p.sc.Err(); err != nil {
		return nil, fmt.Errorf("mesh: %s:%d: %w", p.name, p.line, err)
	}
	return nil, io.EOF
}

// need returns the next line, failing at EOF with a message naming the section.
func (p *gmshParser) need(section string) ([]string, error) {
	f, err := p.next()
	if err == io.EOF {
		return nil, p.errf("unexpected end of file in %s", section)
	}
	return f, err
}

func (p *gmshParser) ints(f []string, n int, what string) ([]int64, error) {
	if len(f) < n {
		return nil, p.errf("%s: %d fields, want at least %d", what, len(f), n)
	}
	out := make([]int64, n)
	for i := 0; i < n; i++ {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return nil, p.errf("%s: field %d: %q is not an integer", what, i+1, f[i])
		}
		out[i] = v
	}
	return out, nil
}

func (p *gmshParser) floats(f []string, what string) ([3]float64, error) {
	var x [3]float64
	if len(f) < 3 {
		return x, p.errf("%s: %d coordinates, want 3", what, len(f))
	}
	for i := 0; i < 3; i++ {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return x, p.errf("%s: coordinate %d: %q is not a finite number", what, i+1, f[i])
		}
		x[i] = v
	}
	return x, nil
}

// count parses a non-negative count with a sanity bound.
func (p *gmshParser) count(s, what string) (int, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || v > 1<<31-1 {
		return 0, p.errf("%s: bad count %q", what, s)
	}
	return int(v), nil
}

func (p *gmshParser) parse() error {
	p.nodeIdx = map[int64]int32{}
	sawNodes, sawElems := false, false
	for {
		f, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		sec := f[0]
		if !strings.HasPrefix(sec, "$") {
			return p.errf("expected a section header like $Nodes, found %q", sec)
		}
		switch sec {
		case "$MeshFormat":
			if err := p.format(); err != nil {
				return err
			}
		case "$Nodes", "$Elements", "$Entities":
			if p.version == "" {
				return p.errf("%s before $MeshFormat", sec)
			}
			switch {
			case sec == "$Nodes" && p.version == "2":
				err = p.nodes2()
			case sec == "$Nodes":
				err = p.nodes4()
			case sec == "$Elements" && p.version == "2":
				err = p.elements2()
			case sec == "$Elements":
				err = p.elements4()
			case sec == "$Entities" && p.version == "4":
				err = p.entities4()
			default:
				err = p.skip(sec)
			}
			if err != nil {
				return err
			}
			sawNodes = sawNodes || sec == "$Nodes"
			sawElems = sawElems || sec == "$Elements"
		default:
			if err := p.skip(sec); err != nil {
				return err
			}
		}
	}
	if p.version == "" {
		return fmt.Errorf("mesh: %s: not a Gmsh mesh (no $MeshFormat section)", p.name)
	}
	if !sawNodes {
		return fmt.Errorf("mesh: %s: no $Nodes section", p.name)
	}
	if !sawElems {
		return fmt.Errorf("mesh: %s: no $Elements section", p.name)
	}
	return nil
}

func (p *gmshParser) skip(sec string) error {
	end := "$End" + sec[1:]
	for {
		f, err := p.need(sec)
		if err != nil {
			return err
		}
		if f[0] == end {
			return nil
		}
	}
}

func (p *gmshParser) end(sec string) error {
	f, err := p.need(sec)
	if err != nil {
		return err
	}
	if want := "$End" + sec[1:]; f[0] != want {
		return p.errf("expected %s, found %q (wrong count in %s?)", want, strings.Join(f, " "), sec)
	}
	return nil
}

func (p *gmshParser) format() error {
	f, err := p.need("$MeshFormat")
	if err != nil {
		return err
	}
	if len(f) < 3 {
		return p.errf("$MeshFormat: want \"version file-type data-size\", found %q", strings.Join(f, " "))
	}
	switch f[0] {
	case "2", "2.0", "2.1", "2.2":
		p.version = "2"
	case "4.1":
		p.version = "4"
	case "4", "4.0":
		return p.errf("$MeshFormat: version %s is not supported; save as version 4.1 or 2.2", f[0])
	default:
		return p.errf("$MeshFormat: unknown version %q (want 2.2 or 4.1)", f[0])
	}
	if f[1] != "0" {
		return p.errf("$MeshFormat: binary files are not supported; save the mesh as ASCII")
	}
	return p.end("$MeshFormat")
}

func (p *gmshParser) addNode(id int64, x [3]float64) error {
	if _, dup := p.nodeIdx[id]; dup {
		return p.errf("$Nodes: node %d defined twice", id)
	}
	p.nodeIdx[id] = int32(len(p.xyz) / 3)
	p.xyz = append(p.xyz, x[0], x[1], x[2])
	return nil
}

func (p *gmshParser) nodes2() error {
	f, err := p.need("$Nodes")
	if err != nil {
		return err
	}
	n, err := p.count(f[0], "$Nodes")
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		f, err := p.need("$Nodes")
		if err != nil {
			return err
		}
		id, err := p.ints(f, 1, "$Nodes: node")
		if err != nil {
			return err
		}
		x, err := p.floats(f[1:], fmt.Sprintf("$Nodes: node %d", id[0]))
		if err != nil {
			return err
		}
		if err := p.addNode(id[0], x); err != nil {
			return err
		}
	}
	return p.end("$Nodes")
}

var gmshNodesPer = map[int]int{1: 2, 2: 3, 8: 3, 9: 6, 15: 1}

func (p *gmshParser) elements2() error {
	f, err := p.need("$Elements")
	if err != nil {
		return err
	}
	n, err := p.count(f[0], "$Elements")
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		f, err := p.need("$Elements")
		if err != nil {
			return err
		}
		h, err := p.ints(f, 3, "$Elements: element")
		if err != nil {
			return err
		}
		typ, ntags := int(h[1]), int(h[2])
		if ntags < 0 || ntags > 64 {
			return p.errf("$Elements: element %d: bad tag count %d", h[0], ntags)
		}
		nn, ok := gmshNodesPer[typ]
		if !ok {
			if typ >= 1 && typ <= 140 {
				continue // other element kinds (quads, tets, ...) are ignored
			}
			return p.errf("$Elements: element %d: unknown element type %d", h[0], typ)
		}
		v, err := p.ints(f, 3+ntags+nn, fmt.Sprintf("$Elements: element %d (type %d)", h[0], typ))
		if err != nil {
			return err
		}
		tag := int32(0)
		if ntags > 0 {
			tag = int32(v[3])
		}
		p.elems = append(p.elems, gmshElem{typ: typ, tag: tag, nodes: v[3+ntags:], line: p.line})
	}
	return p.end("$Elements")
}

func (p *gmshParser) entities4() error {
	f, err := p.need("$Entities")
	if err != nil {
		return err
	}
	cnt, err := p.ints(f, 4, "$Entities: counts")
	if err != nil {
		return err
	}
	for dim := 0; dim < 4; dim++ {
		p.entPhys[dim] = map[int64]int32{}
		if cnt[dim] < 0 || cnt[dim] > 1<<31-1 {
			return p.errf("$Entities: bad count %d", cnt[dim])
		}
		for i := int64(0); i < cnt[dim]; i++ {
			f, err := p.need("$Entities")
			if err != nil {
				return err
			}
			// point: tag x y z nphys phys...; others: tag 6 bounds nphys phys... nbound ...
			k := 4
			if dim > 0 {
				k = 7
			}
			v, err := p.ints(f[:1], 1, "$Entities: entity tag")
			if err != nil {
				return err
			}
			np, err := p.ints(f[min(k, len(f)):], 1, fmt.Sprintf("$Entities: entity %d physical-tag count", v[0]))
			if err != nil {
				return err
			}
			if np[0] > 0 {
				ph, err := p.ints(f[min(k+1, len(f)):], 1, fmt.Sprintf("$Entities: entity %d physical tag", v[0]))
				if err != nil {
					return err
				}
				p.entPhys[dim][v[0]] = int32(ph[0])
			}
		}
	}
	return p.end("$Entities")
}

func (p *gmshParser) nodes4() error {
	f, err := p.need("$Nodes")
	if err != nil {
		return err
	}
	h, err := p.ints(f, 4, "$Nodes: header")
	if err != nil {
		return err
	}
	if h[0] < 0 || h[1] < 0 || h[1] > 1<<31-1 {
		return p.errf("$Nodes: bad counts %d blocks, %d nodes", h[0], h[1])
	}
	total := 0
	for b := int64(0); b < h[0]; b++ {
		f, err := p.need("$Nodes")
		if err != nil {
			return err
		}
		bh, err := p.ints(f, 4, "$Nodes: block header")
		if err != nil {
			return err
		}
		if bh[3] < 0 || bh[3] > h[1] {
			return p.errf("$Nodes: block of %d nodes in a file of %d", bh[3], h[1])
		}
		nb := int(bh[3])
		param := bh[2] != 0
		if param {
			return p.errf("$Nodes: parametric nodes are not supported; save without parametric coordinates")
		}
		ids := make([]int64, 0, min(nb, 1<<16))
		for i := 0; i < nb; i++ {
			f, err := p.need("$Nodes")
			if err != nil {
				return err
			}
			id, err := p.ints(f, 1, "$Nodes: node tag")
			if err != nil {
				return err
			}
			ids = append(ids, id[0])
		}
		for _, id := range ids {
			f, err := p.need("$Nodes")
			if err != nil {
				return err
			}
			x, err := p.floats(f, fmt.Sprintf("$Nodes: node %d", id))
			if err != nil {
				return err
			}
			if err := p.addNode(id, x); err != nil {
				return err
			}
		}
		total += nb
	}
	if int64(total) != h[1] {
		return p.errf("$Nodes: blocks hold %d nodes, header says %d", total, h[1])
	}
	return p.end("$Nodes")
}

func (p *gmshParser) elements4() error {
	f, err := p.need("$Elements")
	if err != nil {
		return err
	}
	h, err := p.ints(f, 4, "$Elements: header")
	if err != nil {
		return err
	}
	if h[0] < 0 || h[1] < 0 {
		return p.errf("$Elements: bad counts")
	}
	total := int64(0)
	for b := int64(0); b < h[0]; b++ {
		f, err := p.need("$Elements")
		if err != nil {
			return err
		}
		bh, err := p.ints(f, 4, "$Elements: block header")
		if err != nil {
			return err
		}
		dim, ent, typ, nb := bh[0], bh[1], int(bh[2]), bh[3]
		if dim < 0 || dim > 3 || nb < 0 || nb > h[1] {
			return p.errf("$Elements: bad block header %q", strings.Join(f, " "))
		}
		tag := int32(0)
		if p.entPhys[dim] != nil {
			tag = p.entPhys[dim][ent]
		}
		nn, known := gmshNodesPer[typ]
		if !known && (typ < 1 || typ > 140) {
			return p.errf("$Elements: unknown element type %d", typ)
		}
		for i := int64(0); i < nb; i++ {
			f, err := p.need("$Elements")
			if err != nil {
				return err
			}
			if !known {
				continue
			}
			v, err := p.ints(f, 1+nn, fmt.Sprintf("$Elements: element of type %d", typ))
			if err != nil {
				return err
			}
			p.elems = append(p.elems, gmshElem{typ: typ, tag: tag, nodes: v[1:], line: p.line})
		}
		total += nb
	}
	if total != h[1] {
		return p.errf("$Elements: blocks hold %d elements, header says %d", total, h[1])
	}
	return p.end("$Elements")
}

func (p *gmshParser) build() (*Mesh, error) {
	dim := 1
	for _, e := range p.elems {
		if e.typ == 2 || e.typ == 9 {
			dim = 2
			break
		}
	}
	cellTypes := map[int]bool{1: dim == 1, 8: dim == 1, 2: dim == 2, 9: dim == 2}
	m := &Mesh{Dim: dim}
	lookup := func(e gmshElem, id int64) (int32, error) {
		i, ok := p.nodeIdx[id]
		if !ok {
			return 0, fmt.Errorf("mesh: %s:%d: element refers to undefined node %d", p.name, e.line, id)
		}
		return i, nil
	}
	// nodes used by cells, numbered in file order
	used := make([]int32, len(p.xyz)/3)
	for _, e := range p.elems {
		if !cellTypes[e.typ] {
			continue
		}
		for k := 0; k <= dim; k++ {
			old, err := lookup(e, e.nodes[k])
			if err != nil {
				return nil, err
			}
			used[old] = 1
		}
	}
	newIdx := map[int32]int32{}
	for old, u := range used {
		if u != 0 {
			newIdx[int32(old)] = int32(len(newIdx))
		}
	}
	for _, e := range p.elems {
		if !cellTypes[e.typ] {
			continue
		}
		for k := 0; k <= dim; k++ {
			m.Cells = append(m.Cells, newIdx[p.nodeIdx[e.nodes[k]]])
		}
		m.CellTags = append(m.CellTags, e.tag)
	}
	if len(m.Cells) == 0 {
		return nil, fmt.Errorf("mesh: %s: no triangles or line elements to make cells of", p.name)
	}
	m.X = make([]float64, dim*len(newIdx))
	for old, ni := range newIdx {
		x := p.xyz[3*old : 3*old+3]
		for k := dim; k < 3; k++ {
			if x[k] != 0 {
				return nil, fmt.Errorf("mesh: %s: node %d has coordinate %c = %g; a %d-D mesh needs it zero", p.name, p.nodeID(old), "xyz"[k], x[k], dim)
			}
		}
		copy(m.X[dim*int(ni):], x[:dim])
	}
	// boundary facets and their tags
	bf := m.BoundaryFacets()
	m.Facets = bf
	m.FacetTags = make([]int32, m.NumFacets())
	key := func(a, b int32) [2]int32 {
		if a > b {
			a, b = b, a
		}
		return [2]int32{a, b}
	}
	pos := map[[2]int32]int{}
	for i := 0; i < m.NumFacets(); i++ {
		f := bf[i*dim : (i+1)*dim]
		if dim == 1 {
			pos[[2]int32{f[0], f[0]}] = i
		} else {
			pos[key(f[0], f[1])] = i
		}
	}
	for _, e := range p.elems {
		isFacet := (dim == 2 && (e.typ == 1 || e.typ == 8)) || (dim == 1 && e.typ == 15)
		if !isFacet {
			continue
		}
		var ids [2]int32
		ok := true
		for k := 0; k < dim; k++ {
			old, err := lookup(e, e.nodes[k])
			if err != nil {
				return nil, err
			}
			ids[k], ok = newIdx[old]
			if !ok {
				break
			}
		}
		if !ok {
			continue
		}
		k := [2]int32{ids[0], ids[0]}
		if dim == 2 {
			k = key(ids[0], ids[1])
		}
		if i, on := pos[k]; on {
			m.FacetTags[i] = e.tag
		}
	}
	if err := m.Check(); err != nil {
		return nil, fmt.Errorf("mesh: %s: %w", p.name, err)
	}
	return m, nil
}

func (p *gmshParser) nodeID(idx int32) int64 {
	for id, i := range p.nodeIdx {
		if i == idx {
			return id
		}
	}
	return -1
}
