#!/usr/bin/env bash
# Rebuilds erg's copy of github.com/gomlx/compute from pristine upstream plus the patch
# series in third_party/patches, and checks that it is byte for byte third_party/compute.
#
#   bash third_party/apply-patches.sh              # check (exit 0: identical)
#   bash third_party/apply-patches.sh --regen DIR  # write the patched tree to DIR instead
#
# Pristine v0.1.3 comes from the Go module cache (downloaded with `go mod download` when
# missing; the module proxy checks it against the checksum database). Patches are applied
# in file-name order with `patch -p1 --forward --fuzz=0`, so any patch that no longer
# applies exactly fails here. See third_party/README.md.
set -euo pipefail

MODULE=github.com/gomlx/compute
VERSION=v0.1.3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
patches="$here/patches"
fork="$here/compute"

die() {
	echo "apply-patches: $*" >&2
	exit 1
}

regen=""
while [ $# -gt 0 ]; do
	case "$1" in
	--regen)
		[ $# -ge 2 ] || die "--regen needs a directory"
		regen=$2
		shift 2
		;;
	-h | --help)
		sed -n '2,10p' "$0"
		exit 0
		;;
	*) die "unknown argument: $1 (usage: $0 [--regen DIR])" ;;
	esac
done

if ! command -v patch >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
	apt-get install -y -qq patch >/dev/null 2>&1 || true
fi
command -v patch >/dev/null || die "patch(1) not found (Debian package patch)"
GO=${GO:-go}
if ! command -v "$GO" >/dev/null && [ -x /usr/local/go/bin/go ]; then
	GO=/usr/local/go/bin/go
fi
command -v "$GO" >/dev/null || die "go not found (set GO=/path/to/go)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/erg-compute.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# Locate (download if needed) pristine upstream. Run outside any module so that erg's
# go.mod (and its replace directive) play no part.
json=$(cd "$tmp" && GOFLAGS=-mod=mod GO111MODULE=on "$GO" mod download -json "$MODULE@$VERSION") ||
	die "go mod download $MODULE@$VERSION failed"
src=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
[ -n "$src" ] && [ -d "$src" ] || die "no module directory for $MODULE@$VERSION in: $json"

tree="$tmp/compute"
cp -R "$src" "$tree"
chmod -R u+w "$tree" # the module cache is read-only

shopt -s nullglob
series=("$patches"/[0-9][0-9][0-9][0-9]-*.patch)
[ ${#series[@]} -gt 0 ] || die "no patches in $patches"
for p in "${series[@]}"; do
	if ! out=$(cd "$tree" && patch -p1 --forward --fuzz=0 --no-backup-if-mismatch -s <"$p" 2>&1); then
		printf '%s\n' "$out" >&2
		die "$(basename "$p") does not apply cleanly to $MODULE@$VERSION plus the patches before it"
	fi
	# patch(1) keeps rejects next to the files; none may be left.
	if [ -n "$(find "$tree" -name '*.rej' -o -name '*.orig' | head -1)" ]; then
		die "$(basename "$p") left .rej/.orig files"
	fi
done

if [ -n "$regen" ]; then
	mkdir -p "$regen"
	cp -R "$tree"/. "$regen"/
	echo "apply-patches: wrote $MODULE@$VERSION + ${#series[@]} patches to $regen"
	exit 0
fi

if ! diff -r "$tree" "$fork" >"$tmp/diff.txt" 2>&1; then
	sed "s|$tree|<pristine+patches>|g; s|$fork|third_party/compute|g" "$tmp/diff.txt" | head -200 >&2
	die "third_party/compute differs from $MODULE@$VERSION + third_party/patches (see above).
Either turn the change into a patch (bash $0 --regen DIR gives the patched tree to diff
against) or restore the file."
fi
echo "apply-patches: third_party/compute == $MODULE@$VERSION + ${#series[@]} patches"
