package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/ff"
	"github.com/ergml/erg/ff/data"
	"github.com/ergml/erg/ff/mm"
	"github.com/ergml/erg/ff/mol"
	"github.com/ergml/erg/run"
)

// newFFCmd returns the ff command group.
func newFFCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "ff",
		Short: "learned MM force field (espaloma-style) on GFN2-xTB data, exported to OpenMM",
		Long: `A graph network assigns class-I MM parameters (bonds, angles, torsions, impropers, charges) from the
molecular graph (espaloma 0.3), trained on GFN2-xTB energies and forces and exported as an OpenMM
System XML. Data: erg ff data (RDKit + xtb). Evaluation against xtb, with MMFF94 as the baseline.`,
		Example: "  erg ff data --out /work/ffdata/m600\n  erg ff train --data /work/ffdata/m600 --preset quick\n  erg ff eval --run ff --data /work/ffdata/m600\n  erg ff bestfit --data /work/ffdata/m600 --split test --bond quartic\n  erg ff param --run ff --in mol.sdf --out system.xml\n  erg ff energy --xml system.xml --coords conf.xyz",
	}
	c.AddCommand(ffDataCmd(), ffTrainCmd(), ffEvalCmd(), ffBestFitCmd(), ffParamCmd(), ffEnergyCmd())
	return c
}

func ffDataCmd() *cobra.Command {
	var cfg data.Config
	cmd := &cobra.Command{
		Use:   "data --out DIR",
		Short: "make the GFN2-xTB training data: ETKDG conformers, MMFF94 relaxation, xtb and MMFF94 labels",
		Long: `Filters --smiles (neutral, closed-shell, one-fragment C/H/N/O/F/S/Cl molecules with --min-heavy to
--max-heavy heavy atoms, unique canonical SMILES; the others go to DIR/rejected.csv with the reason),
picks --molecules of them (seeded), splits them 80/10/10 by molecule, and writes per molecule
DIR/{train,val,test}/<id>.sdf: --confs/4 seeded ETKDG conformers relaxed with MMFF94, each with 3
copies displaced by N(0, 0.1 Å), labelled with xtb --gfn 2 --grad (energy, gradient, charges) and the
MMFF94 energy and gradient (SDF properties with units in their names), plus DIR/summary.json.
Resumable per molecule. Needs /usr/bin/python3 with RDKit (python3-rdkit, rdkit-data) and xtb.`,
		Example: "  erg ff data --out /work/ffdata/m600\n  erg ff data --out /tmp/ff13 --molecules 60 --min-heavy 13 --max-heavy 15 --seed 7",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Out == "" {
				return flagError("out", "required")
			}
			if err := positive(cmd.Flags(), "molecules", "confs", "workers", "min-heavy", "max-heavy"); err != nil {
				return err
			}
			if cfg.MinHeavy > cfg.MaxHeavy {
				return flagError("min-heavy", "%d is above --max-heavy %d", cfg.MinHeavy, cfg.MaxHeavy)
			}
			if cfg.Confs%4 != 0 {
				return flagError("confs", "%d: must be a multiple of 4 (each conformer and 3 displaced copies)", cfg.Confs)
			}
			if !jsonOutput(cmd) {
				cfg.Log = cmd.ErrOrStderr()
			}
			ctx, stop := signalContext()
			defer stop()
			sum, err := data.Generate(ctx, cfg)
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), sum)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d molecules in %s (train %d, val %d, test %d); %d passed the filter, %d rejected (rejected.csv); %d failed; %.0f s\n",
				sum.Molecules, cfg.Out, sum.Splits["train"], sum.Splits["val"], sum.Splits["test"], sum.AcceptedByFilter, sum.RejectedByFilter, len(sum.Failed), sum.Seconds)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Smiles, "smiles", data.DefaultSmiles, "SMILES file (one 'SMILES name' a line)")
	f.StringVar(&cfg.Out, "out", "", "output directory (required)")
	f.IntVar(&cfg.Molecules, "molecules", 600, "molecules to label")
	f.IntVar(&cfg.Confs, "confs", 32, "geometries per molecule (4 per ETKDG conformer)")
	f.IntVar(&cfg.Seed, "seed", 2666, "seed of the selection, split, conformers and displacements")
	f.IntVar(&cfg.Workers, "workers", 2, "parallel RDKit+xtb workers")
	f.IntVar(&cfg.MinHeavy, "min-heavy", 4, "fewest heavy atoms")
	f.IntVar(&cfg.MaxHeavy, "max-heavy", 12, "most heavy atoms")
	return cmd
}

