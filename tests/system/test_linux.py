# SPDX-License-Identifier: GPL-2.0-only
"""Unmodified Linux guests under Vireo (build/linux from `make guest-linux`): devices, consoles,
the virtual switch, and guest lifecycle. One machine with two Linux guests serves the tests of
this module in order; each test leaves both guests at their shell prompt."""
import datetime
import os
import re
import time

import pytest

from bundle import ROOT, guest_node, make_bundle
from conftest import Vireo

LINUX = os.path.join(ROOT, "build", "linux")
BOOT = 240  # seconds to a Linux prompt on a slow shared machine
MARKER = "VIREO-LINUX READY %s"


def linux_images():
    images = {}
    for name in ("Image", "initramfs.cpio"):
        path = os.path.join(LINUX, name)
        if not os.path.exists(path):
            pytest.fail("%s is missing: run `make guest-linux`" % path)
        with open(path, "rb") as f:
            images[name] = f.read()
    return images


def linux_node(name, vcpus, ip, devices, mem_mib=128, autostart=True, console="ttyS0"):
    extra = "\t\t\tinitrd = \"images/initramfs.cpio\";\n\t\t\tdevices {\n%s\n\t\t\t};" % devices
    return guest_node(name, vcpus=vcpus, mem_mib=mem_mib, autostart=autostart, kernel="Image",
                      bootargs="console=%s vireo.name=%s vireo.ip=%s/16" % (console, name, ip),
                      extra=extra)


def dev(name, body):
    return "\t\t\t\t%s {\n%s\n\t\t\t\t};" % (name, "\n".join("\t\t\t\t\t" + l for l in body))


def console_total(m, guest):
    """Bytes the guest's UART console has written so far (never decreases)."""
    row = re.search(r"^%s\s+uart\s+(\d+)" % re.escape(guest), m.run("vserial list"), re.M)
    assert row, "no console for %s" % guest
    return int(row.group(1))


def wait_marker(m, guest, after=0, timeout=BOOT):
    """Waits until the guest's console shows its boot marker in output written after its first
    `after` bytes (the ring keeps the last 8 KiB: an earlier boot's marker may or may not
    still be in it)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        new = console_total(m, guest) - after
        out = m.run("vserial dump %s" % guest)
        if new > 0 and MARKER % guest in out[-new:]:
            return
        time.sleep(2)
    pytest.fail("%s never printed its boot marker" % guest)


def in_guest(m, console, command, timeout=120):
    """Runs a command in a guest's shell through `vserial bind` and returns its output."""
    guest = console.split(".")[0]
    m.p.send("vserial bind %s\r" % console)
    m.p.expect_exact("[attached to %s;" % console)
    m.p.expect_exact("returns to the shell]")
    try:
        # A fresh prompt: what the guest printed before binding is not shown again.
        m.p.send("\r")
        m.p.expect(r"%s# " % guest, timeout=timeout)
        m.p.send(command + "\r")
        m.p.expect_exact(command, timeout=timeout)
        m.p.expect(r"\r\n%s# " % guest, timeout=timeout)
        return m.p.before.replace("\r", "").strip("\n")
    finally:
        m.p.send("\x1d")
        m.p.expect_exact("[detached from %s]" % console)
        m.p.expect_exact("vireo> ")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """alpha: 2 vCPUs, disk, port on "lan", rng, virtio console; beta: 1 vCPU, a disk from an
    image with content, a read-only disk, a port on "lan" with a configured MAC. Both start at
    boot."""
    tmp = tmp_path_factory.mktemp("linux")
    images = linux_images()
    images["alpha.img"] = bytes(4 << 20)
    images["beta.img"] = b"VIREO-DISK" + bytes((1 << 20) - 10)
    alpha = linux_node("alpha", 2, "169.254.0.1", "\n".join([
        dev("disk0", ['type = "virtio-blk";', 'image = "images/alpha.img";']),
        dev("net0", ['type = "virtio-net";', 'switch = "lan";']),
        dev("rng0", ['type = "virtio-rng";']),
        dev("hvc0", ['type = "virtio-console";'])]))
    beta = linux_node("beta", 1, "169.254.0.2", "\n".join([
        dev("disk0", ['type = "virtio-blk";', 'image = "images/beta.img";']),
        dev("disk1", ['type = "virtio-blk";', 'image = "images/beta.img";', "read-only;"]),
        dev("net0", ['type = "virtio-net";', 'switch = "lan";', "mac = [02 00 00 00 00 02];"])]))
    bundle = make_bundle(str(tmp), [alpha, beta], images=images)
    m = Vireo("test_linux", smp=2, extra=["-initrd", bundle])
    m.wait_prompt()
    wait_marker(m, "alpha")
    wait_marker(m, "beta")
    yield m
    m.close()


