#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds Vireo's riscv64 Linux guest kernel (docs/linux-guest.md) into build/linux/Image.
#
# The kernel is Debian's linux-source-6.1, configured as `allnoconfig` plus the fragment
# guests/linux/linux.config, built out of tree in a cache outside this checkout:
#   ~/.cache/vireo/linux-src-6.1     the unpacked source (once)
#   ~/.cache/vireo/linux-<hash>      one build per fragment; <hash> is the first 16 hex digits
#                                    of sha256(fragment + source tarball name)
# A build that already finished is reused as it is. Installs nothing: the packages come from
# scripts/install-deps.sh. Knobs (environment): CROSS_COMPILE, VIREO_CACHE, JOBS.
set -euo pipefail

cd "$(dirname "$0")/.."
top=$PWD

fragment=$top/guests/linux/linux.config
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${VIREO_CACHE:-$HOME/.cache/vireo}
src=$cache/linux-src-6.1
out_dir=$top/build/linux
cross=${CROSS_COMPILE:-riscv64-linux-gnu-}
jobs=${JOBS:-$(nproc)}

say() { echo "build-linux: $*"; }
die() { echo "build-linux: $*" >&2; exit 1; }

[ -f "$fragment" ] || die "missing $fragment"
[ -f "$tarball" ] || die "missing $tarball (Debian package linux-source-6.1; run scripts/install-deps.sh)"
for tool in "${cross}gcc" flex bison bc make tar xz; do
	command -v "$tool" >/dev/null || die "missing $tool (run scripts/install-deps.sh)"
done

hash=$({ cat "$fragment"; basename "$tarball"; } | sha256sum | cut -c1-16)
obj=$cache/linux-$hash
image=$obj/arch/riscv/boot/Image
stamp=$obj/.vireo-built

mkdir -p "$cache"
# One builder at a time per cache (a second `make -j` run would wait here, then reuse).
exec 9>"$cache/.lock"
flock 9

install_image() {
	mkdir -p "$out_dir"
	cp "$image" "$out_dir/Image.tmp"
	mv "$out_dir/Image.tmp" "$out_dir/Image"
	say "build/linux/Image ($(stat -c %s "$out_dir/Image") bytes) from $obj"
}

if [ -f "$stamp" ] && [ -f "$image" ]; then
	say "using the cached kernel linux-$hash (fragment unchanged; no build)"
	install_image
	exit 0
fi

# ---- the source, unpacked once (into a temporary directory, renamed when complete) ----------
if [ ! -f "$src/.vireo-unpacked" ]; then
	say "unpacking $tarball into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" --strip-components=1 -C "$src.tmp"
	touch "$src.tmp/.vireo-unpacked"
	mv "$src.tmp" "$src"
fi

kmake() { make --no-print-directory -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE="$cross" "$@"; }

# ---- configure: allnoconfig with the fragment forced in, then olddefconfig -------------------
say "configuring linux-$hash (allnoconfig + guests/linux/linux.config)"
rm -rf "$obj"
mkdir -p "$obj"
KCONFIG_ALLCONFIG="$fragment" kmake -s allnoconfig >/dev/null
kmake -s olddefconfig >/dev/null

# Every option the fragment sets (or unsets) must have stuck.
lost=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) sym=${line%%=*} ;;
	"# CONFIG_"*" is not set") sym=${line#\# } sym=${sym%% *} ;;
	*) continue ;;
	esac
	if ! grep -qxF "$line" "$obj/.config"; then
		# An unset option may also be absent altogether (its dependencies are off).
		case "$line" in "# "*) grep -qE "^(# )?${sym}[= ]" "$obj/.config" || continue ;; esac
		got=$(grep -E "^(# )?${sym}[= ]" "$obj/.config" || echo "absent")
		echo "build-linux: fragment asks for '$line', .config has: $got" >&2
		lost=1
	fi
done <"$fragment"
[ "$lost" -eq 0 ] || die "some fragment options did not stick (missing dependency?); fix $fragment"

# ---- build: make's own output, one line per ~100 objects; the full log stays in the cache ----
say "building Image with make -j$jobs (log: $obj/build.log)"
start=$(date +%s)
set +e
kmake -j"$jobs" Image 2>&1 | tee "$obj/build.log" | awk -v start="$start" '
	/^  [A-Z]/ { n++; if (n % 100 == 0) { printf "build-linux: %5d steps, %3ds, %s\n", n, systime() - start, $0; fflush() } ; next }
	{ print; fflush() }'
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || die "kernel build failed (exit $status); see $obj/build.log"
[ -f "$image" ] || die "build finished but $image is missing"
say "built in $(($(date +%s) - start))s"
touch "$stamp"

install_image
