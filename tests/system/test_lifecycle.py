# SPDX-License-Identifier: GPL-2.0-only
"""Guest lifecycle without leaks: guests created, started, stopped and destroyed hundreds of
times in one boot, some of them in the middle of booting or of disk and network I/O. After every
loop the heap's bytes and blocks in use and the page allocator's free pages (`heap info`) must be
exactly what they were before it, the switch must have dropped the dead ports, and the guests
that were left alone, and the last guest made, must still work."""
import re
import time

from bundle import guest_node, make_bundle
from test_guests import CTRL_BRACKET
from test_linux import MARKER, console_total, dev, linux_images, linux_node

LOOPS = 200


def machine(vireo_factory, bundle):
    """A machine booted to the prompt with bundle. Hundreds of short commands follow: send at
    once (pexpect waits 50 ms before every send by default)."""
    m = vireo_factory(extra=["-initrd", bundle])
    m.p.delaybeforesend = None
    m.wait_prompt()
    return m


def memory(m):
    """(heap bytes in use, heap blocks in use, free pages) from `heap info`."""
    out = m.run("heap info")
    used = re.search(r"^  used\s+(\d+) bytes in (\d+) blocks", out, re.M)
    pages = re.search(r"^  free\s+(\d+) pages", out, re.M)
    assert used and pages, out
    return int(used.group(1)), int(used.group(2)), int(pages.group(1))


def run_expect(m, line, expected):
    """Runs a ';'-separated line; its output must be exactly the expected lines."""
    out = m.run(line)
    assert out.splitlines() == expected, (line, out)


def heartbeat(m, console):
    """Binds a held test kit's console until a fresh heartbeat; returns the beat number."""
    bind(m, console)
    m.expect(r"TESTKIT ALIVE (\d+)", timeout=120)
    beat = int(m.p.match.group(1))
    unbind(m, console)
    return beat


SYNC = [0]


def bind(m, console):
    m.p.send("vserial bind %s\r" % console)
    m.p.expect_exact("[attached to %s; Ctrl-] returns to the shell]" % console)


def unbind(m, console):
    m.p.send(CTRL_BRACKET)
    m.p.expect_exact("[detached from %s]" % console)
    m.wait_prompt(timeout=60)


def shell_sync(m, guest, timeout=120):
    """Waits until the bound guest shell has read everything typed so far and prompts again:
    the output of a unique echo (not its echo by the tty), then the prompt after it."""
    SYNC[0] += 1
    token = "SYNC-%d" % SYNC[0]
    m.p.send("echo %s\r" % token)
    m.expect(r"(?<!echo )%s\r*\n" % token, timeout=timeout)
    m.p.expect_exact("%s# " % guest, timeout=timeout)


def in_guest(m, console, command, timeout=120):
    """Runs a command in a Linux guest's shell on console and returns its output."""
    guest = console.split(".")[0]
    bind(m, console)
    try:
        shell_sync(m, guest, timeout)
        m.p.send(command + "\r")
        m.p.expect_exact(command, timeout=timeout)
        m.expect(r"\r\n%s# " % guest, timeout=timeout)
        return m.p.before.replace("\r", "").strip("\n")
    finally:
        unbind(m, console)


# Each iteration creates the guest, starts it, and ends it one of these ways (the shell runs the
# commands of one line back to back, so "destroy" lands while the guest is starting up).
KIT_ENDINGS = [
    ([], []),
    (["pause"], ["paused"]),
    (["halt"], ["halted"]),
    (["reset"], ["reset"]),
    (["pause", "resume", "halt"], ["paused", "resumed", "halted"]),
]


def test_testkit_guest_200_times(vireo_factory, tmp_path):
    """tk (2 vCPUs, held after its tests) is destroyed right after the boot; then 200 times:
    create, kick, one of KIT_ENDINGS, destroy; every 40th time the guest first runs until its
    heartbeat (its tests done). A second held kit, "by", runs beside it all along."""
    held = "testkit.hold"
    bundle = make_bundle(str(tmp_path), [
        guest_node("tk", vcpus=2, mem_mib=32, autostart=False, bootargs=held),
        guest_node("by", vcpus=1, mem_mib=32, bootargs=held)])
    m = machine(vireo_factory, bundle)
    first_beat = heartbeat(m, "by")
    run_expect(m, "guest destroy tk", ["guest tk: destroyed"])
    baseline = memory(m)
    created = "guest tk: created, 2 vCPUs, 32 MiB"
    for i in range(LOOPS):
        if i % 40 == 39:
            run_expect(m, "guest create tk; guest kick tk", [created, "guest tk: started"])
            heartbeat(m, "tk")
            assert "TESTKIT DONE" in m.run("vserial dump tk")
            run_expect(m, "guest destroy tk", ["guest tk: destroyed"])
            continue
        ops, past = KIT_ENDINGS[i % len(KIT_ENDINGS)]
        line = "; ".join(["guest create tk", "guest kick tk"] + ["guest %s tk" % o for o in ops]
                         + ["guest destroy tk"])
        run_expect(m, line, [created, "guest tk: started"] + ["guest tk: %s" % p for p in past]
                   + ["guest tk: destroyed"])
    assert memory(m) == baseline
    assert "tk" not in m.run("guest list")
    # The last guest boots and passes its tests; the bystander kept its heartbeat.
    run_expect(m, "guest create tk; guest kick tk", [created, "guest tk: started"])
    heartbeat(m, "tk")
    out = m.run("vserial dump tk")
    assert re.search(r"^TESTKIT DONE passed=\d+ failed=0 ", out, re.M), out
    assert heartbeat(m, "by") > first_beat
    assert re.search(r"^\d+\s+by\s+running\s+1\s+32\s*$", m.run("guest list"), re.M)
    run_expect(m, "guest destroy tk", ["guest tk: destroyed"])
    assert memory(m) == baseline


