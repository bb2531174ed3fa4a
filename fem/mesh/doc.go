// Package mesh holds simplicial meshes for package fem: intervals in 1-D,
// structured triangle meshes of rectangles with DOLFINx's node and cell order
// (so solutions can be compared with FEniCS node by node), and a reader for
// unstructured 2-D meshes in Gmsh's ASCII .msh format, versions 2.2 and 4.1,
// with physical tags on cells and boundary facets.
//
// References:
//   - C. Geuzaine, J.-F. Remacle, Gmsh: a 3-D finite element mesh generator
//     with built-in pre- and post-processing facilities, Int. J. Numer. Meth.
//     Eng. 79 (2009); file format: gmsh.info/doc/texinfo, "MSH file format".
//   - I. A. Baratta et al., DOLFINx (2023): create_rectangle's vertex and cell
//     numbering, which Rectangle reproduces.
package mesh
