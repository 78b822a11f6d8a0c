# SPDX-License-Identifier: GPL-2.0-only
"""Malformed configurations and shell commands, table-driven. Each case names the exact one-line
error (or a precise regex) Vireo must answer with; after each, Vireo must carry on: the next
command works and the guests that were fine stay fine.

The configuration parser itself is covered case by case on the host (tests/unit/
test_guest_config.c); here the cases are those only a running Vireo can show: several bad
guests beside good ones in one bundle, names that collide (which dtc cannot even write),
memory that runs out across guests, images that are bad at run time, and `guest create` of a
refused guest answering with the same reason."""
import re

from bundle import TESTKIT, make_bundle
from test_lifecycle import heartbeat, machine, memory
from test_linux import dev

HELD = "testkit.hold"


def devices(*nodes):
    return "\t\t\tdevices {\n%s\n\t\t\t};" % "\n".join(nodes)


def net_with_mac(name, mac):
    return dev(name, ['type = "virtio-net";', 'switch = "lan";', "mac = [%s];" % mac])


def kit_node(name, extra="", vcpus=1, mem_mib=32, kernel="testkit.bin", autostart=False,
             bootargs=None, **props):
    """A test-kit guest node; props ({name: dts value}, None to leave one out) replace or add
    properties, so a case can give one a malformed value."""
    values = {"vcpus": vcpus if isinstance(vcpus, str) else "<%d>" % vcpus, "memory": "<0x0 0x%x>" % (mem_mib << 20),
              "kernel": '"images/%s"' % kernel}
    if bootargs:
        values["bootargs"] = '"%s"' % bootargs
    values.update({k.replace("_", "-"): v for k, v in props.items()})
    lines = ["\t\t%s {" % name] + ["\t\t\t%s = %s;" % (k, v) for k, v in values.items()
                                     if v is not None]
    if autostart:
        lines.append("\t\t\tautostart;")
    if extra:
        lines.append(extra)
    return "\n".join(lines + ["\t\t};"])


# (guest node, the reason it is refused). Each line at boot reads
# "error: config: guest <name> refused: <reason>"; `guest create <name>` answers
# "error: guest: <name> refused: <reason>". Reasons are regexes (free memory varies).
CONFIG_CASES = [
    (kit_node("vcpustring", vcpus='"three"'), r"vcpus: must be one cell, e\.g\. <2>"),
    (kit_node("vcpushuge", vcpus="<4096>"), r"vcpus: 4096 out of range 1\.\.16"),
    (kit_node("nomemory", memory=None), r"memory: missing \(required: RAM size in bytes\)"),
    (kit_node("memstring", memory='"lots"'), r"memory: must be 1 or 2 cells, not 5 bytes"),
    (kit_node("memhuge", memory="<0x10 0x0>"),
     r"memory: RAM of 65536 MiB larger than free memory \(\d+ MiB\)"),
    (kit_node("memodd", memory="<0x0 0x2100000>"),
     r"memory: 0x2100000 bytes is not a multiple of 2 MiB"),
    (kit_node("slicehuge", vcpu_timeslice_us="<0xffffffff>"),
     r"vcpu-timeslice-us: cell 0: 4294967295 out of range 100\.\.1000000"),
    (kit_node("priohuge", vcpu_priority="<99>"), r"vcpu-priority: cell 0: 99 out of range 0\.\.7"),
    (kit_node("affinity", vcpu_affinity="<2>"),
     r"vcpu-affinity: cell 0: host cpu 2 does not exist \(host has 2 cpus\)"),
    (kit_node("affinityall", vcpus=3, vcpu_affinity="<0 1 2>"),
     r"vcpu-affinity: cell 2: host cpu 2 does not exist \(host has 2 cpus\)"),
    (kit_node("unknownprop", colour='"blue"'), r"colour: unknown property"),
    (kit_node("autostartval", "\t\t\tautostart = <1>;"), r"autostart: takes no value.*"),
    (kit_node("gpu", devices(dev("gpu0", ['type = "virtio-gpu";']))),
     r"gpu0: type: \"virtio-gpu\" unknown \(virtio-blk, virtio-net, virtio-rng or "
     r"virtio-console\)"),
    (kit_node("nodevtype", devices(dev("disk0", ['image = "images/disk.img";']))),
     r"disk0: type: missing.*"),
    (kit_node("tenconsoles", devices(*[dev("con%d" % i, ['type = "virtio-console";'])
                                       for i in range(9)])),
     r"devices: more than 8 devices"),
    (kit_node("nokernel", kernel="nope.bin"),
     r"kernel: missing image \"images/nope\.bin\" \(not in the bundle\)"),
    (kit_node("emptykernel", kernel="empty.bin"), r"kernel: image \"images/empty\.bin\" is empty"),
    (kit_node("baddtb", dtb='"images/trunc.dtb"'),
     r"dtb: \"images/trunc\.dtb\" is not a valid device tree blob"),
    (kit_node("oddisk", devices(dev("disk0", ['type = "virtio-blk";',
                                               'image = "images/odd.img";']))),
     r"disk0: image: \"images/odd\.img\" is 1000 bytes, not a multiple of 512.*"),
    (kit_node("toosmall", mem_mib=2, initrd='"images/big.img"'),
     r"memory: 2 MiB too small for the images \(\d+ KiB\)"),
    (kit_node("twindevs", devices(dev("conaa", ['type = "virtio-console";']),
                                  dev("conbb", ['type = "virtio-console";']))),
     r"devices: two devices named conaa"),
    (kit_node("twinmacs", devices(net_with_mac("net0", "02 00 00 00 00 78"),
                                  net_with_mac("net1", "02 00 00 00 00 78"))),
     r"net1: mac: 02:00:00:00:00:78 is already net0's on switch lan"),
]


