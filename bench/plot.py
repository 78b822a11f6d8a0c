#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench-plot: the microbenchmark table of results.json (make bench) as a PNG, drawn by
gnuplot: native and Vireo side by side per operation, instructions under icount on the left,
wall-clock nanoseconds on the right, log scale, the Vireo/native ratio under each name.

usage: bench/plot.py [results.json [out.png]]"""
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

HEADER = r"""
set terminal pngcairo size {width},640 font "sans,10" noenhanced
set output '{png}'
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set grid ytics
set key top left
set xtics font "sans,9"
set bmargin 5
set multiplot layout 1,{panels} title "{title}"
"""
PANEL = r"""
set title "{heading}"
set ylabel "{unit}"
plot '{data}' using 2:xtic(1) title "native" lc rgb "#4477aa", \
     '' using 3 title "Vireo" lc rgb "#ee6677"
"""


def cell(v):
    # gnuplot skips NaN: an operation without a native number gets the Vireo bar only.
    return "NaN" if v is None else repr(float(v))


def label(row, suffix):
    name = row["operation"].replace(suffix, "").split(" (")[0]
    ratio = "%.2fx" % row["ratio"] if row.get("ratio") else "n/a"
    return "%s\\n%s" % (name.replace(", ", "\\n"), ratio)


def write_data(path, rows, suffix):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write("%s\t%s\t%s\n" % (label(r, suffix), cell(r["native"]), cell(r["vireo"])))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bench",
                                                             "results.json")
    png = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(src), "bench.png")
    if not os.path.exists(src):
        sys.exit("bench-plot: %s is missing: run `make bench` first" % src)
    if not shutil.which("gnuplot"):
        sys.exit("bench-plot: gnuplot is missing (Debian: gnuplot-nox; `make deps`)")
    with open(src, encoding="utf-8") as f:
        results = json.load(f)
    rows = results.get("tables", {}).get("micro") or results.get("summary") or []
    icount = [r for r in rows if r["unit"].startswith("instructions")]
    wall = [r for r in rows if r["unit"].startswith("ns")]
    if not icount and not wall:
        sys.exit("bench-plot: %s has no microbenchmark rows: run `make bench` with its micro part" % src)
    work = os.path.join(os.path.dirname(os.path.abspath(png)), "plot")
    os.makedirs(work, exist_ok=True)
    panels = []
    for rows_, name, suffix, heading, unit in (
            (icount, "icount", "", "instructions per operation (icount, deterministic)",
             "instructions"),
            (wall, "wall", " (wall clock)", "time per operation (wall clock, median of %s)" % (
                results.get("reps", "?")), "ns")):
        if rows_:
            data = os.path.join(work, name + ".tsv")
            write_data(data, rows_, suffix)
            panels.append(PANEL.format(heading=heading, unit=unit, data=data))
    title = ("Vireo vs native QEMU: test-kit microbenchmarks (ratio Vireo/native under each)"
             "\\n%s, %s, %s") % (
        results.get("git_revision", "?"), results.get("date", "?"),
        results.get("qemu_version", "QEMU ?").replace("QEMU emulator version ", "QEMU "))
    script = HEADER.format(png=png, title=title.replace('"', "'"), panels=len(panels),
                           width=1150 * len(panels)) + "".join(panels) + "unset multiplot\n"
    with open(os.path.join(work, "bench.gp"), "w", encoding="utf-8") as f:
        f.write(script)
    subprocess.run(["gnuplot", os.path.join(work, "bench.gp")], check=True)
    print("bench-plot: %s (%d icount and %d wall-clock operations from %s)" % (
        os.path.relpath(png, os.getcwd()), len(icount), len(wall), os.path.relpath(src,
                                                                                 os.getcwd())))


if __name__ == "__main__":
    main()
