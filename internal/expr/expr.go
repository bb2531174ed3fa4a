// Package expr parses and evaluates small arithmetic expressions over named
// variables, such as the coefficients given on the command line of
// "erg pde solve" ("1 + 0.5*sin(2*pi*x)*y^2").
//
// Grammar (usual precedence; ^ is right-associative and binds tighter than
// unary minus, so -x^2 = -(x^2)):
//
//	expr   = term { ("+" | "-") term }
//	term   = unary { ("*" | "/") unary }
//	unary  = ("-" | "+") unary | power
//	power  = atom [ "^" unary ]
//	atom   = number | name | func "(" expr ")" | "(" expr ")"
//
// Names are the variables given to Parse and the constant pi; functions are
// sin cos tan exp log sqrt abs tanh. Numbers are decimal with optional
// fraction and exponent (1, 0.5, .5, 2e-3).
package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Error is a parse error at a byte position (0-based) of the input.
type Error struct {
	Input string
	Pos   int
	Msg   string
}

func (e *Error) Error() string {
	return fmt.Sprintf("expression %q: at position %d: %s", e.Input, e.Pos+1, e.Msg)
}

// Expr is a compiled expression.
type Expr struct {
	src  string
	vars []string
	eval func(v []float64) float64
}

// String returns the source text.
func (e *Expr) String() string { return e.src }

// Vars returns the variable names, in the order Eval expects their values.
func (e *Expr) Vars() []string { return e.vars }

// Eval evaluates the expression with v[i] the value of Vars()[i].
func (e *Expr) Eval(v ...float64) float64 {
	if len(v) < len(e.vars) {
		panic(fmt.Sprintf("expr: Eval of %q needs %d values, got %d", e.src, len(e.vars), len(v)))
	}
	return e.eval(v)
}

// Func returns the expression as a function of its variables.
func (e *Expr) Func() func(v []float64) float64 { return e.eval }

// Uses reports whether the expression refers to variable name.
func (e *Expr) Uses(name string) bool {
	p := &parser{src: e.src, vars: e.vars}
	for {
		p.skip()
		if p.pos >= len(p.src) {
			return false
		}
		if isLetter(p.src[p.pos]) {
			start := p.pos
			for p.pos < len(p.src) && (isLetter(p.src[p.pos]) || isDigit(p.src[p.pos])) {
				p.pos++
			}
			if p.src[start:p.pos] == name {
				return true
			}
			continue
		}
		p.pos++
	}
}

var funcs = map[string]func(float64) float64{
	"sin": math.Sin, "cos": math.Cos, "tan": math.Tan, "exp": math.Exp, "log": math.Log,
	"sqrt": math.Sqrt, "abs": math.Abs, "tanh": math.Tanh,
}

// Parse compiles s over the named variables.
func Parse(s string, vars ...string) (*Expr, error) {
	for _, v := range vars {
		if _, ok := funcs[v]; ok || v == "pi" {
			panic(fmt.Sprintf("expr: variable name %q is reserved", v))
		}
	}
	p := &parser{src: s, vars: vars}
	p.skip()
	if p.pos == len(s) {
		return nil, p.errf(0, "empty expression")
	}
	f, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.pos < len(s) {
		if s[p.pos] == ')' {
			return nil, p.errf(p.pos, "unmatched ')'")
		}
		return nil, p.errf(p.pos, "unexpected %q after a complete expression", s[p.pos:p.pos+1])
	}
	return &Expr{src: s, vars: vars, eval: f}, nil
}

// MustParse is Parse that panics on error, for expressions fixed in code.
func MustParse(s string, vars ...string) *Expr {
	e, err := Parse(s, vars...)
	if err != nil {
		panic(err)
	}
	return e
}

type fn = func(v []float64) float64

type parser struct {
	src  string
	pos  int
	vars []string
}

func (p *parser) errf(pos int, format string, a ...any) error {
	return &Error{Input: p.src, Pos: pos, Msg: fmt.Sprintf(format, a...)}
}

