package mesh

import (
	"bytes"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// The layout of DOLFINx 0.5.2 create_unit_square(comm, 2, 2, diagonal=right)
// before reordering, read from mesh.geometry.input_global_indices and
// mesh.topology.original_cell_index: cells {0,1,4}, {0,3,4}, {1,2,5}, ...
func TestUnitSquareLayout(t *testing.T) {
	m := UnitSquare(2)
	wantX := []float64{0, 0, 0.5, 0, 1, 0, 0, 0.5, 0.5, 0.5, 1, 0.5, 0, 1, 0.5, 1, 1, 1}
	if !slices.Equal(m.X, wantX) {
		t.Errorf("nodes %v, want %v", m.X, wantX)
	}
	wantCells := []int32{0, 1, 4, 0, 3, 4, 1, 2, 5, 1, 4, 5, 3, 4, 7, 3, 6, 7, 4, 5, 8, 4, 7, 8}
	if !slices.Equal(m.Cells, wantCells) {
		t.Errorf("cells %v, want %v", m.Cells, wantCells)
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
	// total area and boundary length
	area := 0.0
	for c := 0; c < m.NumCells(); c++ {
		area += math.Abs(m.CellMeasure(c))
	}
	if math.Abs(area-1) > 1e-15 {
		t.Errorf("area %g, want 1", area)
	}
	if got := len(m.BoundaryFacets()) / 2; got != 8 || m.NumFacets() != 8 {
		t.Errorf("%d computed and %d listed boundary edges, want 8", got, m.NumFacets())
	}
	if got := len(m.FacetsWithTag(Top)) / 2; got != 2 {
		t.Errorf("%d top edges, want 2", got)
	}
}

func TestEdges(t *testing.T) {
	for _, n := range []int{1, 3, 8} {
		m := Rectangle(0, 0, 2, 1, n, n+1, DiagonalLeft)
		edges, ce := m.Edges()
		// Euler: V − E + F = 1 for a disc
		if v, f := m.NumNodes(), m.NumCells(); v-len(edges)+f != 1 {
			t.Errorf("n=%d: V−E+F = %d, want 1", n, v-len(edges)+f)
		}
		for c := 0; c < m.NumCells(); c++ {
			v := m.Cell(c)
			for k := 0; k < 3; k++ {
				e := edges[ce[3*c+k]]
				a, b := v[(k+1)%3], v[(k+2)%3]
				if min(a, b) != e.A || max(a, b) != e.B {
					t.Fatalf("cell %d local edge %d = %v, want (%d,%d)", c, k, e, a, b)
				}
			}
		}
	}
}

func TestInterval(t *testing.T) {
	m := Interval(4, -1, 1)
	if !slices.Equal(m.X, []float64{-1, -0.5, 0, 0.5, 1}) || !slices.Equal(m.Facets, []int32{0, 4}) {
		t.Errorf("Interval(4,-1,1) = %v facets %v", m.X, m.Facets)
	}
}

// hole_v2.msh and hole_v4.msh are the same Gmsh 4.8 mesh (made by
// scripts/fem/golden.py into fem/testdata) in the two formats.
func TestGmshVersionsAgree(t *testing.T) {
	m2, err := ReadGmshFile("../testdata/hole_v2.msh")
	if err != nil {
		t.Fatal(err)
	}
	m4, err := ReadGmshFile("../testdata/hole_v4.msh")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m2.X, m4.X) || !slices.Equal(m2.Cells, m4.Cells) || !slices.Equal(m2.FacetTags, m4.FacetTags) {
		t.Errorf("v2 and v4 readings differ")
	}
	if m4.NumNodes() != 273 {
		t.Errorf("%d nodes, want 273 (Gmsh's count)", m4.NumNodes())
	}
	area := 0.0
	for c := 0; c < m4.NumCells(); c++ {
		area += math.Abs(m4.CellMeasure(c))
	}
	// The hole is an inscribed polygon with edges of at most h = 0.1, so its area lies
	// between that of the inscribed regular 13-gon (edge 2r·sin(π/13) ≈ 0.096) and πr².
	r := 0.2
	lo, hi := 2-math.Pi*r*r, 2-6.5*r*r*math.Sin(2*math.Pi/13)
	if area < lo || area > hi+1e-12 {
		t.Errorf("area %g, want in [%g, %g]", area, lo, hi)
	}
	var outer, hole, untagged int
	for _, tag := range m4.FacetTags {
		switch tag {
		case 1:
			outer++
		case 2:
			hole++
		default:
			untagged++
		}
	}
	if outer == 0 || hole == 0 || untagged != 0 {
		t.Errorf("facet tags: %d outer, %d hole, %d untagged", outer, hole, untagged)
	}
}

const goodV2 = `$MeshFormat
2.2 0 8
$EndMeshFormat
$Nodes
5
1 0 0 0
2 1 0 0
3 1 1 0
4 0 1 0
5 0.5 0.5 0
$EndNodes
$Elements
9
1 15 2 9 1 1
2 1 2 7 1 1 2
3 1 2 8 2 2 3
4 2 2 1 1 1 2 5
5 2 2 1 1 2 3 5
6 2 2 1 1 3 4 5
7 2 2 1 1 4 1 5
8 1 2 7 3 3 4
9 1 2 7 4 4 1
$EndElements
`

func TestGmshSmall(t *testing.T) {
	m, err := ReadGmsh(strings.NewReader(goodV2), "square.msh")
	if err != nil {
		t.Fatal(err)
	}
	if m.NumNodes() != 5 || m.NumCells() != 4 || m.NumFacets() != 4 {
		t.Fatalf("got %d nodes, %d cells, %d facets", m.NumNodes(), m.NumCells(), m.NumFacets())
	}
	tags := slices.Clone(m.FacetTags)
	slices.Sort(tags)
	if !slices.Equal(tags, []int32{7, 7, 7, 8}) {
		t.Errorf("facet tags %v, want three 7 and one 8", tags)
	}
}

func TestGmshErrors(t *testing.T) {
	cases := []struct {
		name, file, want string
	}{
		{"empty", "", "no $MeshFormat"},
		{"binary", "$MeshFormat\n2.2 1 8\n$EndMeshFormat\n", "binary"},
		{"v3", "$MeshFormat\n3.0 0 8\n$EndMeshFormat\n", "unknown version"},
		{"v40", "$MeshFormat\n4 0 8\n$EndMeshFormat\n", "save as version 4.1"},
		{"bad node", strings.Replace(goodV2, "2 1 0 0", "2 1 zero 0", 1), `bad.msh:7: $Nodes: node 2: coordinate 2: "zero"`},
		{"short count", strings.Replace(goodV2, "$Nodes\n5", "$Nodes\n4", 1), "bad.msh:10: expected $EndNodes"},
		{"undefined node", strings.Replace(goodV2, "4 1 5\n", "4 1 99\n", 1), "bad.msh:20: element refers to undefined node 99"},
		{"truncated", goodV2[:strings.Index(goodV2, "$EndElements")], "unexpected end of file in $Elements"},
		{"no elements", goodV2[:strings.Index(goodV2, "$Elements")], "no $Elements"},
		{"3-D node", strings.Replace(goodV2, "5 0.5 0.5 0", "5 0.5 0.5 1", 1), "coordinate z = 1"},
		{"dup node", strings.Replace(goodV2, "2 1 0 0", "1 1 0 0", 1), "node 1 defined twice"},
		{"garbage", "hello\n", `expected a section header`},
		{"flat triangle", strings.Replace(goodV2, "5 0.5 0.5 0", "5 0.5 0 0", 1), "degenerate"},
	}
	for _, c := range cases {
		_, err := ReadGmsh(strings.NewReader(c.file), "bad.msh")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func FuzzReadGmsh(f *testing.F) {
	f.Add([]byte(goodV2))
	for _, p := range []string{"../testdata/hole_v4.msh"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadGmsh(bytes.NewReader(b), "fuzz.msh")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "mesh: fuzz.msh") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := m.Check(); err != nil {
			t.Fatalf("ReadGmsh returned an invalid mesh: %v", err)
		}
	})
}
