# SPDX-License-Identifier: GPL-2.0-only
"""The test kit (guests/testkit) booted bare on QEMU + OpenSBI: every test it runs passes and
it powers QEMU off. The same binary later runs as a Vireo guest; this proves the kit itself
against the reference firmware first."""
import os
import re
import shlex

import pexpect
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TESTKIT = os.path.join(ROOT, "build", "testkit", "testkit.bin")
LOG_DIR = os.path.join(ROOT, "build", "test-logs")
START_TIMEOUT = 60  # seconds from QEMU start to the banner
RUN_TIMEOUT = 120   # the whole run; a bare run takes about a second

# Stable test names, in the order the kit runs them (guests/testkit/README.md).
TESTS = ["sbi_base", "sbi_time", "wfi_wakeup", "sbi_hsm", "sbi_ipi", "sbi_rfence", "sbi_dbcn",
         "access_fault", "fp", "umode", "memory"]
TEST_LINE = re.compile(r"^TEST (\S+) (PASS|FAIL|SKIP)(?: (.*))?$")


class KitMachine:
    """One QEMU machine running the test kit directly on OpenSBI."""

    def __init__(self, name, smp, mem="128M", extra=()):
        os.makedirs(LOG_DIR, exist_ok=True)
        cmd = ["qemu-system-riscv64", "-M", "virt", "-smp", str(smp), "-m", mem, "-nographic",
               "-bios", "default", "-kernel", TESTKIT] + list(extra)
        self.log = open(os.path.join(LOG_DIR, name + ".log"), "w", encoding="utf-8")
        self.log.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        self.p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                               timeout=RUN_TIMEOUT)
        self.p.logfile_read = self.log

    def run(self):
        """Waits for the whole run; returns (boot hart, output lines, summary, exit status)."""
        self.p.expect(r"TESTKIT START hart=(\d+)\r*\n", timeout=START_TIMEOUT)
        hart = int(self.p.match.group(1))
        self.p.expect(r"TESTKIT DONE passed=(\d+) failed=(\d+) skipped=(\d+)\r*\n",
                      timeout=RUN_TIMEOUT)
        lines = self.p.before.replace("\r", "").split("\n")
        summary = tuple(int(g) for g in self.p.match.groups())
        self.p.expect(pexpect.EOF, timeout=60)
        self.p.close()
        return hart, lines, summary, self.p.exitstatus

    def close(self):
        if self.p.isalive():
            self.p.terminate(force=True)
        self.log.close()


@pytest.fixture
def testkit_factory(request):
    if not os.path.exists(TESTKIT):
        pytest.fail("build/testkit/testkit.bin is missing: run `make testkit` first")
    machines = []

    def start(**kwargs):
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
        m = KitMachine(name + ("-%d" % len(machines) if machines else ""), **kwargs)
        machines.append(m)
        return m

    yield start
    for m in machines:
        m.close()


def allowed_skips(smp):
    # OpenSBI 1.1 (QEMU 7.2) implements SBI v1.0, which has no DBCN; one hart has no IPI peer.
    skips = {"sbi_dbcn": "DBCN extension not present"}
    if smp == 1:
        skips["sbi_ipi"] = "one hart: no other hart to interrupt"
    return skips


@pytest.mark.parametrize("smp,extra", [
    (1, []),
    (4, []),
    (2, ["-cpu", "rv64,sstc=false"]),
])
def test_testkit_passes_bare_on_opensbi(testkit_factory, smp, extra):
    m = testkit_factory(smp=smp, extra=extra)
    hart, lines, (passed, failed, skipped), status = m.run()
    out = "\n".join(lines)
    assert 0 <= hart < smp
    assert "TESTKIT PANIC" not in out, out

    results = [TEST_LINE.match(l).groups() for l in lines if l.startswith("TEST ")]
    assert [name for name, _, _ in results] == TESTS, out
    skips = allowed_skips(smp)
    for name, verdict, reason in results:
        if verdict == "SKIP":
            assert skips.get(name) == reason, "unexpected SKIP of %s: %s" % (name, reason)
        else:
            assert verdict == "PASS", "%s %s %s" % (name, verdict, reason)

    assert failed == 0
    assert passed == sum(1 for _, v, _ in results if v == "PASS")
    assert skipped == sum(1 for _, v, _ in results if v == "SKIP")
    assert passed + skipped == len(TESTS)

    assert re.search(r"^INFO platform .* harts=%d:" % smp, out, re.M), out
    if smp > 1:
        assert "INFO sbi_hsm %d other harts started, ran and stopped" % (smp - 1) in out
        assert ("INFO sbi_ipi %d other harts took IPIs by hart mask and by broadcast" %
                (smp - 1)) in out
    # 128 MiB of RAM: everything above the ~300 KiB image except the top 2 MiB is checked.
    mib = re.search(r"^INFO memory checked (\d+) MiB", out, re.M)
    assert mib and int(mib.group(1)) >= 120, out

    # The kit shuts down through SBI SRST and QEMU exits cleanly.
    assert status == 0