def rename(old, new):
    """A dtb patch: renames node `old` to `new` (same length), making names collide."""
    assert len(old) == len(new)
    return lambda data: data.replace(old.encode() + b"\0", new.encode() + b"\0")


def boot_configs(vireo_factory, tmp_path, extra_guests=()):
    kit = open(TESTKIT, "rb").read()
    good = kit_node("good", devices(
        dev("disk0", ['type = "virtio-blk";', 'image = "images/disk.img";']),
        dev("net0", ['type = "virtio-net";', 'switch = "lan";']),
        dev("hvc0", ['type = "virtio-console";'])), vcpus=2, bootargs=HELD, autostart=True)
    guests = [good] + [node for node, _ in CONFIG_CASES] + list(extra_guests)
    images = {"disk.img": bytes(65536), "empty.bin": b"", "odd.img": bytes(1000),
              "trunc.dtb": b"\xd0\x0d\xfe\xed" + bytes(60), "big.img": bytes(3 << 20),
              "stub.bin": kit[:64]}
    patches = [rename("conbb", "conaa"), rename("dupbb", "dupaa")]
    bundle = make_bundle(str(tmp_path), guests, images=images,
                         dtb_patch=lambda data: patches[1](patches[0](data)))
    m = vireo_factory(extra=["-initrd", bundle])
    m.p.delaybeforesend = None
    boot_log = m.wait_prompt()
    # Log lines printed while the prompt is up redraw it: settle on a fresh one.
    assert m.run("echo settled") == "settled"
    return m, boot_log


