# SPDX-License-Identifier: GPL-2.0-only
"""Guests under Vireo: the test kit as a guest, several guests at once, lifecycle commands."""
import os
import re
import time

import pytest

from bundle import ROOT, guest_node, make_bundle

TESTS = ["sbi_base", "sbi_time", "wfi_wakeup", "sbi_hsm", "sbi_ipi", "sbi_rfence", "sbi_dbcn",
         "access_fault", "fp", "umode", "memory"]


def kit_results(m, name):
    """The TEST lines of a finished test-kit guest, from its console ring."""
    out = m.run("vserial dump %s" % name)
    assert "TESTKIT DONE" in out, out
    results = dict(re.findall(r"^TEST (\w+) (PASS|FAIL|SKIP)", out, re.M))
    done = re.search(r"^TESTKIT DONE passed=(\d+) failed=(\d+) skipped=(\d+)$", out, re.M)
    return results, done, out


def boot_with(vireo_factory, tmp_path, guests, smp=2, extra=()):
    bundle = make_bundle(str(tmp_path), guests)
    m = vireo_factory(smp=smp, extra=["-initrd", bundle] + list(extra))
    return m


@pytest.mark.parametrize("vcpus,smp,extra", [
    (1, 2, []),
    (4, 2, []),
    (4, 1, []),
    # Without Sstc the guest timer is emulated with host timer events and hvip.VSTIP.
    (2, 2, ["-cpu", "rv64,sstc=false"]),
])
def test_testkit_passes_as_a_guest(vireo_factory, tmp_path, vcpus, smp, extra):
    m = boot_with(vireo_factory, tmp_path, [guest_node("tk", vcpus=vcpus, mem_mib=64)], smp=smp,
                  extra=extra)
    m.expect(r"guest tk: created, %d vCPUs?, 64 MiB, starting" % vcpus, timeout=90)
    m.expect(r"guest tk: guest shut down( \(system failure\))?\r", timeout=180)
    m.wait_prompt()
    results, done, out = kit_results(m, "tk")
    assert set(results) == set(TESTS), out
    # With one hart there is nobody to send an IPI to: the kit skips that test.
    expected = {t: "SKIP" if t == "sbi_ipi" and vcpus == 1 else "PASS" for t in TESTS}
    assert results == expected, out
    assert done and done.group(2) == "0", out
    assert re.search(r"^INFO sbi_hsm %d other harts started, ran and stopped" % (vcpus - 1), out,
                     re.M) or vcpus == 1, out
    listing = m.run("guest list")
    assert re.search(r"^\d+\s+tk\s+halted\s+%d\s+64\s+guest shut down$" % vcpus, listing, re.M)


def test_two_guests_run_at_once(vireo_factory, tmp_path):
    m = boot_with(vireo_factory, tmp_path, [guest_node("alpha", vcpus=2, mem_mib=32),
                                            guest_node("beta", vcpus=3, mem_mib=48)])
    for _ in range(2):
        m.expect(r"guest (alpha|beta): guest shut down( \(system failure\))?\r", timeout=240)
    m.wait_prompt()
    for name in ("alpha", "beta"):
        results, done, out = kit_results(m, name)
        assert done and done.group(2) == "0", out
        assert results["sbi_hsm"] == "PASS" and results["memory"] == "PASS"
    # Each guest saw only its own RAM.
    assert "memory 0x80000000-0x81ffffff (32 MiB)" in m.run("vserial dump alpha")
    assert "memory 0x80000000-0x82ffffff (48 MiB)" in m.run("vserial dump beta")


def test_guest_created_stopped_is_started_by_kick(vireo_factory, tmp_path):
    m = boot_with(vireo_factory, tmp_path, [guest_node("later", autostart=False)])
    m.expect(r"guest later: created, 1 vCPU, 32 MiB\r", timeout=90)
    m.wait_prompt()
    assert re.search(r"^\d+\s+later\s+reset\s+1\s+32\s*$", m.run("guest list"), re.M)
    assert m.run("vserial dump later") == ""
    assert m.run("guest kick later") == "guest later: started"
    m.expect(r"guest later: guest shut down( \(system failure\))?\r", timeout=180)
    m.wait_prompt()
    results, done, out = kit_results(m, "later")
    assert done and done.group(2) == "0", out