def test_boots_to_userspace_with_1_and_2_vcpus(pair):
    for guest, cpus in (("alpha", 2), ("beta", 1)):
        out = pair.run("vserial dump %s" % guest)
        assert "Run /init as init process" in out
        assert re.search(r"^smp: Brought up 1 node, %d CPUs?\r?$" % cpus, out, re.M), out
        assert "net: eth0 up, address 169.254.0.%d/16" % (1 if guest == "alpha" else 2) in out
        info = in_guest(pair, guest, "cat /proc/cpuinfo")
        assert len(re.findall(r"^processor\s*:", info, re.M)) == cpus, info


def test_guest_info_lists_devices_and_overhead(pair):
    info = pair.run("guest info alpha")
    assert re.search(r"^vcpus     2, on host cpus \d \d$", info, re.M), info
    for line in (r"serial\s+0x10000000\s+irq 10\s+ns16550a", r"rtc\s+0x00101000\s+irq 11",
                 r"disk0\s+0x10001000\s+irq 1\s+virtio-blk, live",
                 r"net0\s+0x10002000\s+irq 2\s+virtio-net, live",
                 r"rng0\s+0x10003000\s+irq 3\s+virtio-rng, live",
                 r"hvc0\s+0x10004000\s+irq 4\s+virtio-console, live"):
        assert re.search(r"^\s+" + line, info, re.M), (line, info)
    # The 4 MiB writable disk copy is part of the guest's hypervisor memory.
    pages = int(re.search(r"^overhead  \d+ bytes of heap, (\d+) pages", info, re.M).group(1))
    assert pages >= 1024, info


def test_console_input_and_output(pair):
    out = in_guest(pair, "alpha", "echo typed through vserial")
    assert out == "typed through vserial"
    assert in_guest(pair, "alpha", "nosuchcommand") == "nosuchcommand: command not found"


def test_virtio_console_is_a_second_shell(pair):
    assert "VIREO-LINUX HVC0 alpha" in pair.run("vserial dump alpha.hvc0")
    assert in_guest(pair, "alpha.hvc0", "echo over hvc0") == "over hvc0"
    listing = pair.run("vserial list")
    assert re.search(r"^alpha\.hvc0\s+virtio-console\s+[1-9]\d*\s+0$", listing, re.M), listing


def test_disk_pattern_round_trip(pair):
    out = in_guest(pair, "alpha", "blkcheck /dev/vda")
    assert re.match(r"blkcheck: PASS /dev/vda: 8 sectors of 512 bytes verified, last sector "
                    r"8191 of 4194304 bytes", out), out
    # beta's disk starts with the image's bytes, then takes the pattern in its private copy.
    assert in_guest(pair, "beta", "hexdump /dev/vda 10").startswith(
        "56 49 52 45 4f 2d 44 49 53 4b")
    assert in_guest(pair, "beta", "blkcheck /dev/vda").startswith("blkcheck: PASS /dev/vda")
    listing = pair.run("vdisk list")
    row = re.search(r"^alpha\s+disk0\s+live\s+4096\s+rw-copy\s+(\d+)\s+(\d+)\s+images/alpha.img$",
                    listing, re.M)
    assert row and int(row.group(1)) >= 8 and int(row.group(2)) >= 8, listing
    info = pair.run("vdisk info beta.disk0")
    assert "size      2048 sectors of 512 bytes (1024 KiB)" in info
    assert "errors    0" in info
    # The read-only disk: the guest sees it read-only; writes never reach the image.
    out = in_guest(pair, "beta", "blkcheck /dev/vdb")
    assert out.startswith("blkcheck: FAIL /dev/vdb"), out
    assert in_guest(pair, "beta", "hexdump /dev/vdb 10").startswith("56 49 52 45")
    assert re.search(r"^beta\s+disk1\s+live\s+1024\s+ro\s+", pair.run("vdisk list"), re.M)


