// Package gt reads graph-tool's binary .gt format (optionally gzip
// compressed), the format of the real networks shipped in graph-tool's
// collection (python3-graph-tool: graph_tool/collection/*.gt.gz).
//
// Only the structure is read: the header (magic "⛾ gt", version, endianness,
// comment), the directed flag, the vertex count N and the adjacency lists
// (per vertex a uint64 count and neighbour indices of 1, 2, 4 or 8 bytes as
// N needs). Property maps that follow are skipped. The format is described
// at https://graph-tool.skewed.de/static/doc/gt_format.html.
package gt
