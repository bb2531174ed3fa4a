#!/bin/sh
# Regenerates graphgen/eval/testdata: small graph6 sets made by erg and the MMDs
# the Python peer (bench/peers/graph.py: networkx, numpy, scipy, pyemd from
# Debian) computes on them. Run from the repository root:
#   sh scripts/graph/goldens.sh      (or ERG=/path/to/erg sh scripts/graph/goldens.sh)
set -eu
out=graphgen/eval/testdata
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ERG=path/to/erg uses that binary instead of building one
erg=${ERG:-$tmp/erg}
[ -n "${ERG:-}" ] || go build -o "$erg" ./cmd/erg
for s in grid community-small ego-small; do
	"$erg" graph data --set $s --seed 1 --out "$tmp/$s" >/dev/null
done
"$erg" graph train --set grid --model er --seed 1 --root "$tmp/runs" --name grid-er --json >/dev/null
"$erg" graph sample grid-er --root "$tmp/runs" --n 8 --seed 1 --out "$tmp/grid-er.g6" >/dev/null
"$erg" graph train --set community-small --model ba --seed 1 --root "$tmp/runs" --name cs-ba --json >/dev/null
"$erg" graph sample cs-ba --root "$tmp/runs" --n 20 --seed 1 --out "$tmp/cs-ba.g6" >/dev/null
"$erg" graph train --set ego-small --model sbm --seed 1 --root "$tmp/runs" --name es-sbm --json >/dev/null
"$erg" graph sample es-sbm --root "$tmp/runs" --n 15 --seed 1 --out "$tmp/es-sbm.g6" >/dev/null
head -5 "$tmp/grid/test.g6" > $out/a_ref.g6
{ cat "$tmp/grid-er.g6"; echo '?'; } > $out/a_gen.g6 # one empty graph, dropped
cp "$tmp/community-small/test.g6" $out/b_ref.g6
cp "$tmp/cs-ba.g6" $out/b_gen.g6
head -15 "$tmp/ego-small/test.g6" > $out/c_ref.g6
cp "$tmp/es-sbm.g6" $out/c_gen.g6
for p in a b c; do
	/usr/bin/python3 bench/peers/graph.py mmd $out/${p}_ref.g6 $out/${p}_gen.g6 2>/dev/null | tail -1 > $out/${p}_peer.json
done
