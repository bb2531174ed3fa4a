package expr_test

import (
	"fmt"

	"github.com/ergml/erg/internal/expr"
)

func Example() {
	e, err := expr.Parse("1 + x*y^2", "x", "y")
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Eval(2, 3))
	_, err = expr.Parse("1 + sin(x", "x", "y")
	fmt.Println(err)
	// Output:
	// 19
	// expression "1 + sin(x": at position 10: missing ')' after the argument of sin
}
