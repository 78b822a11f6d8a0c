#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench: Vireo against the same guests directly on QEMU + OpenSBI. docs/benchmarks.md
explains the method and the numbers. Five parts (--only picks some):
  micro      the test kit's bench mode (guests/testkit, testkit.bench), below
  linux      Linux boot to userspace, 1 and 4 vCPUs (bench/linux_boot.py)
  footprint  image size, memory after boot, memory per guest (bench/footprint.py)
  scale      test-kit guests at once on a 512 MiB host, time to boot 16 (bench/scale.py)
  isolation  masked stretches and shell response under guest storms (bench/isolation.py)

The microbenchmarks have two kinds of runs:
  icount  deterministic instruction counts: -icount shift=0,align=off,sleep=off, one host hart
          (QEMU 7.2 hangs riscv64 -smp 2 with -icount). Natively that is -smp 1, so ipi_rtt and
          vcpu_switch only have Vireo numbers (2 vCPUs on the 1 host hart). Run with and without
          Sstc (-cpu rv64,sstc=off).
  wall    wall-clock time, no icount, native (-smp 2) and Vireo (1 host hart, 2 vCPUs)
          alternating, --reps times each; medians of time_ns. Without icount QEMU's cycle and
          instret counters follow the host's time-stamp counter, so only time_ns is reported.