def test_destroy_then_create_again(vireo_factory, tmp_path):
    m = boot_with(vireo_factory, tmp_path, [guest_node("tk", vcpus=2)])
    m.expect(r"guest tk: guest shut down( \(system failure\))?\r", timeout=180)
    m.wait_prompt()
    heap_before = re.search(r"used\s+(\d+) bytes in (\d+) blocks", m.run("heap info")).groups()
    assert m.run("guest destroy tk") == "guest tk: destroyed"
    assert "tk" not in m.run("guest list")
    assert m.run("guest create tk") == "guest tk: created, 2 vCPUs, 32 MiB"
    assert m.run("guest kick tk") == "guest tk: started"
    m.expect(r"guest tk: guest shut down( \(system failure\))?\r", timeout=180)
    m.wait_prompt()
    results, done, out = kit_results(m, "tk")
    assert done and done.group(2) == "0", out
    heap_after = re.search(r"used\s+(\d+) bytes in (\d+) blocks", m.run("heap info")).groups()
    assert heap_after == heap_before


def test_lifecycle_errors_are_one_line(vireo_factory, tmp_path):
    m = boot_with(vireo_factory, tmp_path, [guest_node("tk", autostart=False)])
    m.wait_prompt()
    assert m.run("guest pause tk") == "error: guest: tk is reset: cannot pause it"
    assert m.run("guest resume tk") == "error: guest: tk is reset: cannot resume it"
    assert m.run("guest kick nosuch") == "error: guest: no guest 'nosuch' (see 'guest list')"
    assert m.run("guest create tk") == "error: guest: tk already exists"
    assert m.run("guest create ghost") == \
        "error: guest: the configuration has no valid guest 'ghost'"
    assert m.run("vcpu dumpstat tk/5") == "error: vcpu: tk has vCPUs 0..0"
    assert m.run("vcpu dumpreg tk") == "error: vcpu: name a vCPU as <guest>/<n>, e.g. linux0/0"
    assert m.run("guest dumpmem tk 0x1000") == ("error: guest: dumpmem: 0x1000+256 is outside "
                                                "tk's RAM (0x80000000-0x81ffffff)")


def test_refused_configuration_names_node_and_property(vireo_factory, tmp_path):
    m = boot_with(vireo_factory, tmp_path, [guest_node("good", autostart=False),
                                            guest_node("bad", vcpus=0, autostart=False)])
    m.expect(r"error: config: guest bad refused: vcpus: 0 out of range 1\.\.16", timeout=90)
    m.wait_prompt()
    listing = m.run("guest list")
    assert "good" in listing and "bad" not in listing


CTRL_BRACKET = "\x1d"


def held_guest(vireo_factory, tmp_path, vcpus=2):
    """A test-kit guest that stays up after its tests (testkit.hold), bound once to see it."""
    m = boot_with(vireo_factory, tmp_path,
                  [guest_node("tk", vcpus=vcpus, bootargs="testkit.hold")])
    m.wait_prompt()
    see_alive(m)
    return m


def see_alive(m):
    """Binds the console, waits for a fresh heartbeat, detaches; returns the beat number."""
    m.p.send("vserial bind tk\r")
    m.p.expect_exact("[attached to tk; Ctrl-] returns to the shell]")
    m.expect(r"TESTKIT ALIVE (\d+)", timeout=120)
    beat = int(m.p.match.group(1))
    m.p.send(CTRL_BRACKET)
    m.p.expect_exact("[detached from tk]")
    m.wait_prompt(timeout=60)
    return beat


def output_bytes(m):
    return int(re.search(r"^tk\s+uart\s+(\d+)", m.run("vserial list"), re.M).group(1))


def test_vserial_bind_carries_input_both_ways(vireo_factory, tmp_path):
    m = held_guest(vireo_factory, tmp_path)
    m.p.send("vserial bind tk\r")
    m.p.expect_exact("[attached to tk;")
    m.p.send("x")
    m.expect(r"TESTKIT GOT 78", timeout=60)
    m.p.send(CTRL_BRACKET)
    m.p.expect_exact("[detached from tk]")
    m.wait_prompt()
    assert m.run("echo back in the shell") == "back in the shell"


