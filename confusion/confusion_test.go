package confusion

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestMatrix(t *testing.T) {
	c := New([]string{"a", "b"}, []string{"a", "b", "b", "c"}, []string{"a", "a", "b", "b"})
	want := [][]int{{1, 1, 0}, {0, 1, 1}, {0, 0, 0}}
	if !reflect.DeepEqual(c.Counts, want) || !reflect.DeepEqual(c.Classes, []string{"a", "b", "c"}) {
		t.Errorf("confusion %v %v, want %v", c.Classes, c.Counts, want)
	}
	if got := c.Accuracy(); got != 0.5 {
		t.Errorf("accuracy %v, want 0.5 (2 of 4 on the diagonal)", got)
	}
	for _, f := range []string{"cm.png", "cm.svg"} {
		p := filepath.Join(t.TempDir(), f)
		if err := c.Plot(p, "test"); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(p); err != nil || st.Size() < 500 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

func ExampleNew() {
	c := New([]string{"cat", "dog"}, []string{"cat", "dog", "dog"}, []string{"cat", "cat", "dog"})
	fmt.Println(c.Counts, c.Accuracy())
	// Output: [[1 1] [0 1]] 0.6666666666666666
}
