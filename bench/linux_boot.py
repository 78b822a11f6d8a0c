# SPDX-License-Identifier: GPL-2.0-only
"""Linux boot to userspace, directly on QEMU and as a Vireo guest (docs/benchmarks.md,
"Linux boot").

The guest is build/linux/Image + initramfs.cpio (`make guest-linux`) with the command line
`console=ttyS0 vireo.name=lx`; its init prints `VIREO-LINUX READY lx` once userspace is up.

Instructions: QEMU runs with -icount shift=0,align=off,sleep=off and QMP on a Unix socket;
when a milestone line is read from the serial pipe, QMP `query-replay` returns QEMU's raw
instruction counter (all harts of the machine, since QEMU started; the virtual clock's
idle-time warps are not in it). The milestones are `Run /init as init process` (the kernel
is done), the boot marker and, under Vireo, `guest lx: created` (Vireo booted, guest RAM
cleared, images loaded). The counter keeps moving while the host reads the pipe and asks:
every run records that latency and the rate at which the count moves while the guest idles at
its prompt, whose product bounds the error.

Wall clock: seconds from starting QEMU until the host reads the marker, without icount,
native and Vireo alternating, medians.
"""
import os
import statistics
import sys
import time

from machine import DETERMINISM, ICOUNT, QEMU, BenchError, Machine, progress

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import bundle  # noqa: E402  (tests/system/bundle.py)

LINUX = os.path.join(ROOT, "build", "linux")
VIREO = os.path.join(ROOT, "build", "riscv64", "vireo.bin")
NAME = "lx"
CMDLINE = "console=ttyS0 vireo.name=%s" % NAME
GUEST_MIB = 256
HOST_MEM = "512M"
FIRMWARE_DONE = "Boot HART MEDELEG"  # OpenSBI's last banner line before the next stage
CREATED = "guest %s: created" % NAME
KERNEL_DONE = "Run /init as init process"
MARKER = "VIREO-LINUX READY %s" % NAME

# (key, label, native -smp, Vireo guest vCPUs, Vireo host harts without icount, native
# icount run). With icount Vireo runs on one host hart that the vCPUs share. Natively -smp 4
# with icount is no reference: QEMU 7.2's round-robin over the 4 harts let the booting
# kernel spin for about 9 s of virtual time (9.0 G instructions, 21 s) before userspace, so
# the 4-vCPU icount run is Vireo's alone (docs/benchmarks.md).
SETUPS = [("1", "1 vCPU", 1, 1, 1, True), ("4", "4 vCPUs", 4, 4, 4, False)]


def available():
    return all(os.path.exists(os.path.join(LINUX, n)) for n in ("Image", "initramfs.cpio"))


def make_bundles(work):
    images = {}
    for n in ("Image", "initramfs.cpio"):
        with open(os.path.join(LINUX, n), "rb") as f:
            images[n] = f.read()
    cpios = {}
    for key, _, _, vcpus, _, _ in SETUPS:
        node = bundle.guest_node(NAME, vcpus=vcpus, mem_mib=GUEST_MIB, kernel="Image",
                                 bootargs=CMDLINE,
                                 extra='\t\t\tinitrd = "images/initramfs.cpio";')
        cpios[key] = bundle.make_bundle(os.path.join(work, "linux-%s" % key), [node], images)
    return cpios


def native_cmd(smp, icount):
    cmd = [QEMU, "-M", "virt", "-smp", str(smp), "-m", "%dM" % GUEST_MIB, "-nographic",
           "-bios", "default", "-kernel", os.path.join(LINUX, "Image"),
           "-initrd", os.path.join(LINUX, "initramfs.cpio"), "-append", CMDLINE]
    return cmd + (ICOUNT if icount else []) + DETERMINISM


def vireo_cmd(cpio, smp, icount):
    # Vireo's default log level: its "guest lx: created" line is one of the milestones.
    cmd = [QEMU, "-M", "virt", "-smp", str(smp), "-m", HOST_MEM, "-nographic", "-bios",
           "default", "-kernel", VIREO, "-initrd", cpio, "-append",
           'vireo.exit_with=%s vireo.bootcmd="vserial bind %s"' % (NAME, NAME)]
    return cmd + (ICOUNT if icount else []) + DETERMINISM


def run_icount(mode, command, log, timeout):
    """Instruction counts at each milestone."""
    milestones = [FIRMWARE_DONE] + ([CREATED] if mode == "vireo" else []) + [KERNEL_DONE,
                                                                              MARKER]
    result = {"command": command, "log": os.path.relpath(log, ROOT), "instructions": {}}
    with Machine(command, log, qmp=True) as m:
        m.icount()  # connect to QMP before the guest runs far
        for text in milestones:
            seen = m.wait_for(text, timeout)
            result["instructions"][text] = m.icount()
            latency = m.elapsed() - seen  # from reading the line to QMP's answer
        # How fast the count moves after the marker, with the guest idle at its prompt.
        first = m.icount()
        time.sleep(0.5)
        rate = (m.icount() - first) / 0.5
        result.update(seconds=round(m.elapsed(), 2), query_latency_s=round(latency, 6),
                      idle_rate_per_s=round(rate), error_bound=round(rate * latency))
    return result