def linux_devices(disk):
    return "\n".join([
        dev("disk0", ['type = "virtio-blk";', 'image = "images/%s";' % disk]),
        dev("net0", ['type = "virtio-net";', 'switch = "lan";']),
        dev("rng0", ['type = "virtio-rng";']),
        dev("hvc0", ['type = "virtio-console";'])])


def wait_marker(m, guest, timeout=240):
    """Polls the console of a guest made since its last boot until its boot marker shows."""
    deadline = time.time() + timeout
    while MARKER % guest not in m.run("vserial dump %s" % guest):
        assert time.time() < deadline, "%s never printed its boot marker" % guest
        time.sleep(0.1)


def wait_output(m, guest, at_least, timeout=240):
    """Polls `vserial list` until the guest's console has written at_least bytes."""
    deadline = time.time() + timeout
    while console_total(m, guest) < at_least:
        assert time.time() < deadline, "%s never wrote %d bytes" % (guest, at_least)
        time.sleep(0.01)


# Console bytes the Linux guest has written when it is destroyed in the middle of its boot:
# from its first line to userspace starting (it has written about 5 KiB at its boot marker).
LINUX_DESTROY_AT = [1, 1500, 3000, 4500]


def test_linux_guest_200_times(vireo_factory, tmp_path):
    """lx (2 vCPUs, 128 MiB, a 4 MiB writable disk, a port on "lan", virtio-rng and a virtio
    console) is destroyed right after the boot; then 200 times: create, kick, destroy. Most
    destroys come in the same shell line as the kick (the kernel barely started); every 10th
    (i % 10 == 5) once its console has written LINUX_DESTROY_AT bytes, in turn (the kernel
    running, drivers probing, userspace starting); every 50th (i % 50 == 49) after its boot
    marker and a command answered on its console."""
    images = linux_images()
    images["lx.img"] = bytes(4 << 20)
    node = linux_node("lx", 2, "169.254.0.1", linux_devices("lx.img"), autostart=False)
    m = machine(vireo_factory, make_bundle(str(tmp_path), [node], images=images))
    run_expect(m, "guest destroy lx", ["guest lx: destroyed"])
    baseline = memory(m)
    created = "guest lx: created, 2 vCPUs, 128 MiB"
    booted = 0
    for i in range(LOOPS):
        if i % 50 == 49:
            run_expect(m, "guest create lx; guest kick lx", [created, "guest lx: started"])
            wait_marker(m, "lx")
            assert in_guest(m, "lx", "echo up %d" % i) == "up %d" % i
            booted += 1
        elif i % 10 == 5:
            run_expect(m, "guest create lx; guest kick lx", [created, "guest lx: started"])
            wait_output(m, "lx", LINUX_DESTROY_AT[i // 10 % len(LINUX_DESTROY_AT)])
        else:
            run_expect(m, "guest create lx; guest kick lx; guest destroy lx",
                       [created, "guest lx: started", "guest lx: destroyed"])
            continue
        run_expect(m, "guest destroy lx", ["guest lx: destroyed"])
    assert booted == 4
    assert memory(m) == baseline
    listing = m.run("vnet list")
    assert re.search(r"^switch lan: 0 ports", listing, re.M), listing
    assert "lx" not in listing
    # The last one boots, answers, and uses its disk.
    run_expect(m, "guest create lx; guest kick lx", [created, "guest lx: started"])
    wait_marker(m, "lx")
    assert in_guest(m, "lx", "blkcheck /dev/vda").startswith("blkcheck: PASS /dev/vda")
    run_expect(m, "guest destroy lx", ["guest lx: destroyed"])
    assert memory(m) == baseline


def disk_writes(m, guest):
    row = re.search(r"^%s\s+disk0\s+\S+\s+\d+\s+\S+\s+\d+\s+(\d+)" % guest, m.run("vdisk list"),
                    re.M)
    assert row, "no disk for %s" % guest
    return int(row.group(1))


def port_counts(m, port):
    """(packets the port sent into the switch, packets the switch gave it)."""
    listing = m.run("vnet list")
    row = re.search(r"^\s+%s\s+[0-9a-f:]{17}\s+(\d+)\s+\d+\s+(\d+)" % re.escape(port), listing,
                    re.M)
    assert row, listing
    return int(row.group(1)), int(row.group(2))


def wait_growing(m, read, timeout=120):
    """Polls read() until its value grows twice: the work behind it is running."""
    deadline = time.time() + timeout
    first = last = read()
    while not (last > first and read() > last):
        assert time.time() < deadline, "no progress from %s" % read
        time.sleep(0.05)
        last = read()


def start_in_guest(m, console, command):
    """Starts a long command in a guest's shell and leaves it running, unbound."""
    bind(m, console)
    shell_sync(m, console.split(".")[0])
    m.p.send(command + "\r")
    m.p.expect_exact(command)
    unbind(m, console)


KILL_ROUNDS = 5


def test_linux_guest_destroyed_mid_io(vireo_factory, tmp_path):
    """peer (1 vCPU) and vx (2 vCPUs) share the switch "lan"; vx is destroyed right after the
    boot. Then KILL_ROUNDS times: vx is created and booted; on its UART console it loops on its
    disk (`blkcheck /dev/vda 1000000`: O_DIRECT writes and reads, flushes), on its virtio console
    it pings peer back to back (`ping -i 0`), and peer pings it back to back; once vx's disk
    writes and its port's packets are seen growing, vx is destroyed. Each time the switch must
    have dropped vx's port and peer must answer; at the end memory is back to the baseline, and a
    last vx boots and reaches peer over the switch."""
    images = linux_images()
    images["peer.img"] = bytes(1 << 20)
    images["vx.img"] = bytes(4 << 20)
    peer = linux_node("peer", 1, "169.254.0.1", "\n".join([
        dev("disk0", ['type = "virtio-blk";', 'image = "images/peer.img";']),
        dev("net0", ['type = "virtio-net";', 'switch = "lan";'])]))
    vx = linux_node("vx", 2, "169.254.0.2", linux_devices("vx.img"), autostart=False)
    m = machine(vireo_factory, make_bundle(str(tmp_path), [peer, vx], images=images))
    run_expect(m, "guest destroy vx", ["guest vx: destroyed"])
    wait_marker(m, "peer")
    baseline = memory(m)
    for round_ in range(KILL_ROUNDS):
        run_expect(m, "guest create vx; guest kick vx",
                   ["guest vx: created, 2 vCPUs, 128 MiB", "guest vx: started"])
        wait_marker(m, "vx")
        start_in_guest(m, "vx", "blkcheck /dev/vda 1000000")
        start_in_guest(m, "vx.hvc0", "ping -c 100000 -i 0 169.254.0.1")
        start_in_guest(m, "peer", "ping -c 100000 -i 0 169.254.0.2")
        wait_growing(m, lambda: disk_writes(m, "vx"))
        wait_growing(m, lambda: sum(port_counts(m, "vx.net0")))
        run_expect(m, "guest destroy vx", ["guest vx: destroyed"])
        listing = m.run("vnet list")
        assert re.search(r"^switch lan: 1 port,", listing, re.M), listing
        assert "vx" not in listing and re.search(r"^\s+peer\.net0\s", listing, re.M), listing
        # peer's ping has lost its partner: stop it; its shell answers.
        bind(m, "peer")
        m.p.send("\x03")
        m.expect(r"\d+ packets transmitted, \d+ received", timeout=120)
        shell_sync(m, "peer")
        unbind(m, "peer")
        assert in_guest(m, "peer", "echo round %d" % round_) == "round %d" % round_
    assert memory(m) == baseline
    assert in_guest(m, "peer", "blkcheck /dev/vda").startswith("blkcheck: PASS /dev/vda")
    run_expect(m, "guest create vx; guest kick vx",
               ["guest vx: created, 2 vCPUs, 128 MiB", "guest vx: started"])
    wait_marker(m, "vx")
    out = in_guest(m, "vx", "ping -c 2 169.254.0.1")
    assert "2 packets transmitted, 2 received" in out, out
    assert re.search(r"^switch lan: 2 ports,", m.run("vnet list"), re.M)
    run_expect(m, "guest destroy vx", ["guest vx: destroyed"])
    assert memory(m) == baseline
