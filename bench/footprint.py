# SPDX-License-Identifier: GPL-2.0-only
"""Vireo's footprint (docs/benchmarks.md, "Footprint"): image size and sections, heap and
pages in use after a boot without guests, and the hypervisor memory a 1-vCPU and a 4-vCPU
test-kit guest take beyond their RAM (`guest info`). Two QEMU boots on the `make run` host
(-smp 2 -m 1G), each running its shell commands from vireo.bootcmd and powering off."""
import os
import re
import subprocess
import sys

from machine import QEMU, BenchError, Machine, progress

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import bundle  # noqa: E402  (tests/system/bundle.py)

VIREO_BIN = os.path.join(ROOT, "build", "riscv64", "vireo.bin")
VIREO_ELF = os.path.join(ROOT, "build", "riscv64", "vireo.elf")
SIZE = os.environ.get("SIZE", "riscv64-linux-gnu-size")
HOST = ["-smp", "2", "-m", "1G"]
GUEST_MIB = 64
GUESTS = [("tk1", 1), ("tk4", 4)]
OFF = "Powering off the host."


def sections():
    out = subprocess.run([SIZE, VIREO_ELF], capture_output=True, text=True, check=True).stdout
    text, data, bss = (int(x) for x in out.splitlines()[1].split()[:3])
    return {"bin_bytes": os.path.getsize(VIREO_BIN), "text": text, "data": data, "bss": bss}


def parse_heap(out):
    used = re.search(r"^\s+used\s+(\d+) bytes in (\d+) blocks \(peak (\d+) bytes\)", out, re.M)
    pages = re.search(r"^pages\s+(\d+) of (\d+) bytes", out, re.M)
    free = re.search(r"^\s+free\s+(\d+) pages \(\d+ MiB\), metadata (\d+) pages", out, re.M)
    if not (used and pages and free):
        raise BenchError("heap info: unexpected output:\n" + out)
    total, free_pages = int(pages.group(1)), int(free.group(1))
    return {"heap_used_bytes": int(used.group(1)), "heap_blocks": int(used.group(2)),
            "heap_peak_bytes": int(used.group(3)), "pages_total": total,
            "pages_free": free_pages, "pages_used": total - free_pages,
            "page_metadata": int(free.group(2)), "page_bytes": int(pages.group(2))}


def parse_overhead(out):
    m = re.search(r"^overhead\s+(\d+) bytes of heap, (\d+) pages \((\d+) KiB\)", out, re.M)
    if not m:
        raise BenchError("guest info: no overhead line:\n" + out)
    return {"heap_bytes": int(m.group(1)), "pages": int(m.group(2)), "kib": int(m.group(3))}


def boot(commands, log, timeout, cpio=None):
    """Boots Vireo running `commands` at boot; returns {command: output}."""
    bootcmd = "; ".join(commands + ["shutdown"])
    cmd = [QEMU, "-M", "virt"] + HOST + ["-nographic", "-bios", "default", "-kernel",
                                         VIREO_BIN]
    cmd += (["-initrd", cpio] if cpio else []) + [
        "-append", 'vireo.loglevel=warn vireo.bootcmd="%s"' % bootcmd]
    outputs = {}
    with Machine(cmd, log) as m:
        for c in commands:
            m.wait_for("vireo> " + c, timeout)
            start = m.pos
            m.wait_for("vireo> ", timeout)
            m.pos -= len("vireo> ")  # the next command's echo starts with this prompt
            outputs[c] = m.output_since(start, m.pos).strip("\n")
        m.wait_for(OFF, timeout)
    return outputs, cmd


def measure(work, logdir, timeout, counter):
    result = {"image": sections(), "host": " ".join(HOST)}
    progress("%s footprint: Vireo without guests ..." % counter(), end="")
    out, cmd = boot(["heap info"], os.path.join(logdir, "footprint-idle.log"), timeout)
    result["idle"] = parse_heap(out["heap info"])
    result["idle"]["command"] = cmd
    print(" heap %d bytes, %d pages in use" % (result["idle"]["heap_used_bytes"],
                                                result["idle"]["pages_used"]), flush=True)

    nodes = [bundle.guest_node(n, vcpus=v, mem_mib=GUEST_MIB, autostart=False)
             for n, v in GUESTS]
    cpio = bundle.make_bundle(os.path.join(work, "footprint"), nodes)
    progress("%s footprint: a 1-vCPU and a 4-vCPU test-kit guest ..." % counter(), end="")
    commands = ["guest info %s" % n for n, _ in GUESTS] + ["heap info"]
    out, cmd = boot(commands, os.path.join(logdir, "footprint-guests.log"), timeout, cpio)
    result["guests"] = {"command": cmd, "guest_mib": GUEST_MIB, "heap": parse_heap(
        out["heap info"])}
    for n, vcpus in GUESTS:
        result["guests"][n] = dict(parse_overhead(out["guest info %s" % n]), vcpus=vcpus)
    print(" %s" % ", ".join("%d vCPU%s: %d bytes of heap + %d pages" % (
        result["guests"][n]["vcpus"], "" if v == 1 else "s", result["guests"][n]["heap_bytes"],
        result["guests"][n]["pages"]) for n, v in GUESTS), flush=True)
    return result


def rows(r):
    img, idle = r["image"], r["idle"]
    out = [("vireo.bin", img["bin_bytes"], "bytes"),
           ("vireo.elf text / data / bss", "%s / %s / %s" % (
               "{:,}".format(img["text"]), "{:,}".format(img["data"]),
               "{:,}".format(img["bss"])), "bytes"),
           ("heap in use after boot, no guests", idle["heap_used_bytes"], "bytes in %d block%s" % (
            idle["heap_blocks"], "" if idle["heap_blocks"] == 1 else "s")),
           ("pages in use after boot, no guests", idle["pages_used"],
            "pages of 4 KiB (%d of them allocator metadata; host %s)" % (
                idle["page_metadata"], r["host"]))]
    for n, _ in GUESTS:
        g = r["guests"][n]
        out.append(("hypervisor memory per guest, %d vCPU%s" % (g["vcpus"], "" if g["vcpus"] == 1
                                                                  else "s"),
                    "%s + %d KiB" % ("{:,}".format(g["heap_bytes"]), g["kib"]),
                    "bytes of heap + pages (%d) beyond its %d MiB RAM" % (
                        g["pages"], r["guests"]["guest_mib"])))
    return [{"item": a, "value": b, "unit": c} for a, b, c in out]