def test_malformed_configurations(vireo_factory, tmp_path):
    """All of CONFIG_CASES in one bundle beside a good guest, plus: two guests of the same
    name (the second is not created), two 600 MiB guests on a 1 GiB host (the second does not
    fit), a device named like another guest (allowed: consoles are <guest>.<device>), two
    guests with the same MAC on switch lan (the second is not created until the first is
    gone), and a kernel cut to 64 bytes (created and started: a raw image cannot be
    checked)."""
    extra = [kit_node("dupaa"), kit_node("dupbb", vcpus=2),
             kit_node("bigone", mem_mib=600), kit_node("bigtwo", mem_mib=600),
             kit_node("named", devices(dev("good", ['type = "virtio-console";']))),
             kit_node("macaa", devices(net_with_mac("net0", "02 00 00 00 00 77"))),
             kit_node("macbb", devices(net_with_mac("net0", "02 00 00 00 00 77"))),
             kit_node("stub", kernel="stub.bin", autostart=True)]
    m, boot_log = boot_configs(vireo_factory, tmp_path, extra)
    lines = [l for l in boot_log.replace("\r", "").splitlines() if l.startswith("error:")]
    expected = [r"error: config: guest %s refused: %s" % (re.search(r"\t\t(\w+) \{", node)
                                                          .group(1), reason)
                for node, reason in CONFIG_CASES]
    expected += [r"error: guest dupaa: not created: a guest named dupaa already exists",
                 r"error: guest macbb: net0: switch lan already has a port with MAC "
                 r"02:00:00:00:00:77 \(macaa\.net0\)",
                 r"error: guest macbb: device net0 \(virtio-net\): address in use",
                 r"error: guest macbb: not created: a network device's MAC address is in use "
                 r"on its switch",
                 r"error: config: guest bigtwo refused: memory: RAM of 600 MiB larger than "
                 r"free memory \(\d+ MiB\)"]
    # One line for each, in node order.
    unexpected = [l for l in lines if not any(re.fullmatch(e, l) for e in expected)]
    missing = [e for e in expected if not any(re.fullmatch(e, l) for l in lines)]
    assert not unexpected and not missing and len(lines) == len(expected), (unexpected, missing)
    listing = m.run("guest list")
    names = re.findall(r"^\d+\s+(\S+)\s", listing, re.M)
    assert names == ["good", "dupaa", "bigone", "named", "macaa", "stub"], listing
    ports = m.run("vnet list")
    assert re.search(r"^switch lan: 2 ports,", ports, re.M), ports
    assert re.search(r"^\s+macaa\.net0\s+02:00:00:00:00:77\s", ports, re.M), ports
    assert "macbb" not in ports
    # The first dupaa (1 vCPU) is the one that exists.
    assert re.search(r"^\d+\s+dupaa\s+reset\s+1\s", listing, re.M), listing
    # A device named like a guest: its console is named.good; good's own console is good.
    consoles = m.run("vserial list")
    assert re.search(r"^named\.good\s+virtio-console\s", consoles, re.M), consoles
    assert re.search(r"^good\s+uart\s", consoles, re.M), consoles
    # The stub runs off the end of its 64 bytes into zeroed RAM: illegal instructions, which
    # the guest takes itself (delegated) at a vector that is zeroes too, for ever. That is the
    # guest's business: Vireo cannot tell a cut raw image, and the guest halts and goes.
    assert heartbeat(m, "good") >= 0
    assert re.search(r"^\d+\s+stub\s+running\s", m.run("guest list"), re.M)
    assert m.run("guest halt stub; guest destroy stub") == \
        "guest stub: halted\nguest stub: destroyed"
    before = memory(m)
    # `guest create` of a refused guest answers with the configuration's reason.
    for node, reason in CONFIG_CASES:
        name = re.search(r"\t\t(\w+) \{", node).group(1)
        out = m.run("guest create %s" % name)
        assert re.fullmatch(r"error: guest: %s refused: %s" % (name, reason), out), out
    out = m.run("guest create bigtwo")
    assert re.fullmatch(r"error: guest: bigtwo refused: memory: RAM of 600 MiB larger than free "
                        r"memory \(\d+ MiB\)", out), out
    assert m.run("guest create dupaa") == "error: guest: dupaa already exists"
    # The MAC is macaa's while macaa exists: the refusal names it, the answer says why.
    out = m.run("guest create macbb").splitlines()
    assert out[-1] == "error: guest: macbb not created: a network device's MAC address is in " \
        "use on its switch", out
    assert any("switch lan already has a port with MAC 02:00:00:00:00:77 (macaa.net0)" in l
               for l in out), out
    assert memory(m) == before
    # Once macaa is gone its MAC is free for macbb.
    assert m.run("guest destroy macaa; guest create macbb") == \
        "guest macaa: destroyed\nguest macbb: created, 1 vCPU, 32 MiB"
    assert re.search(r"^\s+macbb\.net0\s+02:00:00:00:00:77\s", m.run("vnet list"), re.M)
    # Freeing bigone makes room for bigtwo.
    assert m.run("guest destroy bigone; guest create bigtwo") == \
        "guest bigone: destroyed\nguest bigtwo: created, 1 vCPU, 600 MiB"
    assert heartbeat(m, "good") >= 0
    assert re.search(r"^\d+\s+good\s+running\s+2\s+32\s*$", m.run("guest list"), re.M)


LONG = "a" * 300  # more than the line editor takes (255 characters)

