#!/bin/sh
# Builds erg's Pythia 6 driver by hand, as package hep/pythia6 does on first use:
# Pythia 6.4.28 from Debian's hepmc3-doc, compiled with gfortran into a cache
# directory keyed by the sources' hash. The source and binaries are never committed.
#   scripts/hep/build-pythia6.sh [CACHE_DIR]      (default $XDG_CACHE_HOME/erg/pythia6)
# Then: echo "1 10 12345 550 650 14000" | CACHE_DIR/ergpy6-*   (PROC NEVT SEED PTMIN PTMAX ECM)
set -eu
src=${ERG_PYTHIA6_SRC:-/usr/share/doc/hepmc3-doc/examples/Pythia6Example/pythia-6.4.28.f.gz}
here=$(cd "$(dirname "$0")/../.." && pwd)
drv=$here/hep/pythia6/fortran/driver.f
cache=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/erg/pythia6}
command -v gfortran >/dev/null || { echo "needs gfortran (apt-get install gfortran)" >&2; exit 1; }
[ -r "$src" ] || { echo "needs $src (apt-get install hepmc3-doc)" >&2; exit 1; }
mkdir -p "$cache"
h=$(cat "$src" "$drv" | sha256sum | cut -c1-16)
exe=$cache/ergpy6-sh-$h
if [ ! -x "$exe" ]; then
	tmp=$(mktemp -d "$cache/build-XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	gunzip -c "$src" > "$tmp/pythia.f"
	echo "compiling Pythia 6.4.28 (about a minute)..." >&2
	gfortran -O2 -std=legacy -w -c "$tmp/pythia.f" -o "$tmp/pythia.o"
	gfortran -O2 -std=legacy -w "$drv" "$tmp/pythia.o" -o "$tmp/ergpy6"
	mv "$tmp/ergpy6" "$exe"
fi
echo "$exe"
