# SPDX-License-Identifier: GPL-2.0-only
"""Denial-of-service storms beside a witness (docs/security.md, "Bounded work"): the test kit's
storm mode (guests/testkit/README.md) keeps up one attack for a few seconds on the host cpu of
a witness guest (the kit in hold mode, a heartbeat every 200 ms) and of the shell. The witness
must keep beating during the storm and the shell must answer, which it cannot when a guest
makes Vireo work with interrupts masked for as long as the guest likes:
  - blk: one notify, 128 avail entries naming one 3.75 MiB read (480 MiB of copying);
  - net: a second vCPU publishes frames without end after one notify, broadcasts flood the
    switch and the kit's second NIC has a receive ring full of descriptor loops;
  - timer: a deadline 2^62 ticks away, then WFI: no timer-interrupt storm on its host cpu."""
import re
import time

import pytest

from bundle import guest_node, make_bundle
from test_linux import dev

ALIVE = re.compile(r"TESTKIT ALIVE (\d+)")
BEAT_S = 0.2  # the witness's heartbeat period (guests/testkit/main.c, hold mode)


def beat(m):
    beats = ALIVE.findall(m.run("vserial dump witness"))
    return int(beats[-1]) if beats else -1


def console_until(m, guest, pattern, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = re.search(pattern, m.run("vserial dump %s" % guest), re.M)
        if found:
            return found
        time.sleep(0.2)
    pytest.fail("%s never printed %s" % (guest, pattern))


def timer_irqs(m, cpu):
    row = re.search(r"^%d\s+\d+\s+\S+\s+\S+\s+\d+%%\s+(\d+)" % cpu, m.run("host cpu info"), re.M)
    assert row
    return int(row.group(1))


def storm_guest(kind, vcpus, affinity, extra=""):
    return guest_node("storm-%s" % kind, vcpus=vcpus, mem_mib=32, autostart=False,
                      bootargs="testkit.storm=%s" % kind,
                      extra="\t\t\tvcpu-affinity = <%s>;%s" % (affinity, extra))


@pytest.fixture(scope="module")
def machine(tmp_path_factory):
    from conftest import Vireo
    tmp = tmp_path_factory.mktemp("storm")
    disk = dev("disk0", ['type = "virtio-blk";', 'image = "images/storm.img";', "read-only;"])
    nics = "\n".join(dev("net%d" % i, ['type = "virtio-net";', 'switch = "lan";'])
                     for i in range(2))
    guests = [
        # The witness, the shell and every storm's boot vCPU share host cpu 0.
        guest_node("witness", vcpus=1, mem_mib=64, bootargs="testkit.hold",
                   extra="\t\t\tvcpu-affinity = <0>;"),
        storm_guest("blk", 1, "0", "\n\t\t\tdevices {\n%s\n\t\t\t};" % disk),
        storm_guest("net", 2, "0 1", "\n\t\t\tdevices {\n%s\n\t\t\t};" % nics),
        # The timer storm sleeps on cpu 1, where its timer interrupts are counted.
        storm_guest("timer", 2, "1 0"),
    ]
    bundle = make_bundle(str(tmp), guests, images={"storm.img": bytes(4 << 20)})
    m = Vireo("test_storm", smp=2, extra=["-initrd", bundle])
    m.wait_prompt()
    console_until(m, "witness", ALIVE.pattern, timeout=180)
    yield m
    m.close()


@pytest.mark.parametrize("kind", ["blk", "net", "timer"])
def test_storm_beside_a_witness(machine, kind):
    m = machine
    irqs_before = timer_irqs(m, 1)
    assert m.run("guest kick storm-%s" % kind) == "guest storm-%s: started" % kind
    console_until(m, "storm-%s" % kind, r"^STORM %s start" % kind)
    first = beat(m)
    # The shell answers during the storm (how fast is make bench's business).
    for _ in range(3):
        assert m.run("version").startswith("Vireo ")
    done = console_until(m, "storm-%s" % kind,
                         r"^STORM %s (done|fail) elapsed_us=(\d+)(.*)$" % kind, timeout=180)
    last = beat(m)
    irqs = timer_irqs(m, 1) - irqs_before
    assert done.group(1) == "done", done.group(0)
    elapsed = int(done.group(2)) / 1e6
    figures = dict(re.findall(r"(\w+)=(\d+)", done.group(3)))
    # The witness beat on through the storm: at least half of the beats it had time for
    # (time as the guests see it, so a slow machine slows both alike).
    assert last - first >= elapsed / BEAT_S / 2, (first, last, elapsed)
    if kind == "blk":
        assert int(figures["requests"]) >= 128 and figures["failed"] == "0", figures
    elif kind == "net":
        assert int(figures["frames"]) > 256, figures
    else:
        assert figures["timer_pending"] == "0", figures
        # A sleeping vCPU with a deadline at the end of time costs its cpu next to nothing
        # (a wrapped deadline meant about 150,000 timer interrupts a second).
        assert irqs < 50 * elapsed + 200, irqs
    listing = m.run("guest list")
    assert re.search(r"^\d+\s+storm-%s\s+halted\s+\d+\s+32\s+guest shut down$" % kind, listing,
                     re.M), listing
