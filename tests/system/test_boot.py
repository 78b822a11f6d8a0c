# SPDX-License-Identifier: GPL-2.0-only
"""Boot, host discovery and power control."""
import re

import pytest


@pytest.mark.parametrize("smp", [1, 2, 4])
def test_boot_reports_every_hart(vireo_factory, smp):
    m = vireo_factory(smp=smp)
    log = m.wait_prompt()
    assert "Vireo 0.1.0" in log
    assert re.search(r"cpu: %d harts? \(boot hart \d+\), isa rv64imafdch" % smp, log)
    assert "smp: %d of %d harts online" % (smp, smp) in log

    info = m.run("host info")
    assert re.search(r"^harts\s+%d online of %d \(boot hart \d+\)$" % (smp, smp), info, re.M)

    cpus = m.run("host cpu info").splitlines()
    assert cpus[0].split()[:3] == ["CPU", "HART", "STATE"]
    rows = [line.split() for line in cpus[1:]]
    assert [r[0] for r in rows] == [str(i) for i in range(smp)]
    assert all(r[2] == "online" for r in rows), cpus
    # The hart running the shell reports the shell thread as current; others are idle.
    assert rows[0][3] == "shell"
    assert all(r[3] == "idle/%s" % r[0] for r in rows[1:])


def test_host_info_reflects_the_machine(vireo_factory):
    m = vireo_factory(smp=2, mem="512M")
    m.wait_prompt()
    info = m.run("host info")
    assert re.search(r"^memory\s+512 MiB at 0x80000000-0x9fffffff", info, re.M), info
    assert re.search(r"^timebase\s+10000000 Hz \(timer: sstc\)$", info, re.M)
    assert re.search(r"^irqchip\s+PLIC at 0xc000000, 96 sources$", info, re.M)
    # The only input so far is "host info" and Enter, received through the UART interrupt.
    assert re.search(r"^console\s+ns16550a at 0x10000000, irq 10, interrupt input, 10 bytes in, "
                     r"0 dropped$", info, re.M), info
    assert re.search(r"^extensions\s+i m a f d c h .*\bsstc\b", info, re.M)
    assert re.search(r"^firmware\s+SBI v\d+\.\d+, OpenSBI v\d+\.\d+$", info, re.M)


def test_boot_log_never_touches_firmware_memory(vireo):
    # OpenSBI's own region is reserved in the tree and must be left out of the allocators.
    heap = vireo.run("heap info")
    assert re.search(r"^pages\s+\d+ of 4096 bytes in \d+ regions", heap, re.M)
    log = open(vireo.log.name).read()
    assert re.search(r"mem: reserved 0x80000000-0x8007ffff \(mmode_resv0", log)


def test_timer_falls_back_to_sbi_without_sstc(vireo_factory):
    m = vireo_factory(extra=["-cpu", "rv64,sstc=false"])
    log = m.wait_prompt()
    assert "timer: timebase 10000000 Hz, sbi" in log
    assert "(timer: sbi)" in m.run("host info")


@pytest.mark.parametrize("aia,name", [("aplic", "APLIC"), ("aplic-imsic", "APLIC+IMSIC")])
def test_aia_is_detected_and_console_still_works(vireo_factory, aia, name):
    m = vireo_factory(machine="virt,aia=" + aia)
    log = m.wait_prompt()
    assert "irq: %s detected" % name in log
    info = m.run("host info")
    assert re.search(r"^irqchip\s+%s \(APLIC yes, IMSIC %s" %
                     (re.escape(name), "yes" if "imsic" in aia else "no"), info, re.M)
    assert re.search(r"^console\s+ns16550a at 0x10000000, irq 10, polled input", info, re.M)
    # Input is polled without a driven interrupt controller: typing must still work.
    assert m.run("echo polled input works") == "polled input works"


def test_no_hypervisor_extension_powers_off_with_one_clear_line(vireo_factory):
    m = vireo_factory(extra=["-cpu", "rv64,h=false"])
    m.expect(r"error: Vireo needs the RISC-V H \(hypervisor\) extension, which this CPU lacks\. "
             r"Powering off\.", timeout=90)
    assert m.wait_exit(timeout=60) == 0


def test_shutdown_exits_qemu(vireo):
    vireo.p.send("shutdown\r")
    vireo.expect("Powering off the host.")
    assert vireo.wait_exit() == 0


def test_reboot_boots_again(vireo):
    vireo.p.send("reboot\r")
    vireo.expect("Rebooting the host.")
    vireo.expect("Vireo 0.1.0", timeout=90)
    vireo.wait_prompt()
    assert vireo.run("echo back again") == "back again"


def test_bootcmd_runs_before_the_prompt(vireo_factory):
    m = vireo_factory(append='console=ttyS0 vireo.bootcmd="echo first; version;echo last"')
    m.p.expect_exact("vireo> echo first\r", timeout=90)
    m.p.expect_exact("first\r")
    m.p.expect_exact("vireo> version\r")
    m.expect(r"Vireo 0\.1\.0 \([\w-]+\) riscv64, built with gcc")
    m.p.expect_exact("vireo> echo last\r")
    m.p.expect_exact("last\r")
    m.wait_prompt()
    assert m.run("echo interactive") == "interactive"


def test_bad_bootcmd_is_reported_and_the_shell_still_starts(vireo_factory):
    m = vireo_factory(append='vireo.bootcmd="echo unterminated')
    m.expect("error: shell: vireo.bootcmd has an unterminated quote, ignored", timeout=90)
    m.wait_prompt()
    assert m.run("echo still here") == "still here"


def test_initrd_is_found_and_kept_out_of_the_allocators(vireo_factory, tmp_path):
    def total_pages(m):
        return int(re.search(r"^pages\s+(\d+) of 4096 bytes", m.run("heap info"), re.M).group(1))

    plain = vireo_factory()
    plain.wait_prompt()
    pages_without = total_pages(plain)

    initrd = tmp_path / "initrd.bin"
    initrd.write_bytes(bytes(range(256)) * 1200)  # 307200 bytes = 75 pages
    m = vireo_factory(extra=["-initrd", str(initrd)])
    log = m.wait_prompt()
    found = re.search(r"mem: initrd 0x([0-9a-f]+)-0x([0-9a-f]+) \((\d+) KiB\), kept out of the "
                      r"allocators", log)
    assert found, log
    start, end = int(found.group(1), 16), int(found.group(2), 16)
    assert end - start + 1 == 307200 and int(found.group(3)) == 300
    assert total_pages(m) <= pages_without - 75
