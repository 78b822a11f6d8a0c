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
    fit), a device named like another guest (allowed: consoles are <guest>.<device>), and a
    kernel cut to 64 bytes (created and started: a raw image cannot be checked)."""
    extra = [kit_node("dupaa"), kit_node("dupbb", vcpus=2),
             kit_node("bigone", mem_mib=600), kit_node("bigtwo", mem_mib=600),
             kit_node("named", devices(dev("good", ['type = "virtio-console";']))),
             kit_node("stub", kernel="stub.bin", autostart=True)]
    m, boot_log = boot_configs(vireo_factory, tmp_path, extra)
    lines = [l for l in boot_log.replace("\r", "").splitlines() if l.startswith("error:")]
    expected = [r"error: config: guest %s refused: %s" % (re.search(r"\t\t(\w+) \{", node)
                                                          .group(1), reason)
                for node, reason in CONFIG_CASES]
    expected += [r"error: guest dupaa: not created: a guest named dupaa already exists",
                 r"error: config: guest bigtwo refused: memory: RAM of 600 MiB larger than "
                 r"free memory \(\d+ MiB\)"]
    # One line for each, in node order.
    unexpected = [l for l in lines if not any(re.fullmatch(e, l) for e in expected)]
    missing = [e for e in expected if not any(re.fullmatch(e, l) for l in lines)]
    assert not unexpected and not missing and len(lines) == len(expected), (unexpected, missing)
    listing = m.run("guest list")
    names = re.findall(r"^\d+\s+(\S+)\s", listing, re.M)
    assert names == ["good", "dupaa", "bigone", "named", "stub"], listing
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
    assert memory(m) == before
    # Freeing bigone makes room for bigtwo.
    assert m.run("guest destroy bigone; guest create bigtwo") == \
        "guest bigone: destroyed\nguest bigtwo: created, 1 vCPU, 600 MiB"
    assert heartbeat(m, "good") >= 0
    assert re.search(r"^\d+\s+good\s+running\s+2\s+32\s*$", m.run("guest list"), re.M)