// defaultBond is the --bond default of erg ff train and erg ff bestfit (see
// docs/results-ff.md: it lowers the per-molecule least-squares floor).
const defaultBond = string(ff.BondQuartic)

func ffTrainCmd() *cobra.Command {
	var (
		cfg  ff.TrainConfig
		rf   runFlags
		bond string
	)
	cmd := &cobra.Command{
		Use:   "train --data DIR",
		Short: "train the parameter network on DIR/train in a metered, resumable run and score it on DIR/val",
		Long: `Trains the espaloma 0.3-style network (GraphSAGE on connectivity features, Janossy heads for bonds,
angles, torsions and trefoil impropers, charge equilibration) on GFN2-xTB energies and forces minus the
fixed nonbonded terms, with espaloma's loss (centred energies, forces, charges, torsion k²), Adam and a
cosine schedule, in --root/<time>-ff (or --name). --preset quick is 600 steps, default 3000.
--bond quartic (the default) adds cubic and quartic stretch terms to espaloma's harmonic bond
(MMFF94's stretch polynomial with free coefficients, exported as an OpenMM CustomBondForce);
--bond harmonic is espaloma's form and that of runs made before the flag existed.
A killed run continues with --resume.`,
		Example: "  erg ff train --data /work/ffdata/m600 --preset quick --name ffq\n  erg ff train --resume ffq",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt := rf.options(cmd)
			if rf.resume != "" {
				if err := rf.checkResume(cmd); err != nil {
					return err
				}
				cfg = ff.TrainConfig{}
			} else {
				if err := positive(cmd.Flags(), "steps", "batch", "confs"); err != nil {
					return err
				}
				cfg.Bond = ff.BondForm(bond)
				if err := cfg.Bond.Validate(); err != nil || bond == "" {
					return flagError("bond", "%q: want %s or %s", bond, ff.BondHarmonic, ff.BondQuartic)
				}
				cfg.Command = commandLine()
				cfg.Backend = backend.Name(backendFlag(cmd))
			}
			ctx, stop := signalContext()
			defer stop()
			out, err := ff.Train(ctx, cfg, opt)
			if err != nil && out != nil && errors.Is(err, context.Canceled) {
				return fmt.Errorf("%w; continue the run with: erg ff train --resume %s", err, out.Dir)
			}
			if err != nil {
				return invalidConfig(err)
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%d steps on %d molecules, final loss %.4g, %.1f s (%.0f ms/step), %d parameters\n", out.Steps, out.Molecules, out.TrainLoss, out.Seconds, out.StepMillis, out.Params)
			if v := out.Val; v != nil {
				printScores(cmd, "val", v)
			}
			fmt.Fprintf(w, "run directory %s (report %s)\n", out.Dir, filepath.Base(out.Report))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Data, "data", "", "directory made by erg ff data (required)")
	f.StringVar(&cfg.Preset, "preset", "default", "default (3000 steps) or quick (600 steps)")
	f.IntVar(&cfg.Steps, "steps", 0, "optimizer steps (0: the preset's)")
	f.IntVar(&cfg.Batch, "batch", 8, "molecules per step")
	f.IntVar(&cfg.Confs, "confs", 32, "conformers per molecule per step")
	f.Float64Var(&cfg.LR, "lr", 1e-3, "Adam learning rate (cosine schedule to lr/20)")
	f.Uint64Var(&cfg.Seed, "seed", 2666, "seed of initialisation, batches and dropout")
	f.IntVar(&cfg.CheckpointEvery, "checkpoint-every", 100, "steps between checkpoints")
	f.StringVar(&bond, "bond", defaultBond, "bond term: quartic (harmonic + cubic + quartic stretch, CustomBondForce) or harmonic (espaloma's, HarmonicBondForce)")
	rf.register(f, "ff")
	return cmd
}

func printScores(cmd *cobra.Command, split string, v *ff.Evaluation) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s: %d molecules, %d conformers (per-molecule RMSE vs GFN2-xTB, mean and 95%% bootstrap CI)\n", split, v.Molecules, v.Confs)
	fmt.Fprintf(w, "  erg    energy %.3f [%.3f, %.3f] kcal/mol   force %.3f [%.3f, %.3f] kcal/mol/Å\n", v.Erg.EnergyRMSE, v.Erg.EnergyCI[0], v.Erg.EnergyCI[1], v.Erg.ForceRMSE, v.Erg.ForceCI[0], v.Erg.ForceCI[1])
	fmt.Fprintf(w, "  MMFF94 energy %.3f [%.3f, %.3f] kcal/mol   force %.3f [%.3f, %.3f] kcal/mol/Å\n", v.MMFF94.EnergyRMSE, v.MMFF94.EnergyCI[0], v.MMFF94.EnergyCI[1], v.MMFF94.ForceRMSE, v.MMFF94.ForceCI[0], v.MMFF94.ForceCI[1])
	fmt.Fprintf(w, "  MMFF-relaxed geometries only: erg energy %.3f, force %.3f; MMFF94 energy %.3f, force %.3f\n", v.ErgMinima.EnergyRMSE, v.ErgMinima.ForceRMSE, v.MMFF94Minima.EnergyRMSE, v.MMFF94Minima.ForceRMSE)
}

