// Package ucr reads the file formats of the UCR/UEA time-series classification
// archive into a Dataset: the sktime/aeon ".ts" format (header tags, univariate and
// multivariate, equal and unequal length, "?" missing values, string class labels),
// the UCR 2018 ".tsv" format (class label in column 0) and Weka ".arff" (including the
// relational attribute used for multivariate problems). Fetch downloads and unpacks an
// archive zip for users with internet access.
//
// A Dataset holds X[case][dim][time] as float64; each case may have its own length
// (PLAID, for example, ranges from 100 to 1344 points) and missing values are NaN.
// Nothing is normalised on reading: the helpers ZNormalize, FillMissing, PadRight,
// Resample and Truncate return transformed copies, and their doc comments say exactly
// what they do.
//
// Every error from a reader is a *ParseError naming the file, the 1-based line and
// what was wrong, e.g.
//
//	GunPoint_TRAIN.ts:23: case 4: dimension 1: value 17 "0.1.2": not a number
//
// References:
//   - Dau, H. A. et al. (2019). The UCR time series archive. IEEE/CAA Journal of
//     Automatica Sinica 6(6), 1293–1305.
//   - Bagnall, A. et al. (2018). The UEA multivariate time series classification
//     archive, 2018. arXiv:1811.00075.
//   - The .ts format as written by sktime/aeon (load_from_tsfile); the .arff format as
//     defined by Weka (https://waikato.github.io/weka-wiki/formats_and_processing/arff/).
package ucr
