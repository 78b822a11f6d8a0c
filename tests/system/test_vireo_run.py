# SPDX-License-Identifier: GPL-2.0-only
"""tools/vireo-run: one image as a guest, console on the terminal, exit status of the guest."""
import os

import pexpect

from bundle import ROOT, TESTKIT

VIREO_RUN = os.path.join(ROOT, "tools", "vireo-run")


def run(args, timeout=180):
    child = pexpect.spawn(VIREO_RUN, args, encoding="utf-8", codec_errors="replace",
                          timeout=timeout)
    out = child.read()  # until EOF; raises TIMEOUT after `timeout` seconds
    child.close()
    return child.exitstatus, out.replace("\r", "")


def test_clean_guest_shutdown_exits_zero():
    status, out = run(["--kernel", TESTKIT, "--smp", "2", "--mem", "64M"])
    assert "TESTKIT DONE passed=11 failed=0 skipped=0" in out, out
    assert status == 0


def test_guest_stopped_by_vireo_exits_one(tmp_path):
    kernel = tmp_path / "zeros.bin"
    kernel.write_bytes(bytes(4096))  # an illegal instruction, and no trap vector
    status, out = run(["--kernel", str(kernel)])
    assert "exception 1 at its own trap vector 0x0" in out, out
    assert status == 1


def test_usage_errors_exit_two():
    status, out = run([])
    assert "vireo-run: --kernel is required" in out and status == 2
    status, out = run(["--kernel", TESTKIT, "--mem", "3M"])
    assert "--mem must be a multiple of 2M" in out and status == 2
    status, out = run(["--kernel", "/nonexistent"])
    assert "cannot read '/nonexistent'" in out and status == 2


def test_help_documents_every_option():
    status, out = run(["--help"])
    assert status == 0
    for option in ["--kernel", "--initrd", "--append", "--dtb", "--smp", "--mem", "--host-smp",
                   "--host-mem", "-- extra QEMU arguments"]:
        assert option in out, option