func ffEvalCmd() *cobra.Command {
	var root, runRef, dir, split string
	var seed uint64
	var floor bool
	var parity string
	cmd := &cobra.Command{
		Use:   "eval --run RUN --data DIR",
		Short: "score a trained network's exported force field and MMFF94 against GFN2-xTB on a split",
		Long: `Parametrises every molecule of DIR/<split> with the network of RUN, evaluates the resulting MM
system (float64, the OpenMM functional forms) on each conformer and reports the mean over molecules of the
per-molecule RMSE of centred energies (kcal/mol) and of forces (kcal/mol/Å) with 95% bootstrap CIs, for
erg and for MMFF94 on the same geometries.`,
		Example: "  erg ff eval --run ffq --data /work/ffdata/m600 --split test --json\n  erg ff eval --run ffq --data /work/ffdata/m600 --parity parity.png",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runRef == "" {
				return flagError("run", "required")
			}
			if dir == "" {
				return flagError("data", "required")
			}
			switch split {
			case "train", "val", "test", "all":
			default:
				return flagError("split", "%q: want train, val, test or all", split)
			}
			rd, err := run.Resolve(root, runRef)
			if err != nil {
				return flagError("run", "%v", err)
			}
			m, err := ff.Load(rd)
			if err != nil {
				return err
			}
			ps, err := ff.PrepareSplit(dir, split)
			if err != nil {
				return usageError{msg: err.Error(), field: "data"}
			}
			ev, err := m.Evaluate(ps, seed)
			if err != nil {
				return err
			}
			if parity != "" {
				if err := ff.PlotParity(parity, ev.Parity); err != nil {
					return err
				}
			}
			var fl map[string]float64
			if floor {
				var se, sf float64
				for _, p := range ps {
					e, f := ff.BestFit(p, m.Info.Bond, m.Info.Weights.Force)
					se, sf = se+e, sf+f
				}
				fl = map[string]float64{"energy_rmse": se / float64(len(ps)), "force_rmse": sf / float64(len(ps))}
			}
			if jsonOutput(cmd) {
				ev.PerMolecule = nil
				if fl != nil {
					return writeJSON(cmd.OutOrStdout(), map[string]any{"erg": ev.Erg, "mmff94": ev.MMFF94, "erg_minima": ev.ErgMinima, "mmff94_minima": ev.MMFF94Minima, "n_molecules": ev.Molecules, "n_conformers": ev.Confs, "per_molecule_least_squares_floor": fl})
				}
				return writeJSON(cmd.OutOrStdout(), ev)
			}
			printScores(cmd, split, ev)
			if fl != nil {
				fmt.Fprintf(cmd.OutOrStdout(), "  floor  energy %.3f kcal/mol   force %.3f kcal/mol/Å (per-molecule least-squares fit of this functional form)\n", fl["energy_rmse"], fl["force_rmse"])
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "root", run.DefaultRoot, "directory of run directories")
	f.StringVar(&runRef, "run", "", "run directory of erg ff train (or a unique part of its name)")
	f.StringVar(&dir, "data", "", "directory made by erg ff data")
	f.StringVar(&split, "split", "test", "train, val, test or all")
	f.Uint64Var(&seed, "seed", 2666, "seed of the bootstrap")
	f.StringVar(&parity, "parity", "", "write energy and force parity plots (erg and MMFF94 vs GFN2-xTB) to this PNG or SVG")
	f.BoolVar(&floor, "floor", false, "also fit each molecule's own valence coefficients by least squares (the functional form's floor; slow)")
	return cmd
}

func ffBestFitCmd() *cobra.Command {
	var dir, split, bond string
	var seed uint64
	var weight float64
	cmd := &cobra.Command{
		Use:   "bestfit --data DIR [--bond quartic|harmonic]",
		Short: "the functional form's floor: each molecule's own valence coefficients by least squares, beside MMFF94",
		Long: `Fits every molecule of DIR/<split> with its own valence coefficients (no network, no sharing between
molecules) by linear least squares to its GFN2-xTB energies and forces minus the fixed nonbonded terms,
with the training loss's force weight. The mean over molecules of the per-molecule RMSEs is the lowest
error any parameter assignment in the --bond form can reach (coefficients unconstrained, so a lower
bound); MMFF94's RMSEs on the same geometries are printed beside it. The issue's force target is a
force RMSE ≤ 0.7× MMFF94's.`,
		Example: "  erg ff bestfit --data /tmp/ffdata/m100 --split all --bond harmonic --json\n  erg ff bestfit --data /tmp/ffdata/m100 --split all --bond quartic",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return flagError("data", "required")
			}
			switch split {
			case "train", "val", "test", "all":
			default:
				return flagError("split", "%q: want train, val, test or all", split)
			}
			b := ff.BondForm(bond)
			if err := b.Validate(); err != nil || bond == "" {
				return flagError("bond", "%q: want %s or %s", bond, ff.BondHarmonic, ff.BondQuartic)
			}
			if !(weight > 0) || math.IsInf(weight, 0) {
				return flagError("force-weight", "%v: must be a positive number", weight)
			}
			ps, err := ff.PrepareSplit(dir, split)
			if err != nil {
				return usageError{msg: err.Error(), field: "data"}
			}
			if len(ps) == 0 {
				return flagError("data", "%s/%s: no labelled molecules", dir, split)
			}
			res, err := ff.FitFloor(ps, b, weight, seed)
			if err != nil {
				return err
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: %d molecules, %d conformers (per-molecule RMSE vs GFN2-xTB, mean and 95%% bootstrap CI)\n", split, res.Molecules, res.Confs)
			fmt.Fprintf(w, "  floor (%s bonds) energy %.3f [%.3f, %.3f] kcal/mol   force %.3f [%.3f, %.3f] kcal/mol/Å\n", res.Bond,
				res.Floor.EnergyRMSE, res.Floor.EnergyCI[0], res.Floor.EnergyCI[1], res.Floor.ForceRMSE, res.Floor.ForceCI[0], res.Floor.ForceCI[1])
			fmt.Fprintf(w, "  MMFF94               energy %.3f [%.3f, %.3f] kcal/mol   force %.3f [%.3f, %.3f] kcal/mol/Å\n",
				res.MMFF94.EnergyRMSE, res.MMFF94.EnergyCI[0], res.MMFF94.EnergyCI[1], res.MMFF94.ForceRMSE, res.MMFF94.ForceCI[0], res.MMFF94.ForceCI[1])
			fmt.Fprintf(w, "  floor force / MMFF94 force = %.3f (target ≤ 0.7)\n", res.ForceRatio)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "data", "", "directory made by erg ff data (required)")
	f.StringVar(&split, "split", "all", "train, val, test or all")
	f.StringVar(&bond, "bond", defaultBond, "bond term: quartic or harmonic")
	f.Float64Var(&weight, "force-weight", ff.DefaultWeights.Force, "weight of the force rows against the energy rows (the training loss's)")
	f.Uint64Var(&seed, "seed", 2666, "seed of the bootstrap")
	return cmd
}

func readMolecule(path string) (*mol.Molecule, error) {
	var ms []*mol.Molecule
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".sdf", ".mol", ".sd":
		ms, err = mol.ReadSDFFile(path)
	case ".mol2":
		ms, err = mol.ReadMOL2File(path)
	case ".xyz":
		ms, err = mol.ReadXYZFile(path)
	default:
		return nil, usageError{msg: fmt.Sprintf("%s: unknown extension (want .sdf, .mol2 or .xyz)", path), field: "in"}
	}
	if err != nil {
		return nil, molError(err)
	}
	return ms[0], nil
}

