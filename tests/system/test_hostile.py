# SPDX-License-Identifier: GPL-2.0-only
"""A hostile guest (the test kit's testkit.hostile mode, guests/testkit/README.md) attacks Vireo
while a Linux guest beside it prints a heartbeat: every attack group must get the answers the
specifications give, Vireo must keep answering and log next to nothing, the Linux guest must keep
beating, the switch must drop the attacker's frames with forged source addresses, and the
attacker's last act (a fault at its own trap vector) must get it stopped with a one-line
reason. docs/testing.md describes what is attacked."""
import re
import time

import pytest

from bundle import guest_node, make_bundle
from conftest import Vireo
from test_linux import BOOT, dev, linux_images, wait_marker

GROUPS = ("hsm", "memory", "mmio", "sbi", "virtio", "virtio_net", "irq", "traps")
ATTACK = 300  # seconds for the whole attack on a slow shared machine
BEAT = re.compile(r"VIREO-LINUX HEARTBEAT (\d+) ")
# Lines the hostile guest prints itself; anything else in its bound console is Vireo's log.
GUEST_LINE = re.compile(r"^(HOSTILE |INFO |TESTKIT |\[attached to |\[detached from |$)")
LOG_LIMIT = 4
STOP_REASON = "vcpu 0 hit an unrecoverable exception"
VICTIM_MAC = "02:00:00:00:00:01"  # the Linux guest's, which the kit forges (hostile_virtio.c)
NET_INFO = re.compile(r"^INFO virtio_net \d+ frames sent to the switch: (\d+) from its own MAC "
                      r"\((\d+) unicast to %s\), (\d+) with a forged source, \d+ malformed\r?$"
                      % VICTIM_MAC, re.M)


def heartbeat(m):
    beats = BEAT.findall(m.run("vserial dump linux"))
    return int(beats[-1]) if beats else -1


