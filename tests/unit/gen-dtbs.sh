#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Dumps QEMU virt device trees for the FDT unit test: one DTB per machine variant, so the reader
# is checked against what QEMU really generates (CPU counts, memory sizes, PLIC vs AIA, no H).
# Usage: gen-dtbs.sh [OUTDIR]   (default build/host/dtb). Existing DTBs are kept.
set -eu
out=${1:-build/host/dtb}
qemu=${QEMU:-qemu-system-riscv64}
mkdir -p "$out"

# name|machine options|other QEMU options
variants=(
	"virt||"
	"virt-smp1||-smp 1"
	"virt-smp2||-smp 2"
	"virt-smp4||-smp 4"
	"virt-smp8||-smp 8"
	"virt-m256M||-m 256M"
	"virt-m1G||-m 1G"
	"virt-m3G||-m 3G"
	"virt-aplic|,aia=aplic|-smp 2"
	"virt-aplic-imsic|,aia=aplic-imsic|-smp 2"
	"virt-aplic-imsic-guests2|,aia=aplic-imsic,aia-guests=2|-smp 4"
	"virt-noh||-cpu rv64,h=false"
)

for v in "${variants[@]}"; do
	IFS='|' read -r name mopts extra <<<"$v"
	dtb="$out/$name.dtb"
	[ -s "$dtb" ] && continue
	# QEMU writes the DTB and exits as soon as the machine is built (dumpdtb=).
	# shellcheck disable=SC2086
	"$qemu" -M "virt$mopts,dumpdtb=$dtb.tmp" $extra -nographic </dev/null >/dev/null
	mv "$dtb.tmp" "$dtb"
done