func molError(err error) error {
	var me *mol.Error
	if errors.As(err, &me) {
		return usageError{msg: err.Error(), file: me.File, line: me.Line}
	}
	return err
}

func ffParamCmd() *cobra.Command {
	var root, runRef, in, out string
	cmd := &cobra.Command{
		Use:   "param --run RUN --in mol.sdf|mol.mol2|mol.xyz --out system.xml",
		Short: "parametrise a molecule with a trained network and write its OpenMM System XML",
		Long: `Reads the molecule (SDF V2000, MOL2, or XYZ with bonds perceived from covalent radii: features use
connectivity only, so all three give the same parameters), checks it (elements C/H/N/O/F/S/Cl, neutral,
closed shell, one fragment, no atoms closer than 0.5 Å, valence) and writes an OpenMM 7.7 System XML:
HarmonicBondForce, or for a run trained with --bond quartic the CustomBondForce QuarticBondForce
"0.5*k*(r-r0)^2+k3*(r-rc)^3+k4*(r-rc)^4" (group 0), HarmonicAngleForce (1), PeriodicTorsionForce propers (2) and impropers (3),
NonbondedForce NoCutoff with 1-2/1-3 exclusions and 1-4 scaled 0.5 (LJ) / 0.8333 (Coulomb) (4).`,
		Example: "  erg ff param --run ffq --in ethanol.sdf --out ethanol.xml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, f := range []struct{ n, v string }{{"run", runRef}, {"in", in}, {"out", out}} {
				if f.v == "" {
					return flagError(f.n, "required")
				}
			}
			rd, err := run.Resolve(root, runRef)
			if err != nil {
				return flagError("run", "%v", err)
			}
			m, err := ff.Load(rd)
			if err != nil {
				return err
			}
			mo, err := readMolecule(in)
			if err != nil {
				return err
			}
			sys, _, err := m.Parametrize(mo)
			if err != nil {
				return molError(err)
			}
			if err := sys.WriteXMLFile(out); err != nil {
				return err
			}
			res := sys.Energy(angstromToNm(mo.Coords))
			o := map[string]any{"xml": out, "atoms": mo.NumAtoms(), "bonds": len(sys.Bonds), "angles": len(sys.Angles),
				"torsions": len(sys.Propers), "impropers": len(sys.Impropers), "total_kj_mol": res.Total, "groups": res.Groups}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), o)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d atoms, %d bonds, %d angles, %d torsion terms, %d improper terms; energy of the input geometry %.4f kJ/mol\n",
				out, mo.NumAtoms(), len(sys.Bonds), len(sys.Angles), len(sys.Propers), len(sys.Impropers), res.Total)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "root", run.DefaultRoot, "directory of run directories")
	f.StringVar(&runRef, "run", "", "run directory of erg ff train (or a unique part of its name)")
	f.StringVar(&in, "in", "", "molecule: .sdf, .mol2 or .xyz")
	f.StringVar(&out, "out", "", "OpenMM System XML to write")
	return cmd
}

