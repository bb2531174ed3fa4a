#!/usr/bin/env bash
# Exports the real data sets of erg's mode case studies (galaxies, faithful, geyser,
# acidity, stamps) as CSV files with Rscript.
#   scripts/modes/export-rdata.sh [DIR]      (default: $ERG_CACHE/modes or ~/.cache/erg/modes)
# Installs nothing; needs Debian r-base-core r-cran-mass r-cran-mclust r-cran-locfit
# (see scripts/peers/modes.txt; `make peers` installs them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-${ERG_CACHE:+$ERG_CACHE/modes}}"
dir="${dir:-$HOME/.cache/erg/modes}"
if ! command -v Rscript >/dev/null 2>&1; then
  echo "export-rdata: Rscript not found; install r-base-core r-cran-mass r-cran-mclust r-cran-locfit" >&2
  exit 1
fi
exec Rscript "$here/../../modes/rdata/export.R" "$dir"
