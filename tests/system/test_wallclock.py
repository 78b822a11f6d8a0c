# SPDX-License-Identifier: GPL-2.0-only
"""Wall clock from the host's Goldfish RTC and the random generator's seed, as the boot log
reports them."""
import datetime
import re
import subprocess

from conftest import ANSI

TIME_LINE = re.compile(r"time: (\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z \(host RTC")


def boot_log(m):
    return ANSI.sub("", m.wait_prompt()).replace("\r", "")


def logged_time(log):
    t = TIME_LINE.search(log)
    assert t, log
    return datetime.datetime(*(int(g) for g in t.groups()), tzinfo=datetime.timezone.utc)


def test_boot_log_shows_rtc_wall_clock_and_seed(vireo_factory):
    before = datetime.datetime.now(datetime.timezone.utc)
    m = vireo_factory()
    log = boot_log(m)
    after = datetime.datetime.now(datetime.timezone.utc)
    assert "rtc: goldfish at 0x101000, irq 11" in log
    # QEMU's RTC follows the host's UTC clock by default, so the date is a real one.
    t = logged_time(log)
    assert t.year >= 2024
    assert before - datetime.timedelta(seconds=5) <= t <= after + datetime.timedelta(seconds=5)
    # QEMU 7.2 virt puts 32 bytes of rng-seed in /chosen.
    assert ("random: ChaCha20, seeded from the device tree's rng-seed (32 bytes) and timer "
            "readings") in log
    assert "wall clock not set" not in log


def test_rtc_base_option_sets_the_wall_clock(vireo_factory):
    m = vireo_factory(extra=["-rtc", "base=2031-02-03T04:05:06"])
    t = logged_time(boot_log(m))
    start = datetime.datetime(2031, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)
    assert start <= t <= start + datetime.timedelta(seconds=60)


def test_without_rtc_the_wall_clock_is_not_set(vireo_factory, tmp_path):
    # QEMU virt always has the RTC: boot with its own tree minus the rtc node.
    dtb = tmp_path / "virt.dtb"
    subprocess.run(["qemu-system-riscv64", "-M", "virt,dumpdtb=%s" % dtb, "-smp", "2", "-m",
                    "1G", "-nographic"], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, timeout=60)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(dtb)], check=True,
                         capture_output=True, text=True).stdout
    dts, n = re.subn(r"\n\s*rtc@101000 \{.*?\};\n", "\n", dts, flags=re.S)
    assert n == 1
    no_rtc = tmp_path / "no-rtc.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(no_rtc)], input=dts,
                   check=True, text=True)
    m = vireo_factory(extra=["-dtb", str(no_rtc)])
    log = boot_log(m)
    assert "rtc: goldfish" not in log
    assert ("warning: time: no RTC, wall clock not set: counting from 2020-01-01T00:00:00Z"
            in log)
