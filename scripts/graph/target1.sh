#!/bin/sh
# Target 1 of issue 19: E-R and B-A on grid, GraphRNN kernel, seeds 1-3.
# GraphRNN's baselines draw pred_num // len(train) = 1000 // 80 = 12 graphs per
# training graph (960 in all) and compare them with the 20 test graphs.
# Prints one JSON line per (model, seed). ERG=path/to/erg to use a built binary;
# SET=community-small (etc.) for another set (default grid).
set -eu
erg=${ERG:-erg}
set_=${SET:-grid}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for seed in 1 2 3; do
	"$erg" graph data --set $set_ --seed $seed --out "$tmp/grid$seed" >/dev/null
	for model in er ba; do
		"$erg" graph train --set $set_ --model $model --seed $seed --root "$tmp/runs" --name grid-$model-$seed --json >/dev/null
		"$erg" graph sample grid-$model-$seed --root "$tmp/runs" --n 960 --seed $seed --out "$tmp/$model$seed.g6" >/dev/null
		printf '{"set":"%s","model":"%s","seed":%d,"eval":' $set_ $model $seed
		"$erg" graph eval --ref "$tmp/grid$seed/test.g6" --gen "$tmp/$model$seed.g6" --kernel both --json | tr -d ' \n'
		echo '}'
	done
done
