# SPDX-License-Identifier: GPL-2.0-only
"""Per-hart CPU state no guest may share with another (docs/security.md): two test kits in the
leak mode (guests/testkit/README.md) take turns on one host cpu. Each checks that the vector unit
is out of its reach (the hart has V: -cpu rv64,v=true), that scounteren and senvcfg start at 0
and that what it wrote stays, while the other writes its own values in between. Once with a
VMID for each guest, once with VMIDs limited to none (vireo.vmid_bits=0: every guest shares
VMID 0 and the hart fences G-stage translations at each switch between guests), and on
-M virt,aia=aplic-imsic (siselect too). A witness kit on the same cpu keeps its heartbeat."""
import re
import time

import pytest

from bundle import guest_node, make_bundle

LEAK_DONE = re.compile(r"^LEAK (pass|fail) id=(\d) rounds=(\d+) checks=(\d+) failed=(\d+)(.*)$",
                       re.M)


def leak_guest(n):
    # Both on host cpu 0: every nap of one lets the other run on the same hart.
    return guest_node("leak%d" % n, vcpus=1, mem_mib=32, autostart=False,
                      bootargs="testkit.leak=%d" % n, extra="\t\t\tvcpu-affinity = <0>;")


def wait_console(m, guest, pattern, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        out = m.run("vserial dump %s" % guest)
        found = re.search(pattern, out, re.M)
        if found:
            return found, out
        time.sleep(0.5)
    pytest.fail("%s never printed %s:\n%s" % (guest, pattern, out))


@pytest.mark.parametrize("append,vmids,aia", [
    (None, r"127 VMIDs for guests", False),
    ("vireo.vmid_bits=0", r"0 VMIDs for guests \(guests beyond them share one, fenced on "
                          r"switch\)", False),
    # With AIA the guests also reach vsiselect (as siselect).
    (None, r"127 VMIDs for guests", True),
])
def test_no_cpu_state_passes_between_guests(vireo_factory, tmp_path, append, vmids, aia):
    # A witness on the same host cpu keeps its heartbeat throughout (hold mode, every 200 ms).
    witness = guest_node("witness", vcpus=1, mem_mib=16, bootargs="testkit.hold",
                         extra="\t\t\tvcpu-affinity = <0>;")
    bundle = make_bundle(str(tmp_path), [leak_guest(1), leak_guest(2), witness])
    machine = "virt,aia=aplic-imsic" if aia else "virt"
    m = vireo_factory(smp=2, machine=machine, extra=["-cpu", "rv64,v=true", "-initrd", bundle],
                      append=append)
    m.expect(r"gstage: \d+ VMID bits, %s" % vmids, timeout=90)
    m.wait_prompt()
    beat0 = int(wait_console(m, "witness", r"TESTKIT ALIVE (\d+)")[0].group(1))
    assert m.run("guest kick leak1") == "guest leak1: started"
    wrote, _ = wait_console(m, "leak1", r"^LEAK WROTE id=1 scounteren=0x5 senvcfg=0x([0-9a-f]+)")
    # senvcfg has writable bits on this QEMU, so the two guests' values differ.
    assert int(wrote.group(1), 16) != 0
    sel = "siselect=0x70" if aia else "siselect=0x0 (no siselect)"
    assert sel in wrote.string[wrote.start():].split("\n")[0], wrote.string
    assert m.run("guest kick leak2") == "guest leak2: started"
    resets = []
    for n in (1, 2):
        done, out = wait_console(m, "leak%d" % n, LEAK_DONE.pattern)
        resets.append(re.search(r"^LEAK RESET id=%d (.*)$" % n, out, re.M).group(1))
        assert done.group(1) == "pass", out
        assert "ISA string" not in out and "isa=rv64imafdc" in out, out
        # Many rounds, so the two guests took many turns on the hart.
        assert int(done.group(3)) >= 10 and done.group(5) == "0", out
    # Both started from the platform's reset values, not from what the other one wrote.
    assert resets[0] == resets[1], resets
    # The witness beat on meanwhile (each leak guest runs 3 s: 15 beats, at least 5 asked).
    beats = re.findall(r"TESTKIT ALIVE (\d+)", m.run("vserial dump witness"))
    assert beats and int(beats[-1]) >= beat0 + 5, (beat0, beats[-3:])
    listing = m.run("guest list")
    for n in (1, 2):
        assert re.search(r"^\d+\s+leak%d\s+halted\s+1\s+32\s+guest shut down$" % n, listing,
                         re.M), listing