def test_pause_and_resume_with_an_idle_vcpu(vireo_factory, tmp_path):
    m = held_guest(vireo_factory, tmp_path)
    # vCPU 1 was stopped by the kit (SBI HSM) and vCPU 0 sleeps in WFI between heartbeats.
    assert m.run("guest pause tk") == "guest tk: paused"
    assert re.search(r"^tk/0\s+paused", m.run("vcpu list"), re.M)
    before = output_bytes(m)
    # A running guest prints a heartbeat every 200 ms of its time; a paused one prints
    # nothing however long we wait (only a broken pause depends on this wait's length).
    time.sleep(1.5)
    assert output_bytes(m) == before
    assert m.run("guest resume tk") == "guest tk: resumed"
    assert see_alive(m) >= 0
    assert output_bytes(m) > before


def test_halt_then_reset_and_kick_boots_again(vireo_factory, tmp_path):
    m = held_guest(vireo_factory, tmp_path)
    assert m.run("guest halt tk") == "guest tk: halted"
    assert re.search(r"^\d+\s+tk\s+halted\s+2\s+32\s+halted from the shell$",
                     m.run("guest list"), re.M)
    assert m.run("guest reset tk") == "guest tk: reset"
    assert re.search(r"^\d+\s+tk\s+reset\s+2\s+32\s*$", m.run("guest list"), re.M)
    assert m.run("guest kick tk") == "guest tk: started"
    see_alive(m)
    assert m.run("vserial dump tk").count("TESTKIT START") == 2


def test_dumpmem_and_vcpu_introspection(vireo_factory, tmp_path):
    m = held_guest(vireo_factory, tmp_path)
    # The kernel image sits at RAM base + 2 MiB: its first bytes are in the dump.
    image = open(os.path.join(ROOT, "build", "testkit", "testkit.bin"), "rb").read(16)
    dump = m.run("guest dumpmem tk 0x80200000 16")
    assert dump.startswith("0080200000: " + " ".join("%02x" % b for b in image)), dump
    regs = m.run("vcpu dumpreg tk/0")
    assert re.search(r"^pc\s+00000000802[0-9a-f]{5}$", regs, re.M), regs
    assert re.search(r"^vstvec\s+00000000802", regs, re.M), regs
    stats = m.run("vcpu dumpstat tk/0")
    assert int(re.search(r"sbi call\s+(\d+)", stats).group(1)) > 0
    assert int(re.search(r"wfi\s+(\d+)", stats).group(1)) > 0
    assert int(re.search(r"guest page fault\s+(\d+)", stats).group(1)) >= 2  # access_fault


def test_fp_registers_stay_with_their_vcpu(vireo_factory, tmp_path):
    # Two guests pinned to the same host cpu take turns on it while their fp tests wait.
    pinned = "\t\t\tvcpu-affinity = <0>;"
    m = boot_with(vireo_factory, tmp_path, [guest_node("one", extra=pinned),
                                            guest_node("two", extra=pinned)])
    for _ in range(2):
        m.expect(r"guest (one|two): guest shut down( \(system failure\))?\r", timeout=240)
    m.wait_prompt()
    for name in ("one", "two"):
        results, done, out = kit_results(m, name)
        assert results["fp"] == "PASS", out
        assert done and done.group(2) == "0", out
    assert re.search(r"^one/0\s+halted\s+0\s", m.run("vcpu list"), re.M)
    assert re.search(r"^two/0\s+halted\s+0\s", m.run("vcpu list"), re.M)