def test_guests_ping_each_other(pair):
    for src, dst in (("alpha", "169.254.0.2"), ("beta", "169.254.0.1")):
        out = in_guest(pair, src, "ping -c 3 %s" % dst)
        assert "3 packets transmitted, 3 received, 0% packet loss" in out, out
    listing = pair.run("vnet list")
    assert re.search(r"^switch lan: 2 ports, \d+ flooded, \d+ filtered, 0 spoofed$", listing,
                     re.M), listing
    # Each port shows its NIC's MAC (alpha's derived from the names, beta's configured).
    alpha = re.search(r"^alpha\s+net0\s+(02:01(:[0-9a-f]{2}){4})\s+live", listing, re.M)
    assert alpha, listing
    for port, mac in (("alpha.net0", alpha.group(1)), ("beta.net0", "02:00:00:00:00:02")):
        row = re.search(r"^\s+%s\s+%s\s+(\d+)\s+\d+\s+(\d+)\s+\d+\s+0\s+0$"
                        % (re.escape(port), mac), listing, re.M)
        assert row and int(row.group(1)) >= 3 and int(row.group(2)) >= 3, listing
    assert re.search(r"^beta\s+net0\s+02:00:00:00:00:02\s+live", listing, re.M), listing


def test_rtc_gives_the_date(pair):
    out = in_guest(pair, "beta", "date")
    guest = datetime.datetime.strptime(out, "%Y-%m-%d %H:%M:%S UTC")
    host = datetime.datetime.utcnow()
    assert abs((host - guest).total_seconds()) < 600, (out, host)


def test_random_numbers_from_virtio_rng(pair):
    assert in_guest(pair, "alpha", "cat /sys/class/misc/hw_random/rng_current") == \
        "virtio_rng.0"
    first = in_guest(pair, "alpha", "hexdump /dev/hwrng 32")
    second = in_guest(pair, "alpha", "hexdump /dev/hwrng 32")
    for out in (first, second):
        assert out.endswith("hexdump: 32 bytes"), out
    assert first != second


def test_reboot_in_a_guest_comes_back(pair):
    in_guest(pair, "beta", "echo before reboot")
    pair.p.send("vserial bind beta\r")
    pair.p.expect_exact("returns to the shell]")
    pair.p.send("\rreboot\r")
    pair.p.expect_exact("reboot: Restarting system", timeout=60)
    pair.p.expect_exact(MARKER % "beta", timeout=BOOT)
    pair.p.send("\x1d")
    pair.p.expect_exact("vireo> ")
    assert in_guest(pair, "beta", "ping -c 1 169.254.0.1").count("1 received") == 1


def test_poweroff_stops_only_that_guest(pair):
    pair.p.send("vserial bind beta\r")
    pair.p.expect_exact("returns to the shell]")
    pair.p.send("\rpoweroff\r")
    pair.p.expect_exact("guest beta: guest shut down", timeout=60)
    pair.p.send("\x1d")
    pair.p.expect_exact("vireo> ")
    listing = pair.run("guest list")
    assert re.search(r"^\d+\s+beta\s+halted\s+1\s+128\s+guest shut down$", listing, re.M)
    assert re.search(r"^\d+\s+alpha\s+running\s+2\s+128", listing, re.M)
    assert in_guest(pair, "alpha", "echo still here") == "still here"


def test_reset_destroy_and_create_running_linux(pair):
    before = console_total(pair, "alpha")
    assert pair.run("guest reset alpha") == "guest alpha: reset"
    assert pair.run("guest kick alpha") == "guest alpha: started"
    wait_marker(pair, "alpha", after=before)
    # beta is halted after its poweroff: destroy it and create it again from the configuration.
    assert pair.run("guest destroy beta") == "guest beta: destroyed"
    assert "beta" not in pair.run("vnet list")
    assert pair.run("guest create beta") == "guest beta: created, 1 vCPU, 128 MiB"
    assert pair.run("guest kick beta") == "guest beta: started"
    wait_marker(pair, "beta")
    out = in_guest(pair, "alpha", "ping -c 2 169.254.0.2")
    assert "2 received" in out, out
    # A destroyed guest's disk copy is gone: the new beta starts from the image again.
    assert in_guest(pair, "beta", "hexdump /dev/vda 10").startswith("56 49 52 45")
    # A running Linux guest with live devices can be destroyed as well.
    assert pair.run("guest destroy alpha") == "guest alpha: destroyed"
    assert "alpha" not in pair.run("guest list")


def test_linux_without_sstc_on_one_hart(vireo_factory, tmp_path):
    """The guest timer emulated with host timer events (no Sstc), one host hart."""
    images = linux_images()
    node = linux_node("solo", 1, "169.254.0.9", dev("rng0", ['type = "virtio-rng";']))
    bundle = make_bundle(str(tmp_path), [node], images=images)
    m = vireo_factory(smp=1, extra=["-cpu", "rv64,sstc=false", "-initrd", bundle])
    m.wait_prompt()
    wait_marker(m, "solo")
    assert in_guest(m, "solo", "sleep 1") == ""
    assert in_guest(m, "solo", "echo $?") == "0"
