#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench-profile: where the instructions of one microbenchmark go under Vireo.

Runs the bench guest under Vireo with icount (one host hart, like make bench) and QEMU's
translation-block trace (-d exec,nochain,in_asm: every executed block with its guest pc, and
each block's instructions once, with the privilege level and virtualization mode it was
translated for). The measured window is the benchmark's own: from the first call to the test
kit's bench_read() after the benchmark function starts to the next call (its end reading).
Every block executed in that window is charged to the function holding its first instruction
(Vireo's symbols for HS-mode code, the test kit's for the guest, "firmware" for M-mode), and the
totals are divided by the benchmark's iteration count from its BENCH line.

Prints a table (instructions per iteration by function and level) and, with --path, the
sequence of functions of the window's last iteration (one exit, entry to entry). A block cut
short by a trap is charged in full, so the guest's trapping load block counts a few
instructions too many; totals still land within a handful of the BENCH figure.

Usage: bench/profile.py [--bench mmio_read] [--no-sstc] [--path] [--keep-log]
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

NM = os.environ.get("NM", "riscv64-linux-gnu-nm")
TESTKIT_ELF = os.path.join(ROOT, "build", "testkit", "testkit.elf")
VIREO_ELF = os.path.join(ROOT, "build", "riscv64", "vireo.elf")
TRACE = re.compile(rb"^Trace \d+: (0x[0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/")
INSN = re.compile(rb"^0x([0-9a-f]+):")
MODE = re.compile(rb"^Priv: (\d+); Virt: (\d+)")
# Benchmarks that bracket their measured loop with two bench_read() calls (the timer ones
# measure each interrupt on its own and have no such window). stage2_fault's window is its
# first-touch pass.
WINDOWED = ["sbi_probe", "mmio_read", "ipi_rtt", "vcpu_switch", "stage2_fault", "blk_read"]


class Symbols:
    """Function names by address from an ELF's symbol table."""

    def __init__(self, elf):
        out = subprocess.run([NM, "-n", elf], capture_output=True, text=True, check=True).stdout
        self.addrs, self.names = [], []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                self.addrs.append(int(parts[0], 16))
                self.names.append(parts[2])
        self.by_name = dict(zip(self.names, self.addrs))

    def name(self, addr):
        i = bisect.bisect_right(self.addrs, addr) - 1
        return self.names[i] if i >= 0 else "0x%x" % addr


