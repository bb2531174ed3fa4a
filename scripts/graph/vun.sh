#!/bin/sh
# Target 5 of issue 19: V.U.N. of the baselines on planar and sbm (seed 1),
# SPECTRE's protocol: as many samples as test graphs (40), novelty against the
# 128 training graphs. One JSON line per (set, model). ERG=path/to/erg.
set -eu
erg=${ERG:-erg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for set in planar sbm; do
	"$erg" graph data --set $set --seed 1 --out "$tmp/$set" >/dev/null
	for model in er ba sbm; do
		"$erg" graph train --set $set --model $model --seed 1 --root "$tmp/runs" --name $set-$model --json >/dev/null
		"$erg" graph sample $set-$model --root "$tmp/runs" --n 40 --seed 1 --out "$tmp/$set-$model.g6" >/dev/null
		printf '{"set":"%s","model":"%s","eval":' $set $model
		"$erg" graph eval --ref "$tmp/$set/test.g6" --gen "$tmp/$set-$model.g6" --train "$tmp/$set/train.g6" --valid $set --kernel both --json | tr -d ' \n'
		echo '}'
	done
done
