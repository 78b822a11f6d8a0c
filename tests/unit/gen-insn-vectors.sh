#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Test vectors for the load/store decoder (test_insn): a list of instructions assembled by the
# GNU assembler and disassembled by objdump, one "ENCODING MNEMONIC OPERANDS" line each, e.g.
#   ff852283 lw x5,-8(x10)
#   40c0 c.lw x8,4(x9)
# Every RV64GC load/store form with many registers and offsets, then instructions that are
# not plain loads/stores (AMOs, vector, Zfh, Q, H, other opcodes). The test re-encodes the
# load/stores with its own encoder and checks the decoder on all of them.
# Usage: gen-insn-vectors.sh [OUTFILE]   (default build/host/insn-vectors.txt)
set -eu
out=${1:-build/host/insn-vectors.txt}
cross=${CROSS_COMPILE:-riscv64-linux-gnu-}
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{
	echo ".option norvc"
	# 32-bit forms: every register, a base register that moves with it, offsets at the
	# edges of the 12-bit immediate and in between.
	for mn in lb lh lw ld lbu lhu lwu flw fld sb sh sw sd fsw fsd; do
		p=x
		case $mn in f*) p=f ;; esac
		for r in $(seq 0 31); do
			base=$(((r * 5 + 3) % 32))
			for off in 0 1 -1 4 -4 8 -8 256 1365 -1366 2047 -2048; do
				echo "$mn $p$r, $off(x$base)"
			done
		done
	done

	echo ".option rvc"
	# CL/CS forms: every rd'/rs2' with every rs1', every offset.
	for spec in c.lw:x:4 c.sw:x:4 c.ld:x:8 c.sd:x:8 c.fld:f:8 c.fsd:f:8; do
		IFS=: read -r mn p scale <<<"$spec"
		for r in $(seq 8 15); do
			for base in $(seq 8 15); do
				for i in $(seq 0 31); do
					echo "$mn $p$r, $((i * scale))(x$base)"
				done
			done
		done
	done
	# CI/CSS forms (base sp): every register, every offset. rd = x0 is reserved for
	# C.LWSP/C.LDSP and refused by the assembler.
	for spec in c.lwsp:x:4:1 c.ldsp:x:8:1 c.fldsp:f:8:0 c.swsp:x:4:0 c.sdsp:x:8:0 \
		c.fsdsp:f:8:0; do
		IFS=: read -r mn p scale first <<<"$spec"
		for r in $(seq "$first" 31); do
			for i in $(seq 0 63); do
				echo "$mn $p$r, $((i * scale))(sp)"
			done
		done
	done

	# Not plain loads/stores.
	cat <<-'EOF'
		.option norvc
		lr.w x1, (x2)
		lr.d.aq x3, (x4)
		sc.w x5, x6, (x7)
		sc.d.rl x8, x9, (x10)
		amoadd.w x1, x2, (x3)
		amoswap.d.aqrl x4, x5, (x6)
		amoor.w x7, x8, (x9)
		amomaxu.d x10, x11, (x12)
		addi x1, x2, 3
		lui x5, 0x12345
		auipc x6, 1
		jalr x1, 8(x2)
		mul x1, x2, x3
		addiw x1, x1, -1
		csrrw x1, 0x140, x2
		fence rw, rw
		fence.i
		ecall
		ebreak
		wfi
		sfence.vma x0, x0
		fadd.d f1, f2, f3
		fmv.x.d x1, f2
		.option arch, +v
		vle32.v v1, (x2)
		vse8.v v3, (x4)
		vlse64.v v1, (x2), x3
		vluxei32.v v1, (x2), v3
		vl1re8.v v2, (x5)
		vs1r.v v2, (x5)
		.option arch, +zfh
		flh f1, 2(x3)
		fsh f4, -2(x5)
		.option arch, +q
		flq f1, 16(x2)
		fsq f3, -16(x4)
		.option arch, +h
		hlv.w x1, (x2)
		hlv.bu x3, (x4)
		hlvx.hu x5, (x6)
		hsv.d x7, (x8)
		.option arch, +zicbom
		cbo.clean (x1)
		.option arch, +zicbop
		prefetch.r 64(x1)
		.option rvc
		c.addi4spn x8, x2, 16
		c.nop
		c.addi x1, 1
		c.addiw x2, -1
		c.li x3, 5
		c.lui x4, 1
		c.slli x5, 3
		c.mv x6, x7
		c.add x8, x9
		c.jr x1
		c.jalr x2
		c.ebreak
		c.subw x8, x9
		c.and x10, x11
	EOF
} >"$tmp/vectors.s"

"${cross}as" -march=rv64gc -o "$tmp/vectors.o" "$tmp/vectors.s"
# "   c:	40c0                	c.lw	x8,4(x9)" -> "40c0 c.lw x8,4(x9)"
"${cross}objdump" -d -M no-aliases,numeric "$tmp/vectors.o" |
	awk -F'\t' '/^ *[0-9a-f]+:\t/ {
		enc = $2; gsub(/ /, "", enc)
		printf "%s %s %s\n", enc, $3, $4
	}' >"$tmp/vectors.txt"
mv "$tmp/vectors.txt" "$out"
