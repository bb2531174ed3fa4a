package mesh_test

import (
	"fmt"
	"strings"

	"github.com/ergml/erg/fem/mesh"
)

func ExampleUnitSquare() {
	m := mesh.UnitSquare(2)
	fmt.Println(m.NumNodes(), "nodes,", m.NumCells(), "cells; cell 0:", m.Cell(0), "node 4:", m.Node(4))
	// Output:
	// 9 nodes, 8 cells; cell 0: [0 1 4] node 4: [0.5 0.5]
}

func ExampleReadGmsh() {
	_, err := mesh.ReadGmsh(strings.NewReader("$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n1\n1 0 0 x\n"), "bad.msh")
	fmt.Println(err)
	// Output:
	// mesh: bad.msh:6: $Nodes: node 1: coordinate 3: "x" is not a finite number
}
