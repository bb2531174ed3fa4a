package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ergml/erg/ff/mol"
)

func TestLoadBadLabels(t *testing.T) {
	ms, err := mol.ReadSDFFile("../mol/testdata/water.sdf")
	if err != nil {
		t.Fatal(err)
	}
	m := ms[0]
	m.Props = map[string]string{"xtb_energy_hartree": "-5.07", "xtb_gradient_hartree_bohr": "0 0 0 0 0 0 0 0 nan",
		"xtb_charges_e": "-0.5 0.25 0.25", "mmff94_energy_kcal_mol": "0", "mmff94_gradient_kcal_mol_angstrom": "0 0 0 0 0 0 0 0 0"}
	dir := t.TempDir()
	p := filepath.Join(dir, "w.sdf")
	f, _ := os.Create(p)
	keys := []string{"xtb_energy_hartree", "xtb_gradient_hartree_bohr", "xtb_charges_e", "mmff94_energy_kcal_mol", "mmff94_gradient_kcal_mol_angstrom"}
	if err := mol.WriteSDF(f, m, keys); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = LoadFile(p)
	if err == nil || !strings.Contains(err.Error(), "w.sdf:1") || !strings.Contains(err.Error(), "xtb_gradient_hartree_bohr") || !strings.Contains(err.Error(), "not a finite number") {
		t.Errorf("NaN label: error %v", err)
	}
	m.Props["xtb_gradient_hartree_bohr"] = "0 0 0 0 0 0 0 0 0"
	f, _ = os.Create(p)
	mol.WriteSDF(f, m, keys)
	m2 := *m
	m2.Elements = []mol.Element{mol.H, mol.O, mol.H}
	m2.Coords = [][3]float64{m.Coords[1], m.Coords[0], m.Coords[2]}
	m2.Bonds = [][2]int{{0, 1}, {1, 2}}
	mol.WriteSDF(f, &m2, keys)
	f.Close()
	_, err = LoadFile(p)
	if err == nil || !strings.Contains(err.Error(), "atom order differs") {
		t.Errorf("atom order: error %v", err)
	}
}