def run_traced(bench_name, sstc, log, timeout):
    """Runs Vireo with the bench guest until its BENCH line for bench_name; returns the line."""
    work = os.path.join(ROOT, "build", "bench", "profile")
    os.makedirs(work, exist_ok=True)
    disk = os.path.join(work, "disk.img")
    bench.disk_image(disk)
    cpio = bench.vireo_bundle(os.path.join(work, "vireo"), disk)
    cmd = bench.vireo_cmd(cpio, True, [] if sstc else bench.NO_SSTC)
    cmd += ["-d", "exec,nochain,in_asm", "-D", log]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    deadline, out = time.monotonic() + timeout, b""
    want = re.compile(rb"BENCH %s (.*)\r?\n" % re.escape(bench_name.encode()))
    try:
        while time.monotonic() < deadline:
            chunk = p.stdout.read1(4096)
            if not chunk:
                break
            out += chunk
            m = want.search(out)
            if m:
                return m.group(1).decode()
            if b"BENCH DONE" in out:
                break
        sys.exit("profile: no BENCH %s line (QEMU output ends: %r)" % (bench_name, out[-300:]))
    finally:
        # QEMU buffers its log: let it run on a moment (the window's end gets written out),
        # then ask it to exit so it flushes; SIGKILL only if it does not.
        time.sleep(1)
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def parse_trace(log, start_pc, mark_pc):
    """Executed blocks of the window: [(pc, level, n_insns)] after the first guest block at
    mark_pc that follows one at start_pc, up to the next guest block at mark_pc."""
    blocks = {}  # host code pointer -> (pc, level, n_insns), as last translated
    pending = None  # the IN: block read last, waiting for its first Trace line
    state = "before"  # before -> started (bench fn entered) -> window -> done
    window = []
    with open(log, "rb") as f:
        for line in f:
            if line.startswith(b"Trace "):
                m = TRACE.match(line)
                if not m:
                    continue
                ptr, pc = m.group(1), int(m.group(2), 16)
                if pending is not None:
                    blocks[ptr] = pending
                    pending = None
                info = blocks.get(ptr)
                if info is None:
                    continue
                guest = info[1] == "guest"
                if state == "before":
                    if guest and pc == start_pc:
                        state = "started"
                elif state == "started":
                    if guest and pc == mark_pc:
                        state = "window"
                elif state == "window":
                    if guest and pc == mark_pc:
                        return window
                    window.append(info)
            elif line.startswith(b"IN:"):
                pending = [None, None, 0]
            elif pending is not None and isinstance(pending, list):
                m = MODE.match(line)
                if m:
                    priv, virt = int(m.group(1)), int(m.group(2))
                    pending[1] = "firmware" if priv == 3 else ("guest" if virt else "vireo")
                    continue
                m = INSN.match(line)
                if m:
                    if pending[0] is None:
                        pending[0] = int(m.group(1), 16)
                    pending[2] += 1
                elif line.strip() == b"" and pending[0] is not None:
                    pending = tuple(pending)
    sys.exit("profile: the trace ends before the window closes (log %s)" % log)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", default="mmio_read",
                    help="benchmark name (mmio_read): one of " + ", ".join(WINDOWED))
    ap.add_argument("--no-sstc", action="store_true", help="run with -cpu rv64,sstc=off")
    ap.add_argument("--path", action="store_true",
                    help="also print the function sequence of the last iteration")
    ap.add_argument("--keep-log", action="store_true", help="keep the trace log")
    ap.add_argument("--timeout", type=int, default=300, help="seconds for the QEMU run (300)")
    args = ap.parse_args()
    for f in (TESTKIT_ELF, VIREO_ELF):
        if not os.path.exists(f):
            sys.exit("profile: %s is missing (make && make testkit)" % f)

    kit, vireo = Symbols(TESTKIT_ELF), Symbols(VIREO_ELF)
    fn = "bench_" + args.bench
    if args.bench not in WINDOWED:
        sys.exit("profile: %s has no bench_read() window; choose one of %s" %
                 (args.bench, ", ".join(WINDOWED)))
    if fn not in kit.by_name:
        sys.exit("profile: the test kit has no %s()" % fn)
    fd, log = tempfile.mkstemp(prefix="vireo-profile-", suffix=".log")
    os.close(fd)
    try:
        print("profile: tracing %s under Vireo (icount%s) ..." %
              (args.bench, ", no Sstc" if args.no_sstc else ""), flush=True)
        line = run_traced(args.bench, not args.no_sstc, log, args.timeout)
        fields = dict(kv.partition("=")[::2] for kv in line.split())
        iters = int(fields.get("iters", "0"))
        if iters <= 0:
            sys.exit("profile: BENCH line without iters: %s" % line)
        window = parse_trace(log, kit.by_name[fn], kit.by_name["bench_read"])
    finally:
        if args.keep_log:
            print("profile: trace kept in %s" % log)
        else:
            os.unlink(log)

    def label(pc, level):
        if level == "firmware":
            return "firmware", "(M-mode)"
        return level, (kit if level == "guest" else vireo).name(pc)

    per_fn = collections.Counter()
    for pc, level, n in window:
        per_fn[label(pc, level)] += n
    total = sum(per_fn.values())
    print("\nBENCH %s %s" % (args.bench, line))
    print("window: %d blocks, %d instructions, %d iterations: %.1f per iteration\n" %
          (len(window), total, iters, total / iters))
    print("| level | function | instructions per iteration | share |")
    print("|---|---|---:|---:|")
    for (level, name), n in per_fn.most_common():
        if n / iters < 0.5:
            continue
        print("| %s | %s | %.1f | %.0f%% |" % (level, name, n / iters, 100.0 * n / total))
    by_level = collections.Counter()
    for (level, _), n in per_fn.items():
        by_level[level] += n
    print("\nby level: " + ", ".join("%s %.1f" % (lv, n / iters)
                                     for lv, n in by_level.most_common()))
    if args.path:
        # The last iteration: from the last guest block back to the guest block that last
        # preceded a run of hypervisor blocks before it.
        i = len(window) - 1
        while i > 0 and window[i][1] == "guest":
            i -= 1
        while i > 0 and window[i][1] != "guest":
            i -= 1
        print("\nlast exit, in order (function: instructions in consecutive blocks):")
        run_name, run_n = None, 0
        for pc, level, n in window[i + 1:]:
            name = "%s:%s" % label(pc, level)
            if name != run_name and run_name is not None:
                print("  %-40s %d" % (run_name, run_n))
                run_n = 0
            run_name = name
            run_n += n
        if run_name is not None:
            print("  %-40s %d" % (run_name, run_n))


if __name__ == "__main__":
    main()
