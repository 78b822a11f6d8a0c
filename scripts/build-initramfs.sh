#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the Linux guest's initramfs (docs/linux-guest.md) into build/linux/initramfs.cpio:
# our static init (guests/linux/init/*.c) and the files named in guests/linux/initramfs.list,
# packed as a newc cpio by the kernel's own usr/gen_init_cpio, which can create /dev/console
# without root.
#
# Cached like the kernel, outside the checkout:
#   ~/.cache/vireo/gen_init_cpio        the packer, compiled once from the kernel source
#   ~/.cache/vireo/initramfs-<hash>/    init and initramfs.cpio; <hash> is the first 16 hex
#                                       digits of sha256 over the init sources, the list, the
#                                       files it packs, this script and the compiler version
# Independent of the kernel build: changing the init never rebuilds the kernel. Installs
# nothing (scripts/install-deps.sh does). Knobs (environment): CROSS_COMPILE, HOSTCC, VIREO_CACHE.
set -euo pipefail

cd "$(dirname "$0")/.."
top=$PWD

guest=$top/guests/linux
init_dir=$guest/init
list=$guest/initramfs.list
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${VIREO_CACHE:-$HOME/.cache/vireo}
src=$cache/linux-src-6.1
out_dir=$top/build/linux
cross=${CROSS_COMPILE:-riscv64-linux-gnu-}
hostcc=${HOSTCC:-gcc}

# The init is PID 1: static (nothing to load it with), and warnings are errors.
cflags=(-static -Os -g0 -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wvla -Wstrict-prototypes
	-Wmissing-prototypes -Wformat=2 -Wundef -Wpointer-arith -Wcast-qual -Wwrite-strings
	-Wimplicit-fallthrough)

say() { echo "build-initramfs: $*"; }
die() { echo "build-initramfs: $*" >&2; exit 1; }

for tool in "${cross}gcc" "$hostcc" sha256sum; do
	command -v "$tool" >/dev/null || die "missing $tool (run scripts/install-deps.sh)"
done
[ -f "$list" ] || die "missing $list"

sources=$(cd "$init_dir" && ls -1 ./*.c ./*.h | sort)
hash=$({
	for f in $sources; do echo "$f"; cat "$init_dir/$f"; done
	cat "$list" "$guest/motd" "$0"
	echo "${cflags[*]}"
	"${cross}gcc" -dumpfullversion -dumpmachine
} | sha256sum | cut -c1-16)
obj=$cache/initramfs-$hash
cpio=$obj/initramfs.cpio
stamp=$obj/.vireo-built

mkdir -p "$cache"
exec 9>"$cache/.lock-initramfs"
flock 9

install_cpio() {
	mkdir -p "$out_dir"
	cp "$cpio" "$out_dir/initramfs.cpio.tmp"
	mv "$out_dir/initramfs.cpio.tmp" "$out_dir/initramfs.cpio"
	cp "$obj/init" "$out_dir/init.tmp"
	mv "$out_dir/init.tmp" "$out_dir/init"
	say "build/linux/initramfs.cpio ($(stat -c %s "$out_dir/initramfs.cpio") bytes) from $obj"
}

if [ -f "$stamp" ] && [ -f "$cpio" ]; then
	say "using the cached initramfs-$hash (init sources and list unchanged; no build)"
	install_cpio
	exit 0
fi

# ---- the packer: the kernel's gen_init_cpio, a single host C file ------------------------
packer=$cache/gen_init_cpio
if [ ! -x "$packer" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if [ -f "$src/usr/gen_init_cpio.c" ]; then
		cp "$src/usr/gen_init_cpio.c" "$tmp/"
	else
		[ -f "$tarball" ] || die "missing $tarball (Debian package linux-source-6.1)"
		say "extracting usr/gen_init_cpio.c from $tarball"
		tar -xJf "$tarball" -C "$tmp" --strip-components=2 linux-source-6.1/usr/gen_init_cpio.c
	fi
	say "compiling the packer $packer"
	"$hostcc" -O2 -o "$packer.tmp" "$tmp/gen_init_cpio.c"
	mv "$packer.tmp" "$packer"
fi

# ---- init, then the archive (both in a temporary directory, renamed when complete) --------
start=$(date +%s.%N)
rm -rf "$obj" "$obj.tmp"
mkdir -p "$obj.tmp"
c_sources=$(echo "$sources" | grep '\.c$')
say "compiling init from guests/linux/init/ ($(echo $c_sources | sed 's|\./||g'))"
(cd "$init_dir" && "${cross}gcc" "${cflags[@]}" $c_sources -o "$obj.tmp/init")
say "packing initramfs-$hash from guests/linux/initramfs.list"
VIREO_INIT=$obj.tmp/init VIREO_GUEST=$guest "$packer" "$list" >"$obj.tmp/initramfs.cpio"
touch "$obj.tmp/.vireo-built"
mv "$obj.tmp" "$obj"
say "built in $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)")s"

install_cpio