# (command, exact output or regex), run in this order on tk (2 vCPUs, held: running) and idle
# (1 vCPU, reset). Lines without an error set up the state the next cases need.
COMMAND_CASES = [
    ("guest", "error: usage: guest list (see 'help guest')"),
    ("guest kick", "error: usage: guest kick <name> (see 'help guest')"),
    ("guest kick tk idle", "error: usage: guest kick <name> (see 'help guest')"),
    ("guest dumpmem tk", "error: usage: guest dumpmem <name> <gpa> [len] (see 'help guest')"),
    ("guest dumpmem tk 0x80000000 16 extra",
     "error: usage: guest dumpmem <name> <gpa> [len] (see 'help guest')"),
    ("guest frobnicate tk", "error: guest: unknown subcommand 'frobnicate' (see 'help guest')"),
    ("vcpu reboot tk/0", "error: vcpu: unknown subcommand 'reboot' (see 'help vcpu')"),
    ("vserial", "error: usage: vserial list (see 'help vserial')"),
    ("vdisk list all", "error: usage: vdisk list (see 'help vdisk')"),
    ("vnet show", "error: vnet: unknown subcommand 'show' (see 'help vnet')"),
    ("echo " + " ".join("w%d" % i for i in range(20)), "error: too many arguments (at most 15)"),
    ("guest kick 'tk", "error: unterminated quote or trailing backslash"),
    # Bad names.
    ("guest kick nosuch", "error: guest: no guest 'nosuch' (see 'guest list')"),
    ("guest info ../tk", "error: guest: no guest '../tk' (see 'guest list')"),
    ("guest kick ''", "error: guest: no guest '' (see 'guest list')"),
    ("vcpu dumpreg tk", "error: vcpu: name a vCPU as <guest>/<n>, e.g. linux0/0"),
    ("vcpu dumpreg tk/", "error: vcpu: name a vCPU as <guest>/<n>, e.g. linux0/0"),
    ("vcpu dumpreg tk/-1", "error: vcpu: name a vCPU as <guest>/<n>, e.g. linux0/0"),
    ("vcpu dumpreg tk/99999999999999999999999",
     "error: vcpu: name a vCPU as <guest>/<n>, e.g. linux0/0"),
    ("vcpu dumpreg /0", "error: vcpu: no guest '' (see 'guest list')"),
    ("vcpu dumpreg tk/2", "error: vcpu: tk has vCPUs 0..1"),
    ("vcpu dumpstat idle/1", "error: vcpu: idle has vCPUs 0..0"),
    ("vserial bind nosuch", "error: vserial: no guest 'nosuch' (see 'guest list')"),
    ("vserial bind tk.nocon", "error: vserial: guest tk has no console 'nocon' (see 'vserial list')"),
    ("vserial bind tk.", "error: vserial: guest tk has no console '' (see 'vserial list')"),
    ("vserial dump tk.disk0", "error: vserial: guest tk has no console 'disk0' (see 'vserial list')"),
    ("vdisk info idle", "error: vdisk: guest idle has no disk (see 'vdisk list')"),
    ("vdisk info tk.nodisk", "error: vdisk: guest tk has no disk 'nodisk' (see 'vdisk list')"),
    ("vdisk info tk.", "error: vdisk: guest tk has no disk '' (see 'vdisk list')"),
    ("vdisk info tk.hvc0", "error: vdisk: guest tk has no disk 'hvc0' (see 'vdisk list')"),
    ("vdisk info nosuch.disk0", "error: vdisk: no guest 'nosuch' (see 'guest list')"),
    # dumpmem ranges (tk has 32 MiB at 0x80000000).
    ("guest dumpmem tk 0x7fffffff",
     "error: guest: dumpmem: 0x7fffffff+256 is outside tk's RAM (0x80000000-0x81ffffff)"),
    ("guest dumpmem tk 0x81fffff0 32",
     "error: guest: dumpmem: 0x81fffff0+32 is outside tk's RAM (0x80000000-0x81ffffff)"),
    ("guest dumpmem tk 0xffffffffffffffff 16",
     "error: guest: dumpmem: 0xffffffffffffffff+16 is outside tk's RAM (0x80000000-0x81ffffff)"),
    ("guest dumpmem tk 0x80000000 0", "error: guest: dumpmem: length must be 1..4096 bytes"),
    ("guest dumpmem tk 0x80000000 5K", "error: guest: dumpmem: length must be 1..4096 bytes"),
    ("guest dumpmem tk 0x80000000 -1",
     "error: guest: dumpmem: addresses and lengths are numbers (0x... for hex)"),
    ("guest dumpmem tk 99999999999999999999999",
     "error: guest: dumpmem: addresses and lengths are numbers (0x... for hex)"),
    ("guest dumpmem tk 0x81fffff0 16", re.compile(r"0081fffff0:( [0-9a-f]{2}){16}  \|.{16}\|")),
    # Every lifecycle operation in the wrong state.
    ("guest kick tk", "error: guest: tk is running: cannot start it"),
    ("guest resume tk", "error: guest: tk is running: cannot resume it"),
    ("guest create tk", "error: guest: tk already exists"),
    ("guest create nosuch", "error: guest: the configuration has no valid guest 'nosuch'"),
    ("guest pause idle", "error: guest: idle is reset: cannot pause it"),
    ("guest resume idle", "error: guest: idle is reset: cannot resume it"),
    ("guest halt idle", "error: guest: idle is reset: cannot halt it"),
    ("guest pause tk", "guest tk: paused"),
    ("guest pause tk", "error: guest: tk is paused: cannot pause it"),
    ("guest kick tk", "error: guest: tk is paused: cannot start it"),
    ("guest halt tk", "guest tk: halted"),
    ("guest pause tk", "error: guest: tk is halted: cannot pause it"),
    ("guest resume tk", "error: guest: tk is halted: cannot resume it"),
    ("guest halt tk", "error: guest: tk is halted: cannot halt it"),
    ("guest kick tk", "error: guest: tk is halted: cannot start it"),
    ("guest reset tk", "guest tk: reset"),
    ("guest kick tk", "guest tk: started"),
    ("guest destroy idle", "guest idle: destroyed"),
    ("guest destroy idle", "error: guest: no guest 'idle' (see 'guest list')"),
    ("guest kick idle", "error: guest: no guest 'idle' (see 'guest list')"),
    ("vcpu dumpreg idle/0", "error: vcpu: no guest 'idle' (see 'guest list')"),
    ("vserial dump idle", "error: vserial: no guest 'idle' (see 'guest list')"),
    ("guest create idle", "guest idle: created, 1 vCPU, 32 MiB"),
    ("guest create idle", "error: guest: idle already exists"),
]


