package expr

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestEval(t *testing.T) {
	const tol = 1e-15
	x, y, tt := 0.3, -1.7, 2.5
	cases := []struct {
		src  string
		want float64 // computed by hand with Go's math package
	}{
		{"1 + 2*3", 7},
		{"(1+2)*3", 9},
		{"2^3^2", 512}, // right-associative
		{"-x^2", -x * x},
		{"2^-1", 0.5},
		{"1e-3*x + .5", 1e-3*x + .5},
		{"sin(pi*x)*cos(y) - exp(-t)", math.Sin(math.Pi*x)*math.Cos(y) - math.Exp(-tt)},
		{"sqrt(abs(y)) + log(t) / tanh(x)", math.Sqrt(math.Abs(y)) + math.Log(tt)/math.Tanh(x)},
		{"x/y/2", x / y / 2},
		{"1 - x - y", 1 - x - y},
		{" +x * -y ", x * -y},
	}
	for _, c := range cases {
		e, err := Parse(c.src, "x", "y", "t")
		if err != nil {
			t.Errorf("Parse(%q): %v", c.src, err)
			continue
		}
		if got := e.Eval(x, y, tt); math.Abs(got-c.want) > tol*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%q = %v, want %v", c.src, got, c.want)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		src string
		pos int // 1-based, as printed
		msg string
	}{
		{"", 1, "empty"},
		{"1 +", 4, "end of expression"},
		{"sin(x", 6, "missing ')'"},
		{"(x + 1", 7, "missing ')' to close '(' at position 1"},
		{"x + z", 5, `unknown name "z"`},
		{"2 ** 3", 4, `unexpected "*"`},
		{"x)", 2, "unmatched ')'"},
		{"sin x", 5, "needs '('"},
		{"1.2.3", 1, "bad number"},
		{"x y", 3, "after a complete expression"},
	}
	for _, c := range cases {
		_, err := Parse(c.src, "x", "y")
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q): error %v, want *Error", c.src, err)
			continue
		}
		if pe.Pos+1 != c.pos || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Parse(%q): %v (position %d); want position %d and %q", c.src, err, pe.Pos+1, c.pos, c.msg)
		}
	}
}

func TestUses(t *testing.T) {
	e := MustParse("sin(t)*x + tanh(y)", "x", "y", "t")
	if !e.Uses("t") || !e.Uses("x") || e.Uses("z") {
		t.Errorf("Uses wrong for %q", e)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1+2", "sin(pi*x)^2", "-(x-y)/3e2", "((x", "abs(-t)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s, "x", "y", "t")
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Pos < 0 || pe.Pos > len(s) {
				t.Fatalf("Parse(%q): bad error %v", s, err)
			}
			return
		}
		_ = e.Eval(0.1, 0.2, 0.3)
	})
}
