# SPDX-License-Identifier: GPL-2.0-only
"""Scale (docs/benchmarks.md, "Scale"): how many small test-kit guests run at once on a
512 MiB host, and how long 16 of them take to be created and booted.

Every guest: 1 vCPU, 6 MiB, bootargs `testkit.hold` (the kit runs its self-tests, then
prints `TESTKIT ALIVE <n>` every 200 ms). Host: -smp 2 -m 512M, no icount. A guest counts
as booted when its console (`vserial dump`) shows a heartbeat; the host polls the consoles
of the guests not seen yet through the shell, one after the other, so a time is when the
host saw the heartbeat: at most one polling round late."""
import os
import re
import statistics
import sys
import time

from machine import QEMU, BenchError, Machine, progress

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import bundle  # noqa: E402  (tests/system/bundle.py)

VIREO = os.path.join(ROOT, "build", "riscv64", "vireo.bin")
HOST = ["-smp", "2", "-m", "512M"]
GUEST_MIB = 6
GUEST_LIMIT = 64  # GUEST_MAX in include/vireo/guest.h
TRY = GUEST_LIMIT + 1  # one more than the limit: the log says which limit stops it
BOOT_COUNT = 16
HEARTBEAT = "TESTKIT ALIVE"
ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(reset|running|paused|halted)\s+(\d+)\s+(\d+)", re.M)


def name(i):
    return "tk%02d" % i


def make(work, count):
    nodes = [bundle.guest_node(name(i), vcpus=1, mem_mib=GUEST_MIB, bootargs="testkit.hold")
             for i in range(count)]
    return bundle.make_bundle(os.path.join(work, "scale-%d" % count), nodes)


def command(cpio):
    return [QEMU, "-M", "virt"] + HOST + ["-nographic", "-bios", "default", "-kernel", VIREO,
                                          "-initrd", cpio, "-append", "vireo.loglevel=warn"]


def guest_states(m):
    return {g: s for _, g, s, _, _ in ROW.findall(m.shell("guest list"))}


def wait_heartbeats(m, guests, timeout):
    """Polls the consoles of `guests` until each shows a heartbeat; returns {guest: seconds
    since QEMU started when the host saw it} and the number of polling rounds."""
    seen, rounds = {}, 0
    until = time.monotonic() + timeout
    while len(seen) < len(guests):
        if time.monotonic() > until:
            missing = sorted(set(guests) - set(seen))
            m.kill()
            raise BenchError("no heartbeat from %d guests within %d s (%s); log %s" % (
                len(missing), timeout, " ".join(missing[:8]), m.log))
        rounds += 1
        for g in guests:
            if g not in seen and HEARTBEAT in m.shell("vserial dump %s" % g):
                seen[g] = m.elapsed()
    return seen, rounds


def capacity(work, logdir, timeout):
    """TRY guests configured: how many were created and run, what stopped the rest."""
    cpio = make(work, TRY)
    log = os.path.join(logdir, "scale-capacity.log")
    r = {"configured": TRY, "guest_mib": GUEST_MIB, "host": " ".join(HOST)}
    with Machine(command(cpio), log) as m:
        r["command"] = m.command
        m.wait_for("vireo> ", timeout)
        r["prompt_s"] = round(m.elapsed(), 2)
        boot_log = m.output_since(0, m.pos)
        r["refused"] = [l.strip() for l in boot_log.splitlines()
                        if "not created" in l or "refused" in l or l.startswith("config:")]
        states = guest_states(m)
        running = sorted(g for g, s in states.items() if s == "running")
        r["created"], r["running"] = len(states), len(running)
        seen, rounds = wait_heartbeats(m, running, timeout)
        r["heartbeats"], r["all_heartbeats_s"] = len(seen), round(max(seen.values()), 2)
        r["heap"] = m.shell("heap info")
        free = re.search(r"^\s+free\s+(\d+) pages", r["heap"], re.M)
        r["free_pages"] = int(free.group(1)) if free else None
        info = m.shell("guest info %s" % running[0])
        over = re.search(r"^overhead\s+\d+ bytes of heap, (\d+) pages", info, re.M)
        r["overhead_pages"] = int(over.group(1)) if over else None
        after = guest_states(m)
        r["running_at_end"] = sum(1 for s in after.values() if s == "running")
    if r["free_pages"] is not None and r["overhead_pages"] is not None:
        per_guest = GUEST_MIB * 256 + r["overhead_pages"]
        r["more_by_memory"] = r["free_pages"] // per_guest
    r["stopped_by"] = ("the guest limit (%d)" % GUEST_LIMIT
                       if r["created"] == GUEST_LIMIT and any(
                           name(GUEST_LIMIT) in l for l in r["refused"]) else
                       "memory" if r["created"] < GUEST_LIMIT else "nothing")
    return r