def wait_heartbeat_after(m, last, timeout=120):
    """Waits for a heartbeat numbered above `last`; returns it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        beat = heartbeat(m)
        if beat > last:
            return beat
        time.sleep(1)
    pytest.fail("the Linux guest's heartbeat stopped at %d" % last)


def bound(m, console, send, until, timeout):
    """Binds to a guest console, types `send`, waits for `until` in its output and detaches;
    returns what the console showed meanwhile."""
    m.p.send("vserial bind %s\r" % console)
    m.p.expect_exact("returns to the shell]")
    try:
        if send:
            m.p.send(send)
        m.p.expect(until, timeout=timeout)
        return m.p.before + m.p.after
    finally:
        m.p.send("\x1d")
        m.p.expect_exact("[detached from %s]" % console)
        m.p.expect_exact("vireo> ")


def port_row(listing, port):
    """(MAC, RX-PKTS, TX-PKTS, DROPS, SPOOFED) of a switch port in `vnet list`."""
    row = re.search(r"^\s+%s\s+([0-9a-f:]{17})\s+(\d+)\s+\d+\s+(\d+)\s+\d+\s+(\d+)\s+(\d+)$"
                    % re.escape(port), listing, re.M)
    assert row, listing
    return (row.group(1),) + tuple(int(row.group(i)) for i in range(2, 6))


def vireo_log_lines(text):
    lines = [l.strip() for l in text.replace("\r", "").split("\n")]
    return [l for l in lines if not GUEST_LINE.match(l)]


@pytest.fixture
def machine(tmp_path):
    images = linux_images()
    images["hostile.img"] = bytes(1 << 20)
    hostile = guest_node("hostile", vcpus=2, mem_mib=32, autostart=False,
                         bootargs="testkit.hostile", extra="\t\t\tdevices {\n%s\n\t\t\t};" % "\n".join([
                             dev("disk0", ['type = "virtio-blk";', 'image = "images/hostile.img";']),
                             dev("net0", ['type = "virtio-net";', 'switch = "lan";']),
                             dev("rng0", ['type = "virtio-rng";']),
                             dev("hvc0", ['type = "virtio-console";'])]))
    linux = guest_node("linux", vcpus=1, mem_mib=128, kernel="Image",
                       bootargs="console=ttyS0 vireo.name=linux vireo.ip=169.254.0.1/16 "
                                "vireo.heartbeat=1",
                       extra="\t\t\tinitrd = \"images/initramfs.cpio\";\n\t\t\tdevices {\n%s\n"
                             "\t\t\t};" % dev("net0", ['type = "virtio-net";', 'switch = "lan";',
                                                   "mac = [%s];" % VICTIM_MAC.replace(":", " ")]))
    bundle = make_bundle(str(tmp_path), [hostile, linux], images=images)
    m = Vireo("test_hostile", smp=2, extra=["-initrd", bundle])
    m.wait_prompt()
    wait_marker(m, "linux", timeout=BOOT)
    yield m
    m.close()


def test_hostile_guest_beside_linux(machine):
    m = machine
    before = wait_heartbeat_after(m, -1)
    assert m.run("guest kick hostile") == "guest hostile: started"

    # The attack: each group's line, then WAITING while the kit keeps attacking slowly.
    shown = bound(m, "hostile", None, r"HOSTILE WAITING[^\n]*\n", ATTACK)
    dump = m.run("vserial dump hostile")
    for group in GROUPS:
        line = re.search(r"^HOSTILE %s (pass|fail)[^\n]*$" % group, dump, re.M)
        assert line, "no result line for %s:\n%s" % (group, dump)
        assert line.group(1) == "pass", line.group(0)
    assert re.search(r"^HOSTILE DONE passed=%d failed=0 storm_wrong=0\r?$" % len(GROUPS), dump,
                     re.M), dump
    assert "PANIC" not in dump
    log = vireo_log_lines(shown)
    assert len(log) <= LOG_LIMIT, log

    # The switch dropped every frame with a forged source (Linux's MAC among them) and counted
    # it; the kit's own frames, the unicasts to Linux's MAC after the forgeries included, all
    # went to Linux's port (the only other one): nothing was learned on the kit's port.
    net = NET_INFO.search(dump)
    assert net, dump
    own, unicast, forged = (int(g) for g in net.groups())
    assert forged > 0 and unicast > 0
    ports = m.run("vnet list")
    assert re.search(r"^switch lan: 2 ports, \d+ flooded, 0 filtered, %d spoofed$" % forged,
                     ports, re.M), ports
    _, rx, _, _, spoofed = port_row(ports, "hostile.net0")
    assert (rx, spoofed) == (own, forged), ports
    mac, _, tx, drops, spoofed = port_row(ports, "linux.net0")
    assert (mac, spoofed) == (VICTIM_MAC, 0), ports
    assert tx + drops == own, ports

    # Linux beat on during the attack and still does while the kit keeps attacking.
    during = wait_heartbeat_after(m, before)
    wait_heartbeat_after(m, during)
    assert re.search(r"^\d+\s+hostile\s+running\s+2\s+32\s*$", m.run("guest list"), re.M)
    vcpus = m.run("vcpu list")
    for vcpu in (r"hostile/0\s+running", r"hostile/1\s+\w+", r"linux/0\s+\w+"):
        assert re.search(r"^%s\s+\d+\s+\d+\s+\d+$" % vcpu, vcpus, re.M), vcpus

    # The last attack: a fault at its own trap vector. Vireo stops the guest, one reason.
    shown = bound(m, "hostile", "k", r"guest hostile: %s[^\n]*\n" % STOP_REASON, 60)
    assert "HOSTILE FATAL exception at trap vector" in shown
    assert "HOSTILE FATAL survived" not in shown
    log = vireo_log_lines(shown)
    assert len(log) <= LOG_LIMIT, log
    assert any("exception" in l and "trap vector" in l for l in log), log
    listing = m.run("guest list")
    assert re.search(r"^\d+\s+hostile\s+halted\s+2\s+32\s+%s$" % STOP_REASON, listing, re.M), \
        listing
    assert re.search(r"^\d+\s+linux\s+running\s+1\s+128", listing, re.M), listing
    after = wait_heartbeat_after(m, heartbeat(m))
    assert after > during


def test_reboot_loop_log_is_rate_limited(tmp_path, vireo_factory):
    """A guest that reboots itself at once, every boot (testkit.reboot): Vireo reboots it each
    time but logs at most LOG_LIMIT_BURST (5) 'rebooting' lines per 10 s window for it, then
    one line counting what it left out, while another guest runs undisturbed."""
    looper = guest_node("looper", vcpus=1, mem_mib=6, bootargs="testkit.reboot")
    calm = guest_node("calm", vcpus=1, mem_mib=6, bootargs="testkit.hold")
    bundle = make_bundle(str(tmp_path), [looper, calm])
    m = vireo_factory(smp=2, extra=["-initrd", bundle])
    m.wait_prompt()
    # The first window's burst, then (once the 10 s window has passed and the guest reboots
    # again) the count of the suppressed lines. Nothing here depends on how fast that is.
    for _ in range(5):
        m.expect(r"guest looper: rebooting\r*\n", timeout=120)
    m.expect(r"\((\d+) similar messages suppressed\)\r*\n|guest looper: rebooting", timeout=120)
    assert m.p.match.group(1), "a sixth 'rebooting' line inside the first window"
    assert int(m.p.match.group(1)) > 0
    m.expect(r"guest looper: rebooting\r*\n", timeout=60)
    assert "TESTKIT REBOOT" in m.run("vserial dump looper")
    assert re.search(r"^\d+\s+calm\s+running", m.run("guest list"), re.M)
    assert "TESTKIT ALIVE" in m.run("vserial dump calm")
