# SPDX-License-Identifier: GPL-2.0-only
"""Isolation under attack (docs/benchmarks.md, "Isolation"): how long a host cpu stays masked
on a guest's behalf, and how fast the shell answers, while the test kit's storms run
(guests/testkit/README.md, storm mode) beside a witness kit.

Masked stretches: one host hart under icount (-icount shift=0: virtual time counts executed
instructions, so nothing the real machine does changes it) with Vireo's lateness probe every
100 us (vireo.latency_probe=100). A timer event that comes due while the hart is masked runs
when it unmasks, so the latest probe bounds the longest masked stretch to within one probe
period. `host latency reset` before each storm, `host latency` after it.

Shell: two harts, no icount (wall clock), the storm's boot vCPU on cpu 0 with the witness and
the shell; `version` typed SAMPLES times during the storm, from the keystroke to the prompt."""
import os
import re
import sys
import time

from machine import DETERMINISM, ICOUNT, QEMU, BenchError, Machine, progress

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import bundle  # noqa: E402  (tests/system/bundle.py)

VIREO = os.path.join(ROOT, "build", "riscv64", "vireo.bin")
STORMS = ["blk", "net", "timer"]
SAMPLES = 5
PROBE_US = 100
LATE = re.compile(r"^0\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", re.M)


def dev(name, body):
    return "\t\t\t\t%s {\n%s\n\t\t\t\t};" % (name, "\n".join("\t\t\t\t\t" + l for l in body))


def make(work):
    disk = dev("disk0", ['type = "virtio-blk";', 'image = "images/storm.img";', "read-only;"])
    nics = "\n".join(dev("net%d" % i, ['type = "virtio-net";', 'switch = "lan";'])
                     for i in range(2))
    extra = {"blk": "\n\t\t\tdevices {\n%s\n\t\t\t};" % disk,
             "net": "\n\t\t\tdevices {\n%s\n\t\t\t};" % nics, "timer": ""}
    vcpus = {"blk": 1, "net": 2, "timer": 2}
    nodes = [bundle.guest_node("witness", vcpus=1, mem_mib=16, bootargs="testkit.hold",
                               extra="\t\t\tvcpu-affinity = <0>;")]
    for k in STORMS:
        affinity = " ".join(["0"] + ["(-1)"] * (vcpus[k] - 1))
        nodes.append(bundle.guest_node("storm-%s" % k, vcpus=vcpus[k], mem_mib=32,
                                       autostart=False, bootargs="testkit.storm=%s" % k,
                                       extra="\t\t\tvcpu-affinity = <%s>;%s" % (affinity,
                                                                                extra[k])))
    return bundle.make_bundle(os.path.join(work, "isolation"), nodes,
                              images={"storm.img": bytes(4 << 20)})


def command(cpio, icount):
    # The probe only where it measures: on the wall-clock run it would cost the shell time.
    host = ["-smp", "1"] + ICOUNT + DETERMINISM if icount else ["-smp", "2"]
    probe = " vireo.latency_probe=%d" % PROBE_US if icount else ""
    return [QEMU, "-M", "virt", "-m", "512M"] + host + [
        "-nographic", "-bios", "default", "-kernel", VIREO, "-initrd", cpio, "-append",
        "vireo.loglevel=warn" + probe]


def lateness(m):
    row = LATE.search(m.shell("host latency"))
    if not row:
        raise BenchError("no 'host latency' row for cpu 0; log %s" % m.log)
    v = [int(x) for x in row.groups()]
    return {"events": v[0], "max_us": v[1], "buckets": v[2:]}


def wait_console(m, guest, text, timeout):
    """Polls a guest's console (vserial dump) until it shows text."""
    until = time.monotonic() + timeout
    while text not in m.shell("vserial dump %s" % guest, timeout):
        if time.monotonic() > until:
            m.kill()
            raise BenchError("%s never printed %r; log %s" % (guest, text, m.log))
        time.sleep(0.1)


def storm(m, kind, timeout, during=None):
    """Kicks storm-<kind>, calls during() once it has started, waits for its end."""
    m.shell("guest kick storm-%s" % kind)
    wait_console(m, "storm-%s" % kind, "STORM %s start" % kind, timeout)
    out = during() if during else None
    wait_console(m, "storm-%s" % kind, "STORM %s done" % kind, timeout)
    return out


def witness_up(m, timeout):
    m.wait_for("vireo> ", timeout)
    wait_console(m, "witness", "TESTKIT ALIVE", timeout)


def masked(work, logdir, timeout, cpio):
    log = os.path.join(logdir, "isolation-icount.log")
    out = {}
    with Machine(command(cpio, True), log) as m:
        witness_up(m, timeout)
        m.shell("host latency reset")
        time.sleep(1)
        out["idle"] = lateness(m)
        for kind in STORMS:
            m.shell("host latency reset")
            storm(m, kind, timeout)
            out[kind] = lateness(m)
    return out


def shell_times(work, logdir, timeout, cpio):
    log = os.path.join(logdir, "isolation-wall.log")
    out = {}
    with Machine(command(cpio, False), log) as m:
        witness_up(m, timeout)

        def sample():
            times = []
            for _ in range(SAMPLES):
                t0 = time.monotonic()
                m.shell("version", timeout)
                times.append(time.monotonic() - t0)
            return times
        out["idle"] = sample()
        for kind in STORMS:
            out[kind] = storm(m, kind, timeout, sample)
    return out


def measure(work, logdir, timeout, counter):
    cpio = make(work)
    progress("%s isolation: storms under icount, 1 hart, lateness probe ..." % counter(),
             end="")
    lat = masked(work, logdir, timeout, cpio)
    print(" longest %s us" % ", ".join("%s %d" % (k, lat[k]["max_us"]) for k in lat),
          flush=True)
    progress("%s isolation: storms on 2 harts, shell response ..." % counter(), end="")
    sh = shell_times(work, logdir, timeout, cpio)
    print(" slowest %s ms" % ", ".join("%s %.0f" % (k, 1000 * max(sh[k])) for k in sh),
          flush=True)
    return {"lateness": lat, "shell_s": sh, "probe_us": PROBE_US}


def rows(r):
    out = []
    for kind in ["idle"] + STORMS:
        lat = r["lateness"][kind]
        b = lat["buckets"]
        label = "no storm" if kind == "idle" else "%s storm" % kind
        out.append(("%s: longest timer lateness, cpu 0 (icount)" % label, lat["max_us"],
                    "us (probe every %d us; %d of %d events at 1 ms or later)" % (
                        r["probe_us"], sum(b[3:]), lat["events"])))
    for kind in ["idle"] + STORMS:
        t = r["shell_s"][kind]
        label = "no storm" if kind == "idle" else "%s storm" % kind
        out.append(("%s: shell 'version', slowest of %d" % (label, len(t)),
                    "%.0f" % (1000 * max(t)), "ms (wall clock, 2 harts)"))
    return [{"item": a, "value": b, "unit": u} for a, b, u in out]
