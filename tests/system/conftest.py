# SPDX-License-Identifier: GPL-2.0-only
"""Boots Vireo in QEMU for system tests and drives its shell with pexpect.

Every wait has a timeout; a failing test leaves the whole console transcript in
build/test-logs/<test name>.log.
"""
import os
import re
import shlex
import subprocess

import pexpect
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
IMAGE = os.path.join(ROOT, "build", "riscv64", "vireo.bin")
LOG_DIR = os.path.join(ROOT, "build", "test-logs")
PROMPT = "vireo> "
BOOT_TIMEOUT = 90  # seconds; generous because CI machines are slow and shared
CMD_TIMEOUT = 60
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Vireo:
    """One QEMU machine running Vireo, with helpers to talk to its shell."""

    def __init__(self, name, smp=2, mem="1G", machine="virt", extra=(), append=None):
        os.makedirs(LOG_DIR, exist_ok=True)
        cmd = ["qemu-system-riscv64", "-M", machine, "-smp", str(smp), "-m", mem,
               "-nographic", "-bios", "default", "-kernel", IMAGE]
        if append is not None:
            cmd += ["-append", append]
        cmd += list(extra)
        self.command = " ".join(shlex.quote(c) for c in cmd)
        self.log = open(os.path.join(LOG_DIR, name + ".log"), "w", encoding="utf-8")
        self.log.write("$ " + self.command + "\n")
        self.p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                               timeout=CMD_TIMEOUT, dimensions=(50, 200))
        self.p.logfile_read = self.log

    def expect(self, pattern, timeout=CMD_TIMEOUT):
        return self.p.expect(pattern, timeout=timeout)

    def wait_prompt(self, timeout=BOOT_TIMEOUT):
        self.p.expect_exact(PROMPT, timeout=timeout)
        return self.p.before

    def run(self, command, timeout=CMD_TIMEOUT):
        """Types a command, returns what it printed (without echo and prompt)."""
        self.p.send(command + "\r")
        self.p.expect_exact(command, timeout=timeout)
        self.p.expect_exact(PROMPT, timeout=timeout)
        return ANSI.sub("", self.p.before).replace("\r", "").strip("\n")

    def wait_exit(self, timeout=CMD_TIMEOUT):
        self.p.expect(pexpect.EOF, timeout=timeout)
        self.p.close()
        return self.p.exitstatus

    def close(self):
        if self.p.isalive():
            self.p.terminate(force=True)
        self.log.close()


@pytest.fixture
def vireo_factory(request):
    machines = []

    def start(**kwargs):
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
        if machines:
            name += "-%d" % len(machines)
        m = Vireo(name, **kwargs)
        machines.append(m)
        return m

    yield start
    for m in machines:
        m.close()


@pytest.fixture
def vireo(vireo_factory):
    """A machine booted to the prompt with the default `make run` configuration."""
    m = vireo_factory()
    m.wait_prompt()
    return m


def pytest_sessionstart(session):
    if not os.path.exists(IMAGE):
        raise pytest.UsageError("build/riscv64/vireo.bin is missing: run `make` first")


def git_rev():
    try:
        return subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                       text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