def test_syscon_test_device_powers_off_and_reboots_the_guest(vireo_factory, tmp_path):
    # The kit writes 0x7777 ('r') or 0x5555 ('p') to 0x100000: a store to an emulated
    # region, decoded by Vireo and handed to the syscon test device model.
    m = held_guest(vireo_factory, tmp_path)
    m.p.send("vserial bind tk\r")
    m.p.expect_exact("[attached to tk;")
    m.p.send("r")
    m.expect(r"guest tk: rebooting", timeout=60)
    m.expect(r"TESTKIT START hart=0", timeout=120)
    m.expect(r"TESTKIT ALIVE", timeout=120)
    m.p.send("p")
    m.expect(r"guest tk: guest powered off\r", timeout=60)
    m.p.send(CTRL_BRACKET)
    m.p.expect_exact("[detached from tk]")
    m.wait_prompt()
    assert re.search(r"^\d+\s+tk\s+halted\s+2\s+32\s+guest powered off$", m.run("guest list"),
                     re.M)
    assert int(re.search(r"emulated access\s+(\d+)", m.run("vcpu dumpstat tk/0")).group(1)) >= 1


def test_generated_device_tree_describes_the_test_device(vireo_factory, tmp_path):
    m = held_guest(vireo_factory, tmp_path, vcpus=1)
    # The tree sits in the last 2 MiB of the guest's 32 MiB: find the syscon compatible there.
    dump = m.run("guest dumpmem tk 0x81e00000 4096")
    text = "".join(line.split("|")[1] for line in dump.splitlines() if "|" in line)
    assert "sifive,test0" in text and "syscon-poweroff" in text and "riscv-virtio" in text


def test_a_stopped_guest_does_not_stop_the_others(vireo_factory, tmp_path):
    # "broken" executes zeros: an illegal instruction with no trap vector, then faults at its
    # own vector. Vireo halts it; the held test kit keeps its heartbeat.
    bundle = make_bundle(str(tmp_path), [guest_node("tk", vcpus=2, bootargs="testkit.hold"),
                                         guest_node("broken", kernel="zeros.bin")],
                         images={"zeros.bin": bytes(4096)})
    m = vireo_factory(extra=["-initrd", bundle])
    m.expect(r"guest broken: vcpu 0 hit an unrecoverable exception", timeout=90)
    m.wait_prompt()
    first = see_alive(m)
    assert see_alive(m) > first
    listing = m.run("guest list")
    assert re.search(r"^\d+\s+broken\s+halted\s+1\s+32\s+vcpu 0 hit an unrecoverable exception$",
                     listing, re.M), listing
    assert re.search(r"^\d+\s+tk\s+running\s+2\s+32", listing, re.M), listing


def test_destroy_returns_every_page(vireo_factory, tmp_path):
    m = boot_with(vireo_factory, tmp_path, [guest_node("tk", vcpus=2, mem_mib=64,
                                                       autostart=False)])
    m.wait_prompt()

    def free_pages():
        return int(re.search(r"^  free\s+(\d+) pages", m.run("heap info"), re.M).group(1))

    with_guest = free_pages()
    assert m.run("guest destroy tk") == "guest tk: destroyed"
    without = free_pages()
    # 64 MiB of RAM plus stage-2 tables and vCPU thread stacks came back.
    assert without >= with_guest + 64 * 256
    assert m.run("guest create tk") == "guest tk: created, 2 vCPUs, 64 MiB"
    assert free_pages() == with_guest
    assert m.run("guest destroy tk") == "guest tk: destroyed"
    assert free_pages() == without


def test_ram_is_cleared_for_every_boot(vireo_factory, tmp_path):
    """The test kit fills its RAM with patterns; after a reset (same RAM) and after destroy and
    create (RAM back through the allocator) the next run must find it zero again."""
    m = boot_with(vireo_factory, tmp_path, [guest_node("tk", vcpus=1, mem_mib=32)])
    for round_ in range(3):
        m.expect(r"guest tk: guest shut down( \(system failure\))?\r", timeout=180)
        m.wait_prompt()
        results, done, out = kit_results(m, "tk")
        assert results.get("memory") == "PASS", out
        assert "of fresh RAM not zero" not in out
        if round_ == 0:
            assert m.run("guest reset tk") == "guest tk: reset"
        elif round_ == 1:
            assert m.run("guest destroy tk") == "guest tk: destroyed"
            assert m.run("guest create tk") == "guest tk: created, 1 vCPU, 32 MiB"
        else:
            break
        assert m.run("guest kick tk") == "guest tk: started"
