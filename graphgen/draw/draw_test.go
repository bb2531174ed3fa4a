package draw

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ergml/erg/graphgen"
)

// The spring layout places a path's neighbours closer than its ends.
func TestLayoutPath(t *testing.T) {
	b := graphgen.NewBuilder(6)
	for i := 0; i < 5; i++ {
		b.Add(i, i+1)
	}
	pos := Layout(b.Graph(), 200, 1)
	d := func(i, j int) float64 { return math.Hypot(pos[i][0]-pos[j][0], pos[i][1]-pos[j][1]) }
	if !(d(0, 1) < d(0, 5)) {
		t.Fatalf("neighbour distance %v, end-to-end %v", d(0, 1), d(0, 5))
	}
}

func ExampleSaveSets() {
	b := graphgen.NewBuilder(4)
	b.Add(0, 1)
	b.Add(1, 2)
	b.Add(2, 3)
	g := b.Graph()
	dir, _ := os.MkdirTemp("", "draw")
	defer os.RemoveAll(dir)
	err := SaveSets(filepath.Join(dir, "sets.png"), []*graphgen.Graph{g}, []*graphgen.Graph{g}, 1, 1)
	_, statErr := os.Stat(filepath.Join(dir, "sets.png"))
	fmt.Println(err == nil && statErr == nil)
	// Output: true
}
