# SPDX-License-Identifier: GPL-2.0-only
"""Builds Vireo bundles (config.dtb + images in a newc cpio) for system tests."""
import os
import shutil
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TESTKIT = os.path.join(ROOT, "build", "testkit", "testkit.bin")


def guest_node(name, vcpus=1, mem_mib=32, autostart=True, bootargs=None, extra="",
               kernel="testkit.bin"):
    lines = ["\t\t%s {" % name,
             "\t\t\tvcpus = <%d>;" % vcpus,
             "\t\t\tmemory = <0x0 0x%x>;" % (mem_mib << 20),
             '\t\t\tkernel = "images/%s";' % kernel]
    if bootargs:
        lines.append('\t\t\tbootargs = "%s";' % bootargs)
    if autostart:
        lines.append("\t\t\tautostart;")
    if extra:
        lines.append(extra)
    lines.append("\t\t};")
    return "\n".join(lines)


def make_bundle(directory, guests, images=None, dtb_patch=None):
    """Writes directory/bundle.cpio holding a config with the given guest nodes, the test kit
    and any extra images ({name: bytes}); dtb_patch(bytes) -> bytes may rewrite the compiled
    config (for trees dtc cannot write, such as two nodes of the same name)."""
    tree = os.path.join(directory, "bundle")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "images"))
    shutil.copy(TESTKIT, os.path.join(tree, "images", "testkit.bin"))
    for name, data in (images or {}).items():
        with open(os.path.join(tree, "images", name), "wb") as f:
            f.write(data)
    dts = "/dts-v1/;\n/ {\n\tvireo,config-version = <1>;\n\tguests {\n%s\n\t};\n};\n" % (
        "\n".join(guests))
    with open(os.path.join(directory, "config.dts"), "w") as f:
        f.write(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o",
                    os.path.join(tree, "config.dtb"), os.path.join(directory, "config.dts")],
                   check=True)
    if dtb_patch:
        path = os.path.join(tree, "config.dtb")
        with open(path, "rb") as f:
            data = dtb_patch(f.read())
        with open(path, "wb") as f:
            f.write(data)
    out = os.path.join(directory, "bundle.cpio")
    files = sorted(os.path.relpath(os.path.join(d, f), tree)
                   for d, _, fs in os.walk(tree) for f in fs)
    with open(out, "wb") as f:
        subprocess.run(["cpio", "--quiet", "-o", "-H", "newc"], cwd=tree, check=True,
                       input="\n".join(files).encode() + b"\n", stdout=f)
    return out
