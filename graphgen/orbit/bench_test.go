package orbit

import (
	"os"
	"testing"

	"github.com/ergml/erg/graphgen/gt"
)

func benchNet(b *testing.B, name string) {
	if _, err := os.Stat(gt.CollectionDir); err != nil {
		b.Skip("graph-tool collection absent: apt-get install python3-graph-tool")
	}
	f, err := gt.Collection(name)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		Count(f.Graph)
	}
}

func BenchmarkNetscience(b *testing.B) { benchNet(b, "netscience") }
func BenchmarkPower(b *testing.B)      { benchNet(b, "power") }
func BenchmarkHepTh(b *testing.B)      { benchNet(b, "hep-th") }
