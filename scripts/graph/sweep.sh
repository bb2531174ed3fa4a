#!/bin/sh
# σ sweep (O'Bray et al. 2022) of E-R and B-A on grid, seed 1: 240 samples
# (3 per training graph) against the 20 test graphs, both kernels,
# σ × {0.1, 0.3, 1, 3, 10}. ERG=path/to/erg.
set -eu
erg=${ERG:-erg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$erg" graph data --set grid --seed 1 --out "$tmp/grid" >/dev/null
for model in er ba; do
	"$erg" graph train --set grid --model $model --seed 1 --root "$tmp/runs" --name grid-$model --json >/dev/null
	"$erg" graph sample grid-$model --root "$tmp/runs" --n 240 --seed 1 --out "$tmp/$model.g6" >/dev/null
	printf '{"model":"%s","eval":' $model
	"$erg" graph eval --ref "$tmp/grid/test.g6" --gen "$tmp/$model.g6" --kernel both --sigma-sweep --json | tr -d ' \n'
	echo '}'
done
