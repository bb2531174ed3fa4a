package eval

import (
	"bufio"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/ergml/erg/graphgen"
)

func plantedSBM(sizes []int, pin, pout float64, r *rand.Rand) *graphgen.Graph {
	var block []int
	for k, s := range sizes {
		for range s {
			block = append(block, k)
		}
	}
	b := graphgen.NewBuilder(len(block))
	for i := range block {
		for j := i + 1; j < len(block); j++ {
			p := pout
			if block[i] == block[j] {
				p = pin
			}
			if r.Float64() < p {
				b.Add(i, j)
			}
		}
	}
	return b.Graph()
}

// FitBlocks recovers the planted block count of SPECTRE-like SBMs, and the
// strict test accepts most of them and rejects E-R graphs of equal density.
func TestSBMValidity(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	okK, valid, erValid := 0, 0, 0
	const trials = 20
	for range trials {
		k := 2 + r.IntN(4)
		sizes := make([]int, k)
		n := 0
		for i := range sizes {
			sizes[i] = 20 + r.IntN(21)
			n += sizes[i]
		}
		g := plantedSBM(sizes, 0.3, 0.005, r)
		if FitBlocks(g, 6, 1).K == k {
			okK++
		}
		if IsSBM(g, 0.3, 0.005) {
			valid++
		}
		p := 2 * float64(g.M()) / float64(n*(n-1))
		if IsSBM(plantedSBM([]int{n}, p, p, r), 0.3, 0.005) {
			erValid++
		}
	}
	t.Logf("block count recovered %d/%d, valid %d/%d, E-R valid %d/%d", okK, trials, valid, trials, erValid, trials)
	if okK < trials*9/10 || valid < trials*7/10 || erValid > 0 {
		t.Fatalf("block count recovered %d/%d, valid %d/%d, E-R valid %d/%d", okK, trials, valid, trials, erValid, trials)
	}
}

// TestSBMAgreesWithGraphTool: our strict SBM verdict agrees with SPECTRE's
// is_sbm_graph on graph-tool's minimize_blockmodel_dl (10 merge-split
// refinement sweeps; scripts/graph/sbm_graphtool.py) on 60 graphs: 20 sbm
// data-set graphs, 20 E-R and 20 SBM-baseline samples fitted to them. Issue
// 19 asks for ≥ 95%; we measure 52/60 (86.7%): the 8 disagreements are
// borderline mean p-values (0.74–0.90 ours) and partitions where graph-tool's
// degree-corrected fit chose another block count. This test guards the
// measured figure (≥ 85%), not the target, which is reported as missed.
func TestSBMAgreesWithGraphTool(t *testing.T) {
	f, err := os.Open("testdata/sbm_graphtool.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, agree, gtValid := 0, 0, 0
	for sc.Scan() {
		s, v, _ := strings.Cut(sc.Text(), " ")
		g, err := graphgen.ParseGraph6([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		n++
		if v == "1" {
			gtValid++
		}
		if IsSBM(g, 0.3, 0.005) == (v == "1") {
			agree++
		} else {
			t.Logf("graph %d: graph-tool verdict %s, ours differs", n, v)
		}
	}
	t.Logf("agreement %d/%d (graph-tool valid %d)", agree, n, gtValid)
	if n != 60 || float64(agree) < 0.85*float64(n) {
		t.Fatalf("agreement %d/%d with graph-tool", agree, n)
	}
}
