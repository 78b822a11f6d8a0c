# SPDX-License-Identifier: GPL-2.0-only
# The riscv64 Linux guest kernel (docs/linux-guest.md): Debian's linux-source-6.1 with the
# fragment guests/linux/linux.config, built and cached outside the tree by
# scripts/build-linux.sh, which copies it to build/linux/Image. Included from the top-level
# Makefile. The script decides whether anything needs building, so the target is phony.

.PHONY: guest-linux
guest-linux: deps
	@scripts/build-linux.sh