def run_wall(command, log, timeout):
    with Machine(command, log) as m:
        kernel = m.wait_for(KERNEL_DONE, timeout)
        marker = m.wait_for(MARKER, timeout)
    return {"command": command, "log": os.path.relpath(log, ROOT),
            "kernel_done_s": round(kernel, 3), "seconds": round(marker, 3)}


def runs_planned(reps, wall):
    return sum(1 + int(s[5]) for s in SETUPS) + (len(SETUPS) * 2 * reps if wall else 0)


def measure(work, logdir, reps, wall, timeout, counter):
    """Runs everything; counter() numbers the progress lines. Returns the results dict."""
    cpios = make_bundles(work)
    out = {"guest_mib": GUEST_MIB, "cmdline": CMDLINE, "setups": {}}
    for key, label, smp, vcpus, host_smp, native_icount in SETUPS:
        s = out["setups"][key] = {"label": label, "native_smp": smp, "vcpus": vcpus,
                                  "host_smp": host_smp}
        for mode in ("native", "vireo") if native_icount else ("vireo",):
            cmd = native_cmd(smp, True) if mode == "native" else vireo_cmd(cpios[key], 1, True)
            progress("%s Linux boot, %s, %s, icount ..." % (counter(), label, mode), end="")
            r = run_icount(mode, cmd, os.path.join(logdir, "linux-%s-%s-icount.log" % (
                key, mode)), timeout)
            s[mode + "_icount"] = r
            print(" %.1f s, %s instructions" % (r["seconds"], "{:,}".format(
                r["instructions"][MARKER])), flush=True)
    if not wall:
        return out
    for i in range(reps):
        for key, label, smp, _, host_smp, _ in SETUPS:
            s = out["setups"][key]
            for mode in ("native", "vireo"):
                cmd = native_cmd(smp, False) if mode == "native" else vireo_cmd(
                    cpios[key], host_smp, False)
                progress("%s Linux boot, %s, %s, wall clock %d/%d ..." % (
                    counter(), label, mode, i + 1, reps), end="")
                r = run_wall(cmd, os.path.join(logdir, "linux-%s-%s-wall-%d.log" % (
                    key, mode, i + 1)), timeout)
                s.setdefault(mode + "_wall", []).append(r)
                print(" %.2f s" % r["seconds"], flush=True)
    return out


def rows(result):
    """Summary rows in bench.py's table format."""
    out = []
    for s in result["setups"].values():
        label = s["label"]
        nat, vir = s.get("native_icount"), s.get("vireo_icount")
        if vir:
            n = nat["instructions"] if nat else {}
            v = vir["instructions"]
            unit = "instructions (icount)" if nat else \
                "instructions (icount; 4 vCPUs on 1 host hart)"
            out.append({"operation": "Linux boot to userspace, %s" % label,
                        "native": n.get(MARKER), "vireo": v[MARKER], "unit": unit})
            out.append({"operation": "- firmware (OpenSBI, to its banner's end)",
                        "native": n.get(FIRMWARE_DONE), "vireo": v[FIRMWARE_DONE],
                        "unit": unit})
            out.append({"operation": "- Vireo boot and guest creation",
                        "native": None, "vireo": v[CREATED] - v[FIRMWARE_DONE],
                        "unit": "instructions (icount)"})
            out.append({"operation": "- Linux, kernel start to boot marker",
                        "native": n[MARKER] - n[FIRMWARE_DONE] if n else None,
                        "vireo": v[MARKER] - v[CREATED], "unit": unit})
        nw, vw = s.get("native_wall"), s.get("vireo_wall")
        if nw and vw:
            ns, vs = [r["seconds"] for r in nw], [r["seconds"] for r in vw]
            out.append({"operation": "Linux boot to userspace, %s (wall clock)" % label,
                        "native": statistics.median(ns), "vireo": statistics.median(vs),
                        "native_runs": ns, "vireo_runs": vs,
                        "unit": "s, median of %d (native -smp %d, Vireo on %d host hart%s)" % (
                            len(ns), s["native_smp"], s["host_smp"],
                            "" if s["host_smp"] == 1 else "s")})
    for r in out:
        r["ratio"] = r["vireo"] / r["native"] if r["native"] and r["vireo"] is not None else None
    return out


__all__ = ["available", "measure", "rows", "runs_planned", "BenchError"]
