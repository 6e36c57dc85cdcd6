#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Make the corpora of fuzz_lvm_label and fuzz_lvm_meta from tests/fixtures/lvm.

fuzz_lvm_label takes a sparse image (le64 size, then chunks of le64 offset,
le16 length, bytes): of each fixture PV (the partition fixture's is inside
its partition), the blocks lvm2 reads: the label sectors, each metadata area
header and the newest text. fuzz_lvm_meta takes those texts.

    tests/fuzz/lvm_corpus.py        (from the top of the tree)
"""
import gzip
import os
import struct

FIX = "tests/fixtures/lvm"
OUT = "tests/fuzz/corpus"


def disks():
    for line in open(os.path.join(FIX, "MANIFEST")):
        if line.startswith("#") or not line.strip():
            continue
        name, disk, size, _kept = line.split()
        data = gzip.open(os.path.join(FIX, "%s.%s.img.gz" % (name, disk))).read()
        base = 1 << 20 if name == "partition" else 0   # the PV is in partition 1
        yield "%s.%s" % (name, disk), data[base:], int(size) - base


def sparse(data, size, ranges):
    out = [struct.pack("<Q", size)]
    wanted = set()
    for start, end in ranges:
        wanted.update(range(start // 512 * 512, end, 512))
    blocks = [i for i in sorted(wanted) if any(data[i:i + 512])]
    i = 0
    while i < len(blocks):
        start = end = blocks[i]
        while i + 1 < len(blocks) and blocks[i + 1] == end + 512 and end + 1024 - start <= 65535:
            i += 1
            end = blocks[i]
        out.append(struct.pack("<QH", start, end + 512 - start) + data[start:end + 512])
        i += 1
    return b"".join(out)


def texts(data, ranges):
    """Each metadata area's newest text (lvm2's raw_locn[0]), NUL included;
    the byte ranges read are added to ranges."""
    ranges.append((0, 2048))
    for s in range(4):
        if data[s * 512:s * 512 + 8] == b"LABELONE":
            break
    else:
        return
    lab = s * 512
    hdr = lab + struct.unpack_from("<I", data, lab + 20)[0]
    pos, lists = hdr + 40, [[], []]
    for li in range(2):
        while True:
            off, size = struct.unpack_from("<QQ", data, pos)
            pos += 16
            if off == 0:
                break
            lists[li].append((off, size))
    for start, size in lists[1]:
        if start + 512 > len(data):
            continue
        ranges.append((start, start + 512))
        off, length = struct.unpack_from("<QQ", data, start + 40)
        if off == 0:
            continue
        first = min(length, size - off)
        ranges.append((start + off, start + off + first))
        ranges.append((start + 512, start + 512 + length - first))
        text = data[start + off:start + off + first] + data[start + 512:start + 512 + length - first]
        yield text


def main():
    for d in ("lvm_label", "lvm_meta"):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)
    for name, data, size in disks():
        ranges = []
        for i, text in enumerate(texts(data, ranges)):
            with open(os.path.join(OUT, "lvm_meta", "%s.mda%d" % (name, i + 1)), "wb") as f:
                f.write(text)
        with open(os.path.join(OUT, "lvm_label", name), "wb") as f:
            f.write(sparse(data, size, ranges))


main()
