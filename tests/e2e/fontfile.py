#!/usr/bin/env python3
"""fontfile.py - font files made at test time (no fonts are committed).

  fontfile.py rename SRC DST FAMILY      a copy of the TrueType/OpenType font SRC whose family
                                         is FAMILY (a new 'name' table): a family that exists
                                         only where DST is put
  fontfile.py truncate SRC DST CUT       SRC without its last CUT bytes (a broken download)
  fontfile.py random DST BYTES           BYTES of fixed pseudo-random data (seeded: the same
                                         file every run)"""
import random, struct, sys


def checksum(b):
    b = b + b"\0" * (-len(b) % 4)
    return sum(struct.unpack(">%dI" % (len(b) // 4), b)) & 0xFFFFFFFF


def name_table(family):
    ps = "".join(ch for ch in family if ch.isalnum()) + "-Regular"
    recs = [(1, family), (2, "Regular"), (4, family), (6, ps), (16, family), (17, "Regular")]
    strings = b""
    records = b""
    for nid, text in recs:
        data = text.encode("utf-16-be")
        # platform 3 (Windows), encoding 1 (Unicode BMP), language 0x409 (en-US)
        records += struct.pack(">HHHHHH", 3, 1, 0x409, nid, len(data), len(strings))
        strings += data
    return struct.pack(">HHH", 0, len(recs), 6 + 12 * len(recs)) + records + strings


def rename(src, dst, family):
    data = bytearray(open(src, "rb").read())
    if data[:4] == b"ttcf":
        sys.exit("rename: give a single font, not a collection")
    n = struct.unpack(">H", data[4:6])[0]
    table = name_table(family)
    pad = -len(data) % 4
    data += b"\0" * pad
    off = len(data)
    data += table + b"\0" * (-len(table) % 4)
    for i in range(n):
        rec = 12 + 16 * i
        if bytes(data[rec:rec + 4]) == b"name":
            struct.pack_into(">III", data, rec + 4, checksum(table), off, len(table))
            break
    else:
        sys.exit("rename: %s has no name table" % src)
    open(dst, "wb").write(data)


def truncate(src, dst, cut):
    data = open(src, "rb").read()
    open(dst, "wb").write(data[:len(data) - int(cut)])


def rand(dst, n):
    rng = random.Random(20251007)
    open(dst, "wb").write(bytes(rng.randrange(256) for _ in range(int(n))))


cmds = {"rename": rename, "truncate": truncate, "random": rand}
if len(sys.argv) < 3 or sys.argv[1] not in cmds:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
cmds[sys.argv[1]](*sys.argv[2:])
