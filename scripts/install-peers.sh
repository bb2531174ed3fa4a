#!/usr/bin/env bash
# Installs, when missing, the Debian packages whose programs the tests compare against.
# Tests that need a peer skip with a message when it is absent; CI runs this first so none skip there.
set -euo pipefail
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in r-base-core r-cran-diptest r-cran-mass r-cran-mclust r-cran-locfit; do
  have "$p" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-peers: missing ${need[*]} and not root; tests needing them will skip" >&2
    exit 0
  fi
  echo "install-peers: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