func angstromToNm(x [][3]float64) [][3]float64 {
	out := make([][3]float64, len(x))
	for i, v := range x {
		out[i] = [3]float64{v[0] * mm.NmPerAngstrom, v[1] * mm.NmPerAngstrom, v[2] * mm.NmPerAngstrom}
	}
	return out
}

// ffEnergyOut is erg ff energy's JSON.
type ffEnergyOut struct {
	Total  float64            `json:"total_kj_mol"`
	Groups map[string]float64 `json:"groups"`
	Forces [][3]float64       `json:"forces_kj_mol_nm"`
}

func ffEnergyCmd() *cobra.Command {
	var xml, coords string
	cmd := &cobra.Command{
		Use:   "energy --xml system.xml --coords conf.xyz",
		Short: "energy per force group and forces of an OpenMM System XML at a geometry (float64)",
		Long: `Evaluates an OpenMM System XML (HarmonicBondForce or the CustomBondForce erg ff param writes,
HarmonicAngleForce, PeriodicTorsionForce, NonbondedForce with NoCutoff) at the geometry of --coords (XYZ or SDF, Å; the atom count must match)
in float64: total and per-force-group energies in kJ/mol and forces in kJ/mol/nm, as OpenMM's
Reference platform computes them.`,
		Example: "  erg ff energy --xml ethanol.xml --coords ethanol.xyz --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if xml == "" {
				return flagError("xml", "required")
			}
			if coords == "" {
				return flagError("coords", "required")
			}
			sys, err := mm.ReadXMLFile(xml)
			if err != nil {
				return usageError{msg: err.Error(), field: "xml", file: xml}
			}
			mo, err := readMolecule(coords)
			if err != nil {
				return err
			}
			if mo.NumAtoms() != len(sys.Masses) {
				return usageError{msg: fmt.Sprintf("%s: %d atoms, the System in %s has %d particles", coords, mo.NumAtoms(), xml, len(sys.Masses)), field: "coords", file: coords}
			}
			res := sys.Energy(angstromToNm(mo.Coords))
			out := ffEnergyOut{Total: res.Total, Groups: res.Groups, Forces: res.Forces}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "total %.6f kJ/mol\n", res.Total)
			for _, g := range sys.GroupNames() {
				fmt.Fprintf(w, "  %-22s %14.6f\n", g, res.Groups[g])
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&xml, "xml", "", "OpenMM System XML")
	f.StringVar(&coords, "coords", "", "geometry: .xyz or .sdf (Å)")
	return cmd
}
