#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages Vireo's build, `make run` and `make test` need.
# Idempotent and silent when everything is present; run by the Makefile.
set -euo pipefail

packages=(
	make gcc libc6-dev
	gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
	qemu-system-misc opensbi
	device-tree-compiler libfdt-dev
	libcmocka-dev
	python3 python3-pytest python3-pexpect
	clang-format
	clang-14 libclang-rt-14-dev
	gnuplot-nox
	cpio
	linux-source-6.1 flex bison bc libssl-dev xz-utils
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
