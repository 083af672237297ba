#!/usr/bin/env python3
"""Writes the WebP fixtures and the Display P3 test profile of package intake.

Run from this folder: python3 make_fixtures.py (needs Debian's `webp` package:
cwebp, webpmux, img2webp). The PNG inputs and the ICC profile are written by
this script from first principles, so nothing here comes from elsewhere.
"""
import os, struct, subprocess, zlib

def png(path, w, h, px, alpha):
    """px(x, y) -> (r, g, b, a); colour type 6 or 2, 8 bits."""
    raw = b""
    for y in range(h):
        raw += b"\x00" + b"".join(bytes(px(x, y)[: 4 if alpha else 3]) for x in range(w))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6 if alpha else 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

def quadrants(w, h):
    """Red, green / blue, white quadrants: easy to follow through a rotation."""
    cols = [[(255, 0, 0, 255), (0, 255, 0, 255)], [(0, 0, 255, 255), (255, 255, 255, 255)]]
    return lambda x, y: cols[y * 2 // h][x * 2 // w]

def s15(v):
    return struct.pack(">i", round(v * 65536))

def icc_p3():
    """A matrix/TRC Display P3 profile: P3 primaries, D65 white adapted to
    D50 with Bradford (colorants as in Apple's profile), sRGB's curve as a
    parametric type-3 curve."""
    cols = {b"rXYZ": (0.515102, 0.241196, -0.001053),
            b"gXYZ": (0.291965, 0.692239, 0.041882),
            b"bXYZ": (0.157153, 0.066579, 0.784073),
            b"wtpt": (0.964203, 1.0, 0.824905)}
    para = b"para" + b"\0" * 4 + struct.pack(">HH", 3, 0) + b"".join(
        s15(v) for v in (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045))
    tags = [(k, b"XYZ " + b"\0" * 4 + b"".join(s15(c) for c in v)) for k, v in cols.items()]
    tags += [(t, para) for t in (b"rTRC", b"gTRC", b"bTRC")]
    off = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, d in tags:
        d += b"\0" * (-len(d) % 4)
        table += sig + struct.pack(">II", off + len(data), len(d))
        data += d
    size = off + len(data)
    head = struct.pack(">I", size) + b"none" + struct.pack(">I", 0x04300000) + b"mntrRGB XYZ "
    head += b"\0" * 12 + b"acsp" + b"\0" * 24 + s15(0.9642) + s15(1.0) + s15(0.8249)
    head += b"\0" * (128 - len(head))
    return head + struct.pack(">I", len(tags)) + table + data

def exif(orientation):
    """A little-endian TIFF block with one IFD entry: Orientation."""
    return b"II*\0" + struct.pack("<IHHHIHH", 8, 1, 0x0112, 3, 1, orientation, 0) + b"\0\0\0\0"

def run(*a):
    subprocess.run(a, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

png("/tmp/q.png", 64, 32, quadrants(64, 32), False)
png("/tmp/qa.png", 48, 24, lambda x, y: (200, 40, 40, 0 if x < 24 else 255), True)
png("/tmp/f2.png", 64, 32, lambda x, y: (0, 0, 0, 255), False)
with open("p3.icc", "wb") as f:
    f.write(icc_p3())
with open("/tmp/exif6.bin", "wb") as f:
    f.write(exif(6))
run("cwebp", "-quiet", "-q", "95", "-metadata", "none", "/tmp/q.png", "-o", "lossy.webp")
run("cwebp", "-quiet", "-lossless", "-exact", "/tmp/qa.png", "-o", "lossless_alpha.webp")
run("cwebp", "-quiet", "-q", "95", "-exact", "/tmp/qa.png", "-o", "lossy_alpha.webp")
run("webpmux", "-set", "icc", "p3.icc", "lossy.webp", "-o", "icc.webp")
run("webpmux", "-set", "exif", "/tmp/exif6.bin", "lossy.webp", "-o", "exif6.webp")
run("img2webp", "-loop", "0", "-lossless", "/tmp/q.png", "/tmp/f2.png", "-o", "animated.webp")
