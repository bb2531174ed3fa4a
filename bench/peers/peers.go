// Package peers holds the peer programs of the `erg bench` suites, embedded in the
// erg binary so that an installed erg runs them from any directory:
//
//	core.py   PyTorch: MLP and FCN training steps (bench/core)
//	tsc.py    PyTorch: dl-4-tsc FCN and ResNet epochs (bench/tscbench)
//	ebm.py    PyTorch: energy-discrepancy and contrastive-divergence steps (bench/ebmbench)
//	fem.py    FEniCS/DOLFINx: P1 Poisson assemble+solve (bench/fembench)
//	vision.py PyTorch: LeNet-5 and ResNet-8 training steps and inference (bench/visionbench)
//	modes.R   R: Silverman's test, the dip, a binned KDE (modes/modesbench)
//	hep.py    PyTorch: the jet EBM's contrastive-divergence step (bench/hepbench; FastJet is a C++ peer there)
//	graph.py  networkx + pyemd: GraphRNN's degree/clustering/orbit/spectral MMDs (bench/graphbench)
//
// and the modules they share: ergpeer.py (BLAS set-up, blas_info, fastest) and
// visionzoo.py (PyTorch twins of package vision's models, also used by
// scripts/vision/train_torch.py). RunPeer unpacks them all into one directory,
// so a script imports them as it does when run by hand from bench/peers.
//
// Package bench runs them (bench.RunPeer: *.py with Debian's /usr/bin/python3, *.R
// with Rscript). Each prints, as its last output line, one JSON object
// {"peer": "name version", "ms": {"workload": milliseconds, ...}, ...}; its other
// keys reach the report as peer_info. Run one by hand from this directory, e.g.
// `/usr/bin/python3 bench/peers/core.py --only mlp`.
package peers

import (
	"embed"
	"io/fs"
)

// FS holds the peer scripts, at its root.
//
//go:embed *.py *.R
var FS embed.FS

// Script returns the text of the named peer script ("core.py", "modes.R", ...), or
// nil if there is none.
func Script(name string) []byte {
	b, err := FS.ReadFile(name)
	if err != nil {
		return nil
	}
	return b
}

// Names lists the embedded scripts.
func Names() []string {
	names, _ := fs.Glob(FS, "*")
	return names
}
