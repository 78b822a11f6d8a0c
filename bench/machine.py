# SPDX-License-Identifier: GPL-2.0-only
"""One QEMU run for the benchmarks beyond the microbenchmarks (bench/linux_boot.py,
bench/footprint.py, bench/scale.py): the serial console on a pipe, optional QMP on a Unix
socket, a deadline on every wait, SIGKILL at the end (an idle Vireo under icount can ignore
SIGTERM), and the whole console output in a log file."""
import json
import os
import select
import shlex
import signal
import socket
import subprocess
import tempfile
import time

QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
DETERMINISM = ["-rtc", "clock=vm,base=2020-01-01", "-seed", "1"]
QMP_TIMEOUT = 30  # seconds for one QMP answer


class BenchError(Exception):
    """A run that did not reach what it waited for; the message names the log."""


def progress(text, end="\n"):
    print("bench: " + text, end=end, flush=True)


class Machine:
    """QEMU started now; wait_for() finds console text in order, qmp() talks to the monitor."""

    def __init__(self, command, log, qmp=False):
        self.sock_dir = tempfile.mkdtemp(prefix="vireo-bench-") if qmp else None
        self.command = list(command)
        if qmp:
            self.sock_path = os.path.join(self.sock_dir, "qmp.sock")
            self.command += ["-qmp", "unix:%s,server=on,wait=off" % self.sock_path]
        self.log = log
        self.out = bytearray()
        self.pos = 0  # wait_for() searches from here: markers are found in order
        self.qmp_file = None
        self.killed = False
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)

    def elapsed(self):
        return time.monotonic() - self.t0

    def _read(self, until):
        """Reads what QEMU printed, waiting at most until the monotonic time `until`; False at
        the deadline, raises if QEMU exited."""
        left = until - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([self.p.stdout], [], [], left)
        if not ready:
            return False
        data = os.read(self.p.stdout.fileno(), 65536)
        if not data:
            raise BenchError("QEMU exited (status %s) while waiting; log %s%s" % (
                self.p.wait(), self.log, self.tail()))
        self.out += data
        return True

    def wait_for(self, text, timeout):
        """Waits until `text` appears after the last match; returns seconds since QEMU
        started, measured when the text was read from the pipe."""
        needle = text.encode()
        until = time.monotonic() + timeout
        while True:
            i = self.out.find(needle, self.pos)
            if i >= 0:
                self.pos = i + len(needle)
                return self.elapsed()
            if not self._read(until):
                self.kill()
                raise BenchError("no %r within %d s (QEMU killed); log %s%s" % (
                    text, timeout, self.log, self.tail()))

    def output_since(self, start, end=None):
        return self.out[start:end].decode("utf-8", "replace").replace("\r", "")

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def shell(self, command, timeout=60, prompt="vireo> "):
        """Types a Vireo shell command; returns what it printed, without echo and prompt."""
        self.send(command + "\r")
        self.wait_for(command, timeout)
        start = self.pos
        self.wait_for(prompt, timeout)
        return self.output_since(start)[:-len(prompt)].strip("\n")

    def qmp(self, command, **arguments):
        if self.qmp_file is None:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(QMP_TIMEOUT)
            until = time.monotonic() + 10
            while True:
                try:
                    s.connect(self.sock_path)
                    break
                except OSError:
                    if time.monotonic() > until:
                        raise BenchError("no QMP socket from QEMU; log %s" % self.log)
                    time.sleep(0.01)
            self.qmp_file = s.makefile("rw", encoding="utf-8")
            try:
                self.qmp_file.readline()  # the greeting
            except OSError as e:
                self.kill()
                raise BenchError("QMP greeting: %s (QEMU killed); log %s" % (e, self.log))
            self.qmp("qmp_capabilities")
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        try:
            self.qmp_file.write(json.dumps(msg) + "\n")
            self.qmp_file.flush()
            return self._qmp_reply(command)
        except OSError as e:  # socket.timeout included
            self.kill()
            raise BenchError("QMP %s: %s (QEMU killed); log %s" % (command, e, self.log))

    def _qmp_reply(self, command):
        while True:
            line = self.qmp_file.readline()
            if not line:
                raise BenchError("QMP %s: QEMU closed the socket; log %s" % (command, self.log))
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise BenchError("QMP %s: %s" % (command, reply["error"]))
            # anything else is an asynchronous event: skip it

    def icount(self):
        """Instructions executed so far (QMP query-replay: QEMU's raw icount, without the
        idle-time warps of the virtual clock). Only meaningful with -icount."""
        return self.qmp("query-replay")["icount"]

    def tail(self, lines=15):
        text = self.out.decode("utf-8", "replace").replace("\r", "")
        return "; last lines:\n" + "\n".join(text.splitlines()[-lines:])

    def kill(self):
        """Ends QEMU and writes the log; later calls do nothing."""
        if self.killed:
            return
        self.killed = True
        if self.p.poll() is None:
            os.kill(self.p.pid, signal.SIGKILL)
        self.p.wait()
        if self.qmp_file is not None:
            self.qmp_file.close()
            self.qmp_file = None
        if self.sock_dir:
            try:
                os.unlink(self.sock_path)
            except FileNotFoundError:
                pass
            os.rmdir(self.sock_dir)
            self.sock_dir = None
        # Whatever is still in the pipe belongs in the log.
        while True:
            ready, _, _ = select.select([self.p.stdout], [], [], 0)
            data = os.read(self.p.stdout.fileno(), 65536) if ready else b""
            if not data:
                break
            self.out += data
        self.p.stdout.close()
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        with open(self.log, "w", encoding="utf-8") as f:
            f.write("$ " + " ".join(shlex.quote(c) for c in self.command) + "\n")
            f.write(self.out.decode("utf-8", "replace"))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False
