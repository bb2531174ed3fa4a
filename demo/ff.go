package demo

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ergml/erg/ff"
	"github.com/ergml/erg/ff/mm"
	"github.com/ergml/erg/ff/mol"
)

func init() {
	Register(Step{Name: "ff", Title: "Learned MM force field: methane and ethanol through the readers, topology, the (untrained, seeded) espaloma-style network and the OpenMM XML writer", Run: ffStep})
}

// ffMolecules are methane as an SD record and ethanol as XYZ (bonds perceived),
// RDKit ETKDG + MMFF94 geometries (scripts/ff/make_testdata.py, seed 7).
var ffMolecules = map[string]string{
	"methane.sdf": `methane
     RDKit          3D

  5  4  0  0  0  0  0  0  0  0999 V2000
   -0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
    0.5205    0.1509    0.9507 H   0  0  0  0  0  0  0  0  0  0  0  0
    0.4996   -0.7262   -0.6496 H   0  0  0  0  0  0  0  0  0  0  0  0
   -0.0616    0.9484   -0.5424 H   0  0  0  0  0  0  0  0  0  0  0  0
   -0.9585   -0.3731    0.2413 H   0  0  0  0  0  0  0  0  0  0  0  0
  1  2  1  0
  1  3  1  0
  1  4  1  0
  1  5  1  0
M  END
$$$$
`,
	"ethanol.xyz": `9
ethanol
C     -0.862797    0.220560    0.204520
C      0.405579   -0.373091   -0.372390
O      1.527856    0.401897    0.023581
H     -1.739010   -0.355849   -0.105116
H     -0.986926    1.257633   -0.124085
H     -0.820053    0.236223    1.298543
H      0.549725   -1.401547   -0.027732
H      0.363143   -0.378270   -1.465420
H      1.562482    0.392445    0.995339
`,
}

// ffStep parametrises the two molecules with a seeded, untrained network (the
// trained force field comes from erg ff data + erg ff train, tens of minutes),
// writes their OpenMM System XML and evaluates it back from the file.
func ffStep(ctx context.Context, dir string, opt Options) (Result, error) {
	m, err := ff.NewUntrained(ff.DefaultArch, opt.Seed+1)
	if err != nil {
		return Result{}, err
	}
	nums := map[string]any{}
	var lines []string
	for _, name := range []string{"methane.sdf", "ethanol.xyz"} {
		var ms []*mol.Molecule
		if strings.HasSuffix(name, ".sdf") {
			ms, err = mol.ReadSDF(strings.NewReader(ffMolecules[name]), name)
		} else {
			ms, err = mol.ReadXYZ(strings.NewReader(ffMolecules[name]), name)
		}
		if err != nil {
			return Result{}, err
		}
		mo := ms[0]
		sys, _, err := m.Parametrize(mo)
		if err != nil {
			return Result{}, err
		}
		xml := filepath.Join(dir, strings.TrimSuffix(name, filepath.Ext(name))+".xml")
		if err := sys.WriteXMLFile(xml); err != nil {
			return Result{}, err
		}
		back, err := mm.ReadXMLFile(xml)
		if err != nil {
			return Result{}, err
		}
		x := make([][3]float64, len(mo.Coords))
		for i, c := range mo.Coords {
			x[i] = [3]float64{c[0] * mm.NmPerAngstrom, c[1] * mm.NmPerAngstrom, c[2] * mm.NmPerAngstrom}
		}
		res := back.Energy(x)
		key := strings.TrimSuffix(name, filepath.Ext(name))
		nums[key] = map[string]any{"atoms": mo.NumAtoms(), "bonds": len(sys.Bonds), "angles": len(sys.Angles), "torsion_terms": len(sys.Propers),
			"improper_terms": len(sys.Impropers), "total_kj_mol": res.Total, "groups": res.Groups, "xml": xml}
		lines = append(lines, fmt.Sprintf("%s %d atoms, %d bonds, %d angles, %d torsion terms: %.2f kJ/mol", key, mo.NumAtoms(), len(sys.Bonds), len(sys.Angles), len(sys.Propers), res.Total))
	}
	return Result{Headline: "untrained network's OpenMM systems: " + strings.Join(lines, "; "), Numbers: nums}, nil
}