def boot_many(work, logdir, timeout):
    """BOOT_COUNT guests at boot: seconds from QEMU start to the prompt (all created and
    started) and to the last guest's first heartbeat."""
    cpio = make(work, BOOT_COUNT)
    log = os.path.join(logdir, "scale-boot%d.log" % BOOT_COUNT)
    r = {"guests": BOOT_COUNT}
    with Machine(command(cpio), log) as m:
        r["command"] = m.command
        m.wait_for("Vireo ", timeout)
        r["vireo_banner_s"] = round(m.elapsed(), 3)
        m.wait_for("vireo> ", timeout)
        r["prompt_s"] = round(m.elapsed(), 3)
        guests = [name(i) for i in range(BOOT_COUNT)]
        seen, rounds = wait_heartbeats(m, guests, timeout)
        r["first_heartbeat_s"] = round(min(seen.values()), 3)
        r["all_heartbeats_s"] = round(max(seen.values()), 3)
        r["poll_rounds"] = rounds
        r["per_guest_s"] = {g: round(t, 3) for g, t in sorted(seen.items())}
    return r


def measure(work, logdir, timeout, counter, reps=1):
    out = {}
    progress("%s scale: %d guests of %d MiB configured on a 512 MiB host ..." % (
        counter(), TRY, GUEST_MIB), end="")
    out["capacity"] = c = capacity(work, logdir, timeout)
    print(" %d created, %d running, %d heartbeats; stopped by %s" % (
        c["created"], c["running"], c["heartbeats"], c["stopped_by"]), flush=True)
    out["boot"] = []
    for i in range(reps):
        progress("%s scale: create and boot %d guests %d/%d ..." % (
            counter(), BOOT_COUNT, i + 1, reps), end="")
        b = boot_many(work, logdir, timeout)
        out["boot"].append(b)
        print(" all created at %.2f s, all heartbeats by %.2f s" % (
            b["prompt_s"], b["all_heartbeats_s"]), flush=True)
    return out


def rows(r):
    c = r["capacity"]
    out = [("guests running at once (%d configured, 1 vCPU, %d MiB, %s)" % (
        c["configured"], c["guest_mib"], c["host"]), c["running"],
        "all with heartbeats; stopped by %s" % c["stopped_by"])]
    if c.get("more_by_memory") is not None:
        out.append(("room left after them", c["free_pages"],
                    "free pages: memory for %d more such guests" % c["more_by_memory"]))
    boots = r["boot"]
    if boots:
        created = statistics.median(b["prompt_s"] for b in boots)
        alive = statistics.median(b["all_heartbeats_s"] for b in boots)
        n = "median of %d" % len(boots) if len(boots) > 1 else "1 run"
        out.append(("%d guests: QEMU start to all created and started" % BOOT_COUNT,
                    "%.2f" % created, "s (shell prompt), %s" % n))
        out.append(("%d guests: QEMU start to every guest's first heartbeat" % BOOT_COUNT,
                    "%.2f" % alive, "s (as polled), %s" % n))
    return [{"item": a, "value": b, "unit": u} for a, b, u in out]
