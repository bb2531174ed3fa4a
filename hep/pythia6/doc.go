// Package pythia6 builds and runs erg's Pythia 6.4.28 driver (fortran/driver.f, embedded; Go refuses .f files beside .go files without cgo)
// and reads its event stream.
//
// Pythia's Fortran source is not part of erg: Build takes it from Debian's
// hepmc3-doc package (examples/Pythia6Example/pythia-6.4.28.f.gz, GPL-2+) and
// compiles it with gfortran into a cache directory keyed by the hash of the sources
// (first build about a minute). Generate runs one or more driver processes with
// distinct seeds and hands each event, as a stream, to a callback: the text is about
// 19 KiB per event and is never stored.
//
// The driver simulates pp collisions with the hard process's p̂T restricted to
// [PtMin, PtMax]: QCD 2→2 (MSEL=1), tt̄ (MSEL=6) and W+jet (MSUB(16), MSUB(31)),
// the W forced to quarks for tt̄ and W+jet, no multiple interactions (MSTP(81)=0),
// the seed in MRPY(1). Its output format, one record a line:
//
//	S name value...           a setting used (printed before the first event)
//	E iev npart nhard         an event header
//	H kf px py pz e           nhard documented t, t̄ or W of the hard process (GeV)
//	P px py pz e              npart final-state particles, neutrinos dropped
//	END nevt                  the end of the stream
//
// Reader reports a truncated stream, a line of the wrong length and non-finite
// numbers with the stream's name and line number.
//
// References:
//   - Sjöstrand, Mrenna & Skands, "PYTHIA 6.4 physics and manual", JHEP 05 (2006) 026.
package pythia6
