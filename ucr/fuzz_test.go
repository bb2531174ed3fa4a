package ucr

import (
	"bytes"
	"errors"
	"testing"
)

// checkParsed asserts what every reader promises for input it accepts, and that its
// errors are ParseErrors.
func checkParsed(t *testing.T, d *Dataset, err error) {
	t.Helper()
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %v is %T, want *ParseError", err, err)
		}
		return
	}
	if d.Len() == 0 || len(d.X) != len(d.Y) {
		t.Fatalf("accepted %d cases with %d labels", len(d.X), len(d.Y))
	}
	for i, c := range d.X {
		if len(c) != d.Dims() {
			t.Fatalf("case %d has %d dims, case 0 has %d", i, len(c), d.Dims())
		}
	}
	if len(d.Classes) > 0 {
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
	}
}

func FuzzReadTS(f *testing.F) {
	f.Add([]byte(smallTS))
	f.Add([]byte("@problemName P\n@univariate true\n@equalLength true\n@seriesLength 3\n@classLabel true 1 2\n@data\n1,2,3:1\n4,5,6:2\n"))
	f.Add([]byte("@classLabel false\n@data\n1,2\n"))
	f.Add([]byte("@targetLabel true\n@data\n1,2:0.5\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseTS(bytes.NewReader(b), "fuzz.ts")
		checkParsed(t, d, err)
	})
}

func FuzzReadTSV(f *testing.F) {
	f.Add([]byte("1\t0.5\t1.5\n2\t3\tNaN\n"))
	f.Add([]byte("1,2,3\n2,4,5\n"))
	f.Add([]byte("1 2 3\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseTSV(bytes.NewReader(b), "fuzz.tsv")
		checkParsed(t, d, err)
	})
}

func FuzzReadARFF(f *testing.F) {
	f.Add([]byte("@relation r\n@attribute a numeric\n@attribute c {p,q}\n@data\n1,p\n?,q\n"))
	f.Add([]byte("@relation r\n@attribute s relational\n@attribute t1 numeric\n@attribute t2 numeric\n@end s\n@attribute c {p,'q r'}\n@data\n'1,2\\n3,4','q r'\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseARFF(bytes.NewReader(b), "fuzz.arff")
		checkParsed(t, d, err)
	})
}
