// Package envi reads and writes ENVI raster files: a text header (.hdr) describing a
// raw binary cube (samples × lines × bands) stored band-sequential (bsq),
// band-interleaved-by-line (bil) or band-interleaved-by-pixel (bip), in either byte
// order, after an optional header offset.
//
// The data types are ENVI's codes 1 (uint8), 2 (int16), 3 (int32), 4 (float32),
// 5 (float64), 12 (uint16), 13 (uint32), 14 (int64) and 15 (uint64); the complex types
// 6 and 9 are refused. Values are held as float64 (exact for every type but 14 and 15,
// whose values are also kept exactly as int64/uint64). Reading is bit-exact against
// files written by python3-spectral (spectral.envi.save_image) and GDAL's ENVI driver
// (gdal-bin); the tests check both, on committed golden files and live when the peers
// are installed.
//
// Bad input is reported with the file, the line and the key: a missing mandatory key
// (samples, lines, bands, data type, interleave, byte order — the keys SPy requires), an unknown interleave or data type,
// a data file whose size differs from header offset + samples·lines·bands·bytes (both
// sizes stated). NaN values and the value of "data ignore value" (or, for float data,
// the −1.23e34 fill value of AVIRIS products) are masked and counted.
//
// References:
//
//   - Harris Geospatial, "ENVI Header Files" (ENVI Classic documentation).
//   - Boggs, Spectral Python (SPy), module spectral.io.envi.
//   - GDAL, "ENVI -- ENVI .hdr Labelled Raster" driver documentation.
package envi