def send_line(m, line, answer):
    """Types a line of any length, which must be answered by the one line `answer` and the
    prompt. The editor takes at most 255 characters (ringing the bell for the rest), and how
    it shows a long line is its business: only the answer after it is checked."""
    m.p.send(line + "\r")
    m.expect(r"\n%s\r*\n" % re.escape(answer))
    m.p.expect_exact("vireo> ")
    assert m.p.before.strip() == "", m.p.before


def test_malformed_commands(vireo_factory, tmp_path):
    """COMMAND_CASES in order, each answered in exactly one line, with `echo` answered after
    every one; then overlong lines and arguments; at the end tk still has its heartbeat and
    memory is where it was before the cases."""
    tk = kit_node("tk", devices(
        dev("disk0", ['type = "virtio-blk";', 'image = "images/disk.img";']),
        dev("net0", ['type = "virtio-net";', 'switch = "lan";']),
        dev("hvc0", ['type = "virtio-console";'])), vcpus=2, bootargs=HELD, autostart=True)
    bundle = make_bundle(str(tmp_path), [tk, kit_node("idle")],
                         images={"disk.img": bytes(65536)})
    m = machine(vireo_factory, bundle)
    heartbeat(m, "tk")
    before = memory(m)
    for i, (command, expected) in enumerate(COMMAND_CASES):
        out = m.run(command)
        if isinstance(expected, str):
            assert out == expected, command
        else:
            assert expected.fullmatch(out), (command, out)
        assert m.run("echo next %d" % i) == "next %d" % i, command
    # Overlong: the editor keeps the first 255 characters and runs what it shows.
    send_line(m, "echo " + LONG, "a" * 250)
    send_line(m, "guest kick " + LONG, "error: guest: no guest '%s' (see 'guest list')" % ("a" * 244))
    send_line(m, "vcpu dumpreg " + LONG + "/0",
              "error: vcpu: name a vCPU as <guest>/<n>, e.g. linux0/0")
    send_line(m, "vserial dump " + "b" * 40 + ".hvc0",
              "error: vserial: no guest '%s' (see 'guest list')" % ("b" * 40))
    send_line(m, "vdisk info " + "c" * 40,
              "error: vdisk: no guest '%s' (see 'guest list')" % ("c" * 40))
    send_line(m, "vdisk info " + LONG, "error: vdisk: no guest '%s' (see 'guest list')" % ("a" * 244))
    assert m.run("echo still here") == "still here"
    # tk was reset and kicked again among the cases: it beats again.
    assert heartbeat(m, "tk") >= 0
    assert memory(m) == before
