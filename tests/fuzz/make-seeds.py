#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Writes the generated seeds of tests/fuzz/corpus/<name>/seed-*: small, valid inputs that
reach deep into each parser (real device trees, configurations with their bundle, valid
instruction encodings, virtqueue sessions a driver would run). Reproducers of fixed bugs live
beside them as regress-* and are never rewritten. Needs dtc and cpio; run from the top of the
tree after `make build/host/test_fdt build/host/test_guest_config` (QEMU's device trees and
the compiled test configurations)."""
import os
import struct
import subprocess
import sys
import tempfile

CORPUS = "tests/fuzz/corpus"


def put(name, seed, data):
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + seed), "wb") as f:
        f.write(data)


def dtc(args, src=None):
    return subprocess.run(["dtc", "-q"] + args, input=src, capture_output=True,
                          check=True).stdout


def cpio(files, fmt="newc"):
    """files: list of (path, bytes or None for a directory)."""
    with tempfile.TemporaryDirectory() as tmp:
        for path, data in files:
            p = os.path.join(tmp, path)
            if data is None:
                os.makedirs(p, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        names = sorted(set(n for n, _ in files))
        return cpio_dir(tmp, names, fmt)


def cpio_dir(tmp, names, fmt="newc"):
    """Archives names under tmp the same way on every run: fixed times, owner, inodes."""
    for n in names:
        os.utime(os.path.join(tmp, n), (1700000000, 1700000000), follow_symlinks=False)
    listing = "".join("./" + n + "\n" for n in names).encode()
    return subprocess.run(["cpio", "--quiet", "--reproducible", "-R", "0:0", "-o", "-H", fmt],
                          cwd=tmp, input=listing, capture_output=True, check=True).stdout


SYNTHETIC_DTS = b"""/dts-v1/;
/memreserve/ 0x80000000 0x10000;
/memreserve/ 0x90000000 0x2000;
/ {
	#address-cells = <1>; #size-cells = <1>; model = "m"; compatible = "a", "b";
	node@1000 { reg = <0x1000 0x100 0x2000 0x10>; phandle = <5>; status = "okay"; };
	cpus { #address-cells = <1>; #size-cells = <0>;
		cpu@0 { device_type = "cpu"; reg = <0>;
			interrupt-controller { compatible = "riscv,cpu-intc"; }; }; };
	soc { serial@10000000 { compatible = "ns16550a"; status = "disabled"; }; };
};
"""


def fdt_seeds():
    for n in ["virt-smp2", "virt-aplic-imsic", "virt-noh"]:
        put("fdt", "qemu-" + n + ".dtb", dtc(["-I", "dtb", "-O", "dtb", "build/host/dtb/%s.dtb" % n]))
    put("fdt", "config-example.dtb", dtc(["-I", "dts", "-O", "dtb", "configs/riscv64/example.dts"]))
    put("fdt", "synthetic-rsvmap.dtb", dtc(["-I", "dts", "-O", "dtb", "-"], SYNTHETIC_DTS))
    put("fdt", "synthetic-v16.dtb", dtc(["-V", "16", "-I", "dts", "-O", "dtb", "-"], SYNTHETIC_DTS))


def bundle(config):
    return cpio([
        ("config.dtb", config),
        ("images", None),
        ("images/Image", b"K" * 4096),
        ("images/rootfs.cpio", b"initrd\n"),
        ("images/disk.img", bytes(1024)),
        ("images/odd.img", bytes(1000)),
        ("images/empty", b""),
        ("images/guest.dtb", dtc(["-I", "dts", "-O", "dtb", "-"],
                                 b'/dts-v1/;\n/ { model = "guest"; };\n')),
    ])


def guest_config_seeds():
    example = dtc(["-I", "dts", "-O", "dtb", "configs/riscv64/example.dts"])
    configs = ["example"] + [n for n in [
        "good-full", "good-minimal", "good-empty", "bad-dev-too-many", "bad-dev-net-switch-name",
        "bad-dev-blk-odd-size", "bad-affinity-length", "bad-memory-images", "bad-dtb-not-fdt",
        "bad-kernel-dir", "bad-unknown-node", "bad-prio-range"]]
    b = bundle(example)
    for name in configs:
        src = "configs/riscv64/example.dts" if name == "example" else \
            "tests/unit/configs/%s.dts" % name
        dtb = dtc(["-I", "dts", "-O", "dtb", src])
        dtb += bytes(-len(dtb) % 4)
        put("guest_config", name, dtb + b)


def cpio_seeds():
    files = [("hello.txt", b"hello, bundle\n"), ("empty", b""), ("a", b"1"), ("ab", b"12"),
             ("abc", b"123"), ("dir", None), ("dir/sub", None), ("dir/sub/data.txt", b"x" * 300)]
    put("cpio", "newc", cpio(files))
    put("cpio", "crc", cpio(files, "crc"))
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "hard1"), "wb") as f:
            f.write(b"linked data\n")
        os.link(os.path.join(tmp, "hard1"), os.path.join(tmp, "hard2"))
        os.symlink("hard1", os.path.join(tmp, "link"))
        put("cpio", "links", cpio_dir(tmp, ["hard1", "hard2", "link"]))


# RV64 loads and stores (Unpriv. spec 2.6, 16.3) and htinst values (Priv. spec 8.6.3).
INSNS = [
    0x00053503,  # ld a0, 0(a0)
    0x00a5b023,  # sd a0, 0(a1)
    0x00050583,  # lb a1, 0(a0)
    0x00054583,  # lbu a1, 0(a0)
    0x00051583,  # lh a1, 0(a0)
    0x00055583,  # lhu a1, 0(a0)
    0x00052583,  # lw a1, 0(a0)
    0x00056583,  # lwu a1, 0(a0)
    0x00b50023,  # sb a1, 0(a0)
    0x00b51023,  # sh a1, 0(a0)
    0x00b52023,  # sw a1, 0(a0)
    0x00052507,  # flw fa0, 0(a0)
    0x00053507,  # fld fa0, 0(a0)
    0x00a52027,  # fsw fa0, 0(a0)
    0x00a53027,  # fsd fa0, 0(a0)
    0x4108,      # c.lw a0, 0(a0)
    0x6108,      # c.ld a0, 0(a0)
    0xc108,      # c.sw a0, 0(a0)
    0xe108,      # c.sd a0, 0(a0)
    0x4502,      # c.lwsp a0, 0(sp)
    0x6502,      # c.ldsp a0, 0(sp)
    0xc02a,      # c.swsp a0, 0(sp)
    0xe02a,      # c.sdsp a0, 0(sp)
    0x2108,      # c.fld fa0, 0(a0)
    0xa108,      # c.fsd fa0, 0(a0)
    0x2502,      # c.fldsp fa0, 0(sp)
    0xa02a,      # c.fsdsp fa0, 0(sp)
    0x00b5302f,  # amoadd.d (refused)
]
HTINST = [0, 0x00003503, 0x00002583 & ~2 | 1, 0x00002000, 0x00003020, 0x00b02023]


def insn_seeds():
    rec = b""
    for i, w in enumerate(INSNS):
        rec += struct.pack("<IQQ", w, HTINST[i % len(HTINST)], 0x8000_0000_ffff_ff80 + i)
    put("insn", "all-forms", rec)
    put("insn", "compressed", b"".join(struct.pack("<IQQ", w | 0xabcd0000, 0, 0xff)
                                       for w in INSNS if w < 0x10000))


# fuzz_virtio.c driver operations: op byte, queue byte, then the operation's fields.
def op_init(q, decline=0, sizes=(3, 3)):
    return bytes([0, q, decline]) + bytes(sizes)


def op_ram(gpa_off, data):
    assert len(data) < 256
    return bytes([3, 0, 2]) + struct.pack("<I", gpa_off) + bytes([len(data)]) + data


def op_desc(q, i, gpa_off, length, flags, nxt):
    # Lengths below 0x1100 as 16 bits, others as 32 (the harness's length selector).
    ln = bytes([0]) + struct.pack("<H", length) if length < 0x1100 else \
        bytes([1]) + struct.pack("<I", length)
    return bytes([4, q, i, 2]) + struct.pack("<I", gpa_off) + ln + bytes([flags, nxt])


def op_publish(q, head):
    return bytes([5, q, head])


def op_notify(q):
    return bytes([8, q, 1])


def op_ack():
    return bytes([9, 0])


BUF = 0x8000  # data buffers, past every queue's rings


def blk_request(q, first_desc, typ, sector, data_len, write_data=False):
    hdr = struct.pack("<IIQ", typ, 0, sector)
    s = op_ram(BUF, hdr)
    s += op_desc(q, first_desc, BUF, 16, 1, first_desc + 1)
    n = first_desc + 1
    if data_len:
        s += op_desc(q, n, BUF + 0x100, data_len, 1 | (0 if write_data else 2), n + 1)
        n += 1
    s += op_desc(q, n, BUF + 0x1000, 1, 2, 0)
    s += op_publish(q, first_desc) + op_notify(q) + op_ack()
    return s


def virtio_blk_seeds():
    s = bytes([16, 0]) + op_init(0, 0, (3,))
    s += blk_request(0, 0, 0, 0, 512)        # read sector 0
    s += blk_request(0, 3, 1, 2, 1024, True)  # write sectors 2-3
    s += blk_request(0, 0, 4, 0, 0)          # flush
    s += blk_request(0, 3, 8, 0, 20)         # get id
    put("virtio_blk", "read-write-flush-id", s)
    put("virtio_blk", "read-only", bytes([8, 1]) + op_init(0, 0, (3,)) + blk_request(0, 0, 1, 0, 512, True))


def virtio_net_seeds():
    s = op_init(0, 0, (4, 4))
    # Receive: two writable buffers on the receive queue, then a frame from the host.
    s += op_desc(0, 0, BUF, 1526, 2, 0) + op_publish(0, 0)
    s += op_desc(0, 1, BUF + 0x800, 1526, 2, 0) + op_publish(0, 1) + op_notify(0)
    s += bytes([12, 0]) + struct.pack("<H", 60) + op_ack()
    # Transmit: header + frame in two readable descriptors, then the host takes it.
    s += op_ram(BUF + 0x1000, bytes(12) + bytes([0xff] * 6) + bytes([2, 0, 0, 0, 0, 1]) +
                b"\x08\x00" + b"payload" * 6)
    s += op_desc(1, 0, BUF + 0x1000, 12, 1, 1) + op_desc(1, 1, BUF + 0x100c, 56, 0, 0)
    s += op_publish(1, 0) + op_notify(1) + bytes([14, 0]) + struct.pack("<H", 1514)
    s += bytes([15, 0, 0]) + op_ack()
    put("virtio_net", "rx-tx", s)


def virtio_rng_console_seeds():
    # virtio-rng: one writable buffer of 64 bytes, then another of 5000 (filled in pieces).
    s = bytes([0]) + op_init(0, 0, (3,))
    s += op_desc(0, 0, BUF, 64, 2, 0) + op_publish(0, 0) + op_notify(0)
    s += op_desc(0, 1, BUF + 0x1000, 5000, 2, 0) + op_publish(0, 1) + op_notify(0) + op_ack()
    put("virtio_rng_console", "rng", s)
    # virtio-console: a receive buffer filled by host input, a transmitted line.
    s = bytes([1]) + op_init(0, 0, (3, 3))
    s += op_desc(0, 0, BUF, 128, 2, 0) + op_publish(0, 0) + op_notify(0)
    s += bytes([12, 0]) + struct.pack("<H", 16) + op_ack()
    s += op_ram(BUF + 0x1000, b"hello from the guest\n")
    s += op_desc(1, 0, BUF + 0x1000, 21, 0, 0) + op_publish(1, 0) + op_notify(1) + op_ack()
    put("virtio_rng_console", "console", s)


def virtqueue_seeds():
    # size 8 (selector odd, exponent 3), rings in RAM at 0, 0x1000, 0x1400.
    gpa = lambda off: bytes([2]) + struct.pack("<I", off)
    s = bytes([1, 3]) + gpa(0) + gpa(0x1000) + gpa(0x1400)
    desc = lambda i, off, ln, fl, nx: bytes([1]) + struct.pack("<H", i) + gpa(off) + bytes([0]) + \
        struct.pack("<H", ln) + bytes([fl]) + struct.pack("<H", nx)
    s += desc(0, 0x4000, 16, 1, 1) + desc(1, 0x4100, 4096, 1 | 2, 2) + desc(2, 0x6000, 1, 2, 0)
    s += bytes([2]) + struct.pack("<H", 0) + bytes([3]) + bytes([6]) + struct.pack("<I", 8) + \
        bytes([32, 1]) + bytes([4]) + struct.pack("<I", 4097)
    put("virtqueue", "chain-of-three", s)
    loop = bytes([1, 2]) + gpa(0) + gpa(0x1000) + gpa(0x1400) + desc(0, 0x4000, 8, 1, 1) + \
        desc(1, 0x4000, 8, 1, 0) + bytes([2, 0, 0, 3])
    put("virtqueue", "loop", loop)


def vuart_seeds():
    # 8250 probe and init as Linux does it: LCR DLAB, divisor, LCR 8N1, FCR, MCR, IER, input.
    w = lambda reg, v: bytes([reg, v])
    r = lambda reg: bytes([0x60 | reg])
    s = w(3, 0x80) + w(0, 1) + w(1, 0) + w(3, 0x03) + w(2, 0x07) + w(4, 0x0b) + w(1, 0x0f)
    s += r(2) + r(5) + bytes([0xa0, ord("h"), 0xa0, ord("i")]) + r(2) + r(0) + r(0) + r(5)
    s += w(0, ord("x")) + r(2) + w(4, 0x1b) + w(0, ord("l")) + r(0) + r(6) + r(6)
    put("vuart", "linux-init", s)


def vplic_seeds():
    acc = lambda op, ctx, v: bytes([op, ctx]) + struct.pack("<I", v)
    s = bytes([2])
    s += acc(0, 0, (10 << 8) | 5) + acc(1 | 0x80, 0, 1 << 10) + acc(2 | 0x80, 0, 1)
    s += acc(7 | 0x80, 0, 10) + acc(3, 0, 0) + acc(7, 0, 10) + acc(4, 0, 10) + acc(3, 0, 0)
    put("vplic", "claim-complete", s)


def shell_seeds():
    put("shell_parse", "commands", bytes([64, 0]) +
        b'guest list; vserial bind "linux 0" ; echo \'a;b\' a\\ b;;  host info  ')
    put("shell_parse", "bootcmd", bytes([200, 0]) +
        b'console=ttyS0 vireo.bootcmd="host info; version" quiet')
    put("line_edit", "editing", b"help\rguest l\x1b[Dx\x1b[3~\x01\x05\x7f\r\x1b[A\x1b[B\x15abc\x17"
        b"\x0b\x03\x1b[1~\x1b[4~\x1bOH\x1bOF\x0c\n\r\n")


def main():
    for gen in [fdt_seeds, guest_config_seeds, cpio_seeds, insn_seeds, virtio_blk_seeds,
                virtio_net_seeds, virtio_rng_console_seeds, virtqueue_seeds, vuart_seeds, vplic_seeds, shell_seeds]:
        gen()
    return 0


if __name__ == "__main__":
    sys.exit(main())
