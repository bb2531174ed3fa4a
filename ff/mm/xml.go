package mm

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// WriteXML writes s as an OpenMM 7.7 serialized System (XmlSerializer format,
// readable by openmm.XmlSerializer.deserialize). Force groups: 0 bonds
// (HarmonicBondForce, or with s.QuarticBonds the CustomBondForce QuarticBondForce
// with QuarticBondExpression), 1 angles, 2 proper torsions, 3 improper torsions,
// 4 nonbonded (NoCutoff). A bond with a cubic or quartic term in a System without
// QuarticBonds is an error: a HarmonicBondForce cannot hold it.
func (s *System) WriteXML(w io.Writer) error {
	if !s.QuarticBonds {
		for t, bo := range s.Bonds {
			if bo.K3 != 0 || bo.K4 != 0 {
				return fmt.Errorf("mm: bond %d (%d-%d) has cubic or quartic terms but the System has harmonic bonds (set QuarticBonds)", t, bo.I, bo.J)
			}
		}
	}
	b := bufio.NewWriter(w)
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 17, 64) }
	fmt.Fprintf(b, "<?xml version=\"1.0\" ?>\n<System openmmVersion=\"7.7\" type=\"System\" version=\"1\">\n")
	fmt.Fprintf(b, "\t<PeriodicBoxVectors>\n\t\t<A x=\"2\" y=\"0\" z=\"0\"/>\n\t\t<B x=\"0\" y=\"2\" z=\"0\"/>\n\t\t<C x=\"0\" y=\"0\" z=\"2\"/>\n\t</PeriodicBoxVectors>\n")
	fmt.Fprintf(b, "\t<Particles>\n")
	for _, m := range s.Masses {
		fmt.Fprintf(b, "\t\t<Particle mass=\"%s\"/>\n", g(m))
	}
	fmt.Fprintf(b, "\t</Particles>\n\t<Constraints/>\n\t<Forces>\n")
	if s.QuarticBonds {
		fmt.Fprintf(b, "\t\t<Force energy=\"%s\" forceGroup=\"0\" name=\"%s\" type=\"CustomBondForce\" usesPeriodic=\"0\" version=\"3\">\n\t\t\t<PerBondParameters>\n", QuarticBondExpression, QuarticBondForce)
		for _, n := range QuarticBondParameters {
			fmt.Fprintf(b, "\t\t\t\t<Parameter name=\"%s\"/>\n", n)
		}
		fmt.Fprintf(b, "\t\t\t</PerBondParameters>\n\t\t\t<GlobalParameters/>\n\t\t\t<EnergyParameterDerivatives/>\n\t\t\t<Bonds>\n")
		for _, t := range s.Bonds {
			fmt.Fprintf(b, "\t\t\t\t<Bond p1=\"%d\" p2=\"%d\" param1=\"%s\" param2=\"%s\" param3=\"%s\" param4=\"%s\" param5=\"%s\"/>\n",
				t.I, t.J, g(t.Length), g(t.K), g(t.Ref), g(t.K3), g(t.K4))
		}
	} else {
		fmt.Fprintf(b, "\t\t<Force forceGroup=\"0\" name=\"HarmonicBondForce\" type=\"HarmonicBondForce\" usesPeriodic=\"0\" version=\"2\">\n\t\t\t<Bonds>\n")
		for _, t := range s.Bonds {
			fmt.Fprintf(b, "\t\t\t\t<Bond d=\"%s\" k=\"%s\" p1=\"%d\" p2=\"%d\"/>\n", g(t.Length), g(t.K), t.I, t.J)
		}
	}
	fmt.Fprintf(b, "\t\t\t</Bonds>\n\t\t</Force>\n")
	fmt.Fprintf(b, "\t\t<Force forceGroup=\"1\" name=\"HarmonicAngleForce\" type=\"HarmonicAngleForce\" usesPeriodic=\"0\" version=\"2\">\n\t\t\t<Angles>\n")
	for _, t := range s.Angles {
		fmt.Fprintf(b, "\t\t\t\t<Angle a=\"%s\" k=\"%s\" p1=\"%d\" p2=\"%d\" p3=\"%d\"/>\n", g(t.Theta), g(t.KTheta), t.I, t.J, t.K)
	}
	fmt.Fprintf(b, "\t\t\t</Angles>\n\t\t</Force>\n")
	for gi, ts := range [][]Torsion{s.Propers, s.Impropers} {
		name := []string{"PeriodicTorsionForce", "ImproperTorsionForce"}[gi]
		fmt.Fprintf(b, "\t\t<Force forceGroup=\"%d\" name=\"%s\" type=\"PeriodicTorsionForce\" usesPeriodic=\"0\" version=\"2\">\n\t\t\t<Torsions>\n", 2+gi, name)
		for _, t := range ts {
			fmt.Fprintf(b, "\t\t\t\t<Torsion k=\"%s\" p1=\"%d\" p2=\"%d\" p3=\"%d\" p4=\"%d\" periodicity=\"%d\" phase=\"%s\"/>\n", g(t.KPhi), t.I, t.J, t.K, t.L, t.Periodicity, g(t.Phase))
		}
		fmt.Fprintf(b, "\t\t\t</Torsions>\n\t\t</Force>\n")
	}
	fmt.Fprintf(b, "\t\t<Force alpha=\"0\" cutoff=\"1\" dispersionCorrection=\"0\" ewaldTolerance=\".0005\" exceptionsUsePeriodic=\"0\" forceGroup=\"4\" includeDirectSpace=\"1\" ljAlpha=\"0\" ljnx=\"0\" ljny=\"0\" ljnz=\"0\" method=\"0\" name=\"NonbondedForce\" nx=\"0\" ny=\"0\" nz=\"0\" recipForceGroup=\"-1\" rfDielectric=\"78.3\" switchingDistance=\"-1\" type=\"NonbondedForce\" useSwitchingFunction=\"0\" version=\"4\">\n")
	fmt.Fprintf(b, "\t\t\t<GlobalParameters/>\n\t\t\t<ParticleOffsets/>\n\t\t\t<ExceptionOffsets/>\n\t\t\t<Particles>\n")
	for _, p := range s.Particles {
		fmt.Fprintf(b, "\t\t\t\t<Particle eps=\"%s\" q=\"%s\" sig=\"%s\"/>\n", g(p.Epsilon), g(p.Charge), g(p.Sigma))
	}
	fmt.Fprintf(b, "\t\t\t</Particles>\n\t\t\t<Exceptions>\n")
	for _, e := range s.Exceptions {
		fmt.Fprintf(b, "\t\t\t\t<Exception eps=\"%s\" p1=\"%d\" p2=\"%d\" q=\"%s\" sig=\"%s\"/>\n", g(e.Epsilon), e.I, e.J, g(e.ChargeProd), g(e.Sigma))
	}
	fmt.Fprintf(b, "\t\t\t</Exceptions>\n\t\t</Force>\n\t</Forces>\n</System>\n")
	return b.Flush()
}