func (p *parser) skip() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func (p *parser) peek() byte {
	p.skip()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) expr() (fn, error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek()
		if op != '+' && op != '-' {
			return l, nil
		}
		p.pos++
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		if op == '+' {
			l = func(v []float64) float64 { return a(v) + b(v) }
		} else {
			l = func(v []float64) float64 { return a(v) - b(v) }
		}
	}
}

func (p *parser) term() (fn, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek()
		if op != '*' && op != '/' {
			return l, nil
		}
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		if op == '*' {
			l = func(v []float64) float64 { return a(v) * b(v) }
		} else {
			l = func(v []float64) float64 { return a(v) / b(v) }
		}
	}
}

func (p *parser) unary() (fn, error) {
	switch p.peek() {
	case '-':
		p.pos++
		a, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(v []float64) float64 { return -a(v) }, nil
	case '+':
		p.pos++
		return p.unary()
	}
	return p.power()
}

func (p *parser) power() (fn, error) {
	base, err := p.atom()
	if err != nil {
		return nil, err
	}
	if p.peek() != '^' {
		return base, nil
	}
	p.pos++
	ex, err := p.unary()
	if err != nil {
		return nil, err
	}
	return func(v []float64) float64 {
		e := ex(v)
		b := base(v)
		if e == 2 {
			return b * b
		}
		return math.Pow(b, e)
	}, nil
}

func isLetter(c byte) bool { return c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func (p *parser) atom() (fn, error) {
	c := p.peek()
	start := p.pos
	switch {
	case c == 0:
		return nil, p.errf(p.pos, "unexpected end of expression")
	case c == '(':
		p.pos++
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, p.errf(p.pos, "missing ')' to close '(' at position %d", start+1)
		}
		p.pos++
		return e, nil
	case isDigit(c) || c == '.':
		end := p.pos
		for end < len(p.src) && (isDigit(p.src[end]) || p.src[end] == '.') {
			end++
		}
		if end < len(p.src) && (p.src[end] == 'e' || p.src[end] == 'E') {
			k := end + 1
			if k < len(p.src) && (p.src[k] == '+' || p.src[k] == '-') {
				k++
			}
			if k < len(p.src) && isDigit(p.src[k]) {
				for k < len(p.src) && isDigit(p.src[k]) {
					k++
				}
				end = k
			}
		}
		x, err := strconv.ParseFloat(p.src[p.pos:end], 64)
		if err != nil {
			return nil, p.errf(p.pos, "bad number %q", p.src[p.pos:end])
		}
		p.pos = end
		return func([]float64) float64 { return x }, nil
	case isLetter(c):
		end := p.pos
		for end < len(p.src) && (isLetter(p.src[end]) || isDigit(p.src[end])) {
			end++
		}
		name := p.src[p.pos:end]
		p.pos = end
		if f, ok := funcs[name]; ok {
			if p.peek() != '(' {
				return nil, p.errf(p.pos, "function %s needs '(' and an argument", name)
			}
			p.pos++
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			if p.peek() != ')' {
				if p.peek() == ',' {
					return nil, p.errf(p.pos, "function %s takes one argument", name)
				}
				return nil, p.errf(p.pos, "missing ')' after the argument of %s", name)
			}
			p.pos++
			return func(v []float64) float64 { return f(a(v)) }, nil
		}
		if name == "pi" {
			return func([]float64) float64 { return math.Pi }, nil
		}
		for i, v := range p.vars {
			if v == name {
				return func(x []float64) float64 { return x[i] }, nil
			}
		}
		known := append([]string{"pi"}, p.vars...)
		return nil, p.errf(start, "unknown name %q (variables and constants: %s; functions: sin cos tan exp log sqrt abs tanh)", name, strings.Join(known, " "))
	}
	return nil, p.errf(p.pos, "unexpected %q", string(c))
}