Writes build/bench/results.json (every run's raw numbers, medians, command lines, versions) and
prints a markdown table per part.
"""
import argparse
import datetime
import json
import os
import re
import shlex
import statistics
import struct
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import bundle  # noqa: E402  (tests/system/bundle.py)
import footprint  # noqa: E402
import isolation  # noqa: E402
import linux_boot  # noqa: E402
import scale  # noqa: E402
from machine import BenchError  # noqa: E402

TESTKIT = os.path.join(ROOT, "build", "testkit", "testkit.bin")
VIREO = os.path.join(ROOT, "build", "riscv64", "vireo.bin")
QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
DETERMINISM = ["-rtc", "clock=vm,base=2020-01-01", "-seed", "1"]
NO_SSTC = ["-cpu", "rv64,sstc=off"]
GUEST_MEM = "64M"
GUEST_NAME = "bench"
DISK_SECTORS = 2048  # 1 MiB: each 512-byte sector starts with its number (bench_blk.c)

# Stable names, in the order the kit runs them (guests/testkit/bench.c).
BENCHES = ["sbi_probe", "mmio_read", "timer_irq", "timer_irq_sbi", "ipi_rtt", "vcpu_switch",
           "stage2_fault", "blk_read"]
LINE = re.compile(r"^BENCH (\S+)(?: (.*))?$")


def disk_image(path):
    with open(path, "wb") as f:
        for s in range(DISK_SECTORS):
            f.write(struct.pack("<Q", s) + bytes([0xa5]) * 504)


def vireo_bundle(work, disk):
    devices = "\n".join([
        "\t\t\tdevices {",
        "\t\t\t\tdisk0 {",
        '\t\t\t\t\ttype = "virtio-blk";',
        '\t\t\t\t\timage = "images/disk.img";',
        "\t\t\t\t\tread-only;",
        "\t\t\t\t};",
        "\t\t\t};"])
    guest = bundle.guest_node(GUEST_NAME, vcpus=2, mem_mib=int(GUEST_MEM[:-1]),
                              bootargs="testkit.bench", extra=devices)
    with open(disk, "rb") as f:
        return bundle.make_bundle(work, [guest], {"disk.img": f.read()})


def native_cmd(smp, icount, cpu, disk):
    cmd = [QEMU, "-M", "virt", "-smp", str(smp), "-m", GUEST_MEM, "-nographic", "-bios",
           "default", "-kernel", TESTKIT, "-append", "testkit.bench",
           # virtio-mmio is legacy (Version 1) by default in QEMU 7.2; the kit drives Version 2.
           "-global", "virtio-mmio.force-legacy=false",
           "-drive", "file=%s,format=raw,if=none,id=d0,readonly=on" % disk,
           "-device", "virtio-blk-device,drive=d0"]
    return cmd + (ICOUNT if icount else []) + DETERMINISM + cpu


def vireo_cmd(cpio, icount, cpu):
    cmd = [QEMU, "-M", "virt", "-smp", "1", "-m", "512M", "-nographic", "-bios", "default",
           "-kernel", VIREO, "-initrd", cpio, "-append",
           'vireo.loglevel=warn vireo.exit_with=%s vireo.bootcmd="vserial bind %s"' % (
               GUEST_NAME, GUEST_NAME)]
    return cmd + (ICOUNT if icount else []) + DETERMINISM + cpu


def parse(output):
    """{name: {field: number or string}} and whether BENCH DONE was seen."""
    results, done = {}, False
    for raw in output.splitlines():
        line = raw.strip("\r")
        m = LINE.match(line)
        if not m:
            continue
        name, rest = m.group(1), m.group(2) or ""
        if name == "DONE":
            done = True
        elif rest.startswith("skip "):
            results[name] = {"skip": rest[5:]}
        elif rest.startswith("fail "):
            results[name] = {"fail": rest[5:]}
        else:
            fields = {}
            for kv in rest.split():
                k, _, v = kv.partition("=")
                try:
                    fields[k] = float(v) if "." in v else int(v, 0)
                except ValueError:
                    fields[k] = v
            results[name] = fields
    return results, done


def run_one(run, index, total, timeout, logdir):
    label = "%s, %s%s" % ("native" if run["mode"] == "native" else "Vireo", run["clock"],
                          ", no Sstc" if run["sstc"] is False else "")
    print("bench: %d/%d micro, %s ..." % (index, total, label), end="", flush=True)
    log = os.path.join(logdir, "%02d-%s-%s%s.log" % (index, run["mode"], run["clock"],
                                                     "-nosstc" if run["sstc"] is False else ""))
    t0 = time.monotonic()
    try:
        p = subprocess.run(run["command"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        out, hung = p.stdout.decode("utf-8", "replace"), False
    except subprocess.TimeoutExpired as e:  # subprocess.run has killed QEMU (SIGKILL)
        out, hung = (e.stdout or b"").decode("utf-8", "replace"), True
    seconds = time.monotonic() - t0
    with open(log, "w", encoding="utf-8") as f:
        f.write("$ " + " ".join(shlex.quote(c) for c in run["command"]) + "\n" + out)
    results, done = parse(out)
    run.update(seconds=round(seconds, 2), log=os.path.relpath(log, ROOT), benchmarks=results)
    if hung or not done:
        print(" FAILED")
        why = "no BENCH DONE within %d s (hung; QEMU killed)" % timeout if hung else \
            "QEMU exited without BENCH DONE"
        tail = "\n".join(out.replace("\r", "").splitlines()[-15:])
        sys.exit("bench: %s: %s; log %s; last lines:\n%s" % (label, why, log, tail))
    failed = {k: v["fail"] for k, v in results.items() if "fail" in v}
    print(" %.1f s%s" % (seconds, "".join(" [%s FAILED: %s]" % kv for kv in failed.items())))
    return run


def value(run, name, field):
    r = run["benchmarks"].get(name, {})
    v = r.get(field)
    return v if isinstance(v, (int, float)) else None


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if unit.startswith("s,"):
        return "{:.2f}".format(v)
    return "{:,.0f}".format(v) if v >= 100 else "{:.1f}".format(v)


def ratio(n, v):
    return "%.2fx" % (v / n) if n and v is not None else "n/a"


def summarise(runs, reps):
    def pick(mode, clock, sstc):
        return [r for r in runs if r["mode"] == mode and r["clock"] == clock and r["sstc"] == sstc]

    rows = []
    icount_sets = [(True, ""), (False, ", no Sstc")]
    for sstc, suffix in icount_sets:
        nat, vir = pick("native", "icount", sstc), pick("vireo", "icount", sstc)
        if not nat or not vir:
            continue
        names = BENCHES if sstc else ["sbi_probe", "mmio_read", "timer_irq"]
        for name in names:
            n, v = value(nat[0], name, "instret"), value(vir[0], name, "instret")
            if n is None and v is None:
                continue
            note = ""
            if n is None and "skip" in nat[0]["benchmarks"].get(name, {}):
                note = " (native: needs 2 harts, no icount)"
            rows.append({"operation": name + suffix + note, "native": n, "vireo": v,
                         "unit": "instructions (icount)"})
    nat, vir = pick("native", "wall", True), pick("vireo", "wall", True)
    for name in BENCHES:
        ns = [value(r, name, "time_ns") for r in nat]
        vs = [value(r, name, "time_ns") for r in vir]
        ns, vs = [x for x in ns if x is not None], [x for x in vs if x is not None]
        if not ns and not vs:
            continue
        rows.append({"operation": name + " (wall clock)",
                     "native": statistics.median(ns) if ns else None,
                     "vireo": statistics.median(vs) if vs else None,
                     "native_runs": ns, "vireo_runs": vs,
                     "unit": "ns, median of %d" % reps})
    for r in rows:
        r["ratio"] = r["vireo"] / r["native"] if r["native"] and r["vireo"] is not None else None
    return rows


def table(rows):
    out = ["| operation | native | Vireo | ratio | unit |", "|---|---:|---:|---:|---|"]
    for r in rows:
        out.append("| %s | %s | %s | %s | %s |" % (r["operation"], fmt(r["native"], r["unit"]),
                                                  fmt(r["vireo"], r["unit"]),
                                                  ratio(r["native"], r["vireo"]), r["unit"]))
    return "\n".join(out)


def value_table(rows):
    out = ["| measurement | value | unit |", "|---|---:|---|"]
    for r in rows:
        v = r["value"]
        out.append("| %s | %s | %s |" % (r["item"], "{:,}".format(v) if isinstance(v, int)
                                         else v, r["unit"]))
    return "\n".join(out)


def git_revision():
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=7",
                               "--exclude=*"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


PARTS = ["micro", "linux", "footprint", "scale", "isolation"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="wall-clock runs of each side (5)")
    ap.add_argument("--timeout", type=int, default=180, help="seconds per QEMU run (180)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench"),
                    help="output directory (build/bench)")
    ap.add_argument("--no-wall", action="store_true", help="icount runs only")
    ap.add_argument("--only", default=",".join(PARTS),
                    help="comma-separated parts to run: %s (all)" % ",".join(PARTS))
    args = ap.parse_args()
    parts = [p for p in args.only.split(",") if p]
    for p in parts:
        if p not in PARTS:
            sys.exit("bench: unknown part %r (want some of %s)" % (p, ",".join(PARTS)))
    for f in (TESTKIT, VIREO):
        if not os.path.exists(f):
            sys.exit("bench: %s is missing (make && make testkit)" % f)
    if "linux" in parts and not linux_boot.available():
        sys.exit("bench: build/linux/Image or initramfs.cpio is missing (make guest-linux)")
    if args.reps < 1:
        sys.exit("bench: --reps must be at least 1")

    os.makedirs(args.out, exist_ok=True)
    logdir = os.path.join(args.out, "logs")
    os.makedirs(logdir, exist_ok=True)
    for old in os.listdir(logdir):  # logs of an earlier run would be mistaken for this one's
        if old.endswith(".log"):
            os.unlink(os.path.join(logdir, old))
    disk = os.path.join(args.out, "disk.img")
    disk_image(disk)
    cpio = vireo_bundle(os.path.join(args.out, "vireo"), disk)

    runs = []
    for sstc in (True, False) if "micro" in parts else ():
        cpu = [] if sstc else NO_SSTC
        runs.append({"mode": "native", "clock": "icount", "sstc": sstc,
                     "command": native_cmd(1, True, cpu, disk)})
        runs.append({"mode": "vireo", "clock": "icount", "sstc": sstc,
                     "command": vireo_cmd(cpio, True, cpu)})
    if not args.no_wall and "micro" in parts:
        for _ in range(args.reps):
            runs.append({"mode": "native", "clock": "wall", "sstc": True,
                         "command": native_cmd(2, False, [], disk)})
            runs.append({"mode": "vireo", "clock": "wall", "sstc": True,
                         "command": vireo_cmd(cpio, False, [])})
    # Progress lines count every QEMU run of every part.
    total = len(runs) + (linux_boot.runs_planned(args.reps, not args.no_wall)
                         if "linux" in parts else 0) + \
        (2 if "footprint" in parts else 0) + (1 + args.reps if "scale" in parts else 0) + \
        (2 if "isolation" in parts else 0)
    done = [len(runs)]

    def counter():
        done[0] += 1
        return "%d/%d" % (done[0], total)

    qemu_version = subprocess.run([QEMU, "--version"], capture_output=True,
                                  text=True).stdout.splitlines()[0]
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.monotonic()
    results = {
        "date": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "git_revision": git_revision(),
        "qemu_version": qemu_version,
        "opensbi": "unknown",
        "vireo_banner": "unknown",
        "host_cpus": os.cpu_count(),
        "reps": args.reps,
        "parts": parts,
        "runs": runs,
        "summary": [],
        "tables": {},
    }
    work = args.out
    try:
        for i, run in enumerate(runs, 1):
            run_one(run, i, total, args.timeout, logdir)
        if runs:
            results["summary"] = results["tables"]["micro"] = summarise(runs, args.reps)
        if "linux" in parts:
            results["linux"] = linux_boot.measure(work, logdir, args.reps, not args.no_wall,
                                                  args.timeout, counter)
            results["tables"]["linux"] = linux_boot.rows(results["linux"])
        if "footprint" in parts:
            results["footprint"] = footprint.measure(work, logdir, args.timeout, counter)
            results["tables"]["footprint"] = footprint.rows(results["footprint"])
        if "scale" in parts:
            results["scale"] = scale.measure(work, logdir, args.timeout, counter, args.reps)
            results["tables"]["scale"] = scale.rows(results["scale"])
        if "isolation" in parts:
            results["isolation"] = isolation.measure(work, logdir, args.timeout, counter)
            results["tables"]["isolation"] = isolation.rows(results["isolation"])
    except BenchError as e:
        print(" FAILED", flush=True)
        sys.exit("bench: %s" % e)
    for log in sorted(os.listdir(logdir)):
        with open(os.path.join(logdir, log), encoding="utf-8", errors="replace") as f:
            text = f.read()
        m = re.search(r"OpenSBI (v\S+)", text)
        if m and results["opensbi"] == "unknown":
            results["opensbi"] = m.group(1)
        m = re.search(r"^Vireo (\S+ \(\S+\))", text, re.M)
        if m and results["vireo_banner"] == "unknown":
            results["vireo_banner"] = m.group(1)
    results["seconds"] = round(time.monotonic() - t0, 1)
    out = os.path.join(args.out, "results.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    print()
    print("%s, OpenSBI %s, Vireo %s, tree %s, %s" % (
        qemu_version, results["opensbi"], results["vireo_banner"], results["git_revision"],
        results["date"]))
    titles = {"micro": "Microbenchmarks", "linux": "Linux boot", "footprint": "Footprint",
              "scale": "Scale", "isolation": "Isolation"}
    for part in PARTS:
        if part in results["tables"]:
            print()
            print("### %s" % titles[part])
            print()
            rows = results["tables"][part]
            print(value_table(rows) if part in ("footprint", "scale", "isolation") else table(rows))
    print()
    print("bench: %d runs in %.0f s; raw numbers in %s" % (total, results["seconds"],
                                                          os.path.relpath(out, ROOT)))


if __name__ == "__main__":
    main()