// WriteXMLFile writes the XML to path through a temporary file and rename.
func (s *System) WriteXMLFile(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".system-*.xml")
	if err != nil {
		return err
	}
	if err := s.WriteXML(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type xmlSystem struct {
	Particles []struct {
		Mass float64 `xml:"mass,attr"`
	} `xml:"Particles>Particle"`
	Constraints []struct{} `xml:"Constraints>Constraint"`
	Forces      []xmlForce `xml:"Forces>Force"`
}

type xmlForce struct {
	Type   string `xml:"type,attr"`
	Name   string `xml:"name,attr"`
	Group  int    `xml:"forceGroup,attr"`
	Method int    `xml:"method,attr"`
	Energy string `xml:"energy,attr"` // CustomBondForce
	Bonds  []struct {
		D  float64 `xml:"d,attr"`
		K  float64 `xml:"k,attr"`
		P1 int     `xml:"p1,attr"`
		P2 int     `xml:"p2,attr"`
		// CustomBondForce per-bond parameters param1..param5
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"Bonds>Bond"`
	PerBond []struct {
		Name string `xml:"name,attr"`
	} `xml:"PerBondParameters>Parameter"`
	Global []struct {
		Name string `xml:"name,attr"`
	} `xml:"GlobalParameters>Parameter"`
	Angles []struct {
		A  float64 `xml:"a,attr"`
		K  float64 `xml:"k,attr"`
		P1 int     `xml:"p1,attr"`
		P2 int     `xml:"p2,attr"`
		P3 int     `xml:"p3,attr"`
	} `xml:"Angles>Angle"`
	Torsions []struct {
		K     float64 `xml:"k,attr"`
		P1    int     `xml:"p1,attr"`
		P2    int     `xml:"p2,attr"`
		P3    int     `xml:"p3,attr"`
		P4    int     `xml:"p4,attr"`
		N     int     `xml:"periodicity,attr"`
		Phase float64 `xml:"phase,attr"`
	} `xml:"Torsions>Torsion"`
	Particles []struct {
		Eps float64 `xml:"eps,attr"`
		Q   float64 `xml:"q,attr"`
		Sig float64 `xml:"sig,attr"`
	} `xml:"Particles>Particle"`
	Exceptions []struct {
		Eps float64 `xml:"eps,attr"`
		P1  int     `xml:"p1,attr"`
		P2  int     `xml:"p2,attr"`
		Q   float64 `xml:"q,attr"`
		Sig float64 `xml:"sig,attr"`
	} `xml:"Exceptions>Exception"`
}

// ReadXMLFile reads an OpenMM System XML with the force types WriteXML writes
// (other force types, a CustomBondForce with another expression, constraints or a
// cutoff method are refused, naming them).
// A PeriodicTorsionForce named "ImproperTorsionForce" (or in force group 3) is read
// as impropers.
func ReadXMLFile(path string) (*System, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var x xmlSystem
	if err := xml.NewDecoder(f).Decode(&x); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := &System{}
	n := len(x.Particles)
	for _, p := range x.Particles {
		s.Masses = append(s.Masses, p.Mass)
	}
	if len(x.Constraints) > 0 {
		return nil, fmt.Errorf("%s: %d constraints: erg ff energy evaluates unconstrained systems only", path, len(x.Constraints))
	}
	in := func(what string, idx ...int) error {
		for _, i := range idx {
			if i < 0 || i >= n {
				return fmt.Errorf("%s: %s refers to particle %d of %d", path, what, i, n)
			}
		}
		return nil
	}
	haveNB := false
	for _, fo := range x.Forces {
		switch fo.Type {
		case "HarmonicBondForce":
			if s.QuarticBonds {
				return nil, fmt.Errorf("%s: a CustomBondForce and another bond force: erg evaluates one bond force", path)
			}
			for _, b := range fo.Bonds {
				if err := in("Bond", b.P1, b.P2); err != nil {
					return nil, err
				}
				s.Bonds = append(s.Bonds, Bond{I: b.P1, J: b.P2, Length: b.D, K: b.K})
			}
		case "CustomBondForce":
			if err := checkQuartic(fo); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			if len(s.Bonds) > 0 {
				return nil, fmt.Errorf("%s: a CustomBondForce and another bond force: erg evaluates one bond force", path)
			}
			s.QuarticBonds = true
			for _, b := range fo.Bonds {
				if err := in("Bond", b.P1, b.P2); err != nil {
					return nil, err
				}
				var v [5]float64
				seen := 0
				for _, a := range b.Attrs {
					var k int
					if _, err := fmt.Sscanf(a.Name.Local, "param%d", &k); err != nil || k < 1 || k > 5 {
						continue
					}
					x, err := strconv.ParseFloat(a.Value, 64)
					if err != nil {
						return nil, fmt.Errorf("%s: CustomBondForce bond %d-%d: %s=%q: %w", path, b.P1, b.P2, a.Name.Local, a.Value, err)
					}
					v[k-1] = x
					seen |= 1 << (k - 1)
				}
				if seen != 1<<5-1 {
					return nil, fmt.Errorf("%s: CustomBondForce bond %d-%d: want param1..param5 (%v)", path, b.P1, b.P2, QuarticBondParameters)
				}
				s.Bonds = append(s.Bonds, Bond{I: b.P1, J: b.P2, Length: v[0], K: v[1], Ref: v[2], K3: v[3], K4: v[4]})
			}
		case "HarmonicAngleForce":
			for _, a := range fo.Angles {
				if err := in("Angle", a.P1, a.P2, a.P3); err != nil {
					return nil, err
				}
				s.Angles = append(s.Angles, Angle{I: a.P1, J: a.P2, K: a.P3, Theta: a.A, KTheta: a.K})
			}
		case "PeriodicTorsionForce":
			dst := &s.Propers
			if fo.Name == "ImproperTorsionForce" || fo.Group == 3 {
				dst = &s.Impropers
			}
			for _, t := range fo.Torsions {
				if err := in("Torsion", t.P1, t.P2, t.P3, t.P4); err != nil {
					return nil, err
				}
				*dst = append(*dst, Torsion{I: t.P1, J: t.P2, K: t.P3, L: t.P4, Periodicity: t.N, Phase: t.Phase, KPhi: t.K})
			}
		case "NonbondedForce":
			if fo.Method != 0 {
				return nil, fmt.Errorf("%s: NonbondedForce method %d: only NoCutoff (0) is supported", path, fo.Method)
			}
			if haveNB || len(fo.Particles) != n {
				return nil, fmt.Errorf("%s: NonbondedForce has %d particles, the System %d", path, len(fo.Particles), n)
			}
			haveNB = true
			for _, p := range fo.Particles {
				s.Particles = append(s.Particles, Particle{Charge: p.Q, Sigma: p.Sig, Epsilon: p.Eps})
			}
			for _, e := range fo.Exceptions {
				if err := in("Exception", e.P1, e.P2); err != nil {
					return nil, err
				}
				s.Exceptions = append(s.Exceptions, Exception{I: e.P1, J: e.P2, ChargeProd: e.Q, Sigma: e.Sig, Epsilon: e.Eps})
			}
		default:
			return nil, fmt.Errorf("%s: force type %q is not supported (HarmonicBondForce, CustomBondForce %s, HarmonicAngleForce, PeriodicTorsionForce, NonbondedForce)", path, fo.Type, QuarticBondForce)
		}
	}
	if !haveNB {
		s.Particles = make([]Particle, n)
	}
	for i, p := range s.Particles {
		if math.IsNaN(p.Charge) || math.IsNaN(p.Sigma) || math.IsNaN(p.Epsilon) {
			return nil, fmt.Errorf("%s: particle %d has a NaN parameter", path, i)
		}
	}
	return s, nil
}

// checkQuartic accepts only the CustomBondForce WriteXML writes: energy
// QuarticBondExpression, per-bond parameters QuarticBondParameters in order, no
// global parameters.
func checkQuartic(fo xmlForce) error {
	if fo.Energy != QuarticBondExpression {
		return fmt.Errorf("CustomBondForce %q: energy %q is not supported (want %q)", fo.Name, fo.Energy, QuarticBondExpression)
	}
	ok := len(fo.PerBond) == len(QuarticBondParameters)
	for i := 0; ok && i < len(fo.PerBond); i++ {
		ok = fo.PerBond[i].Name == QuarticBondParameters[i]
	}
	if !ok {
		return fmt.Errorf("CustomBondForce %q: per-bond parameters %v, want %v", fo.Name, fo.PerBond, QuarticBondParameters)
	}
	if len(fo.Global) > 0 {
		return fmt.Errorf("CustomBondForce %q: %d global parameters, want none", fo.Name, len(fo.Global))
	}
	return nil
}
