#!/usr/bin/env python3
"""Regenerates the decoder fixtures in this folder and the malformed corpus in
../malformed. Needs python3 and the `vips` command-line tool (libvips-tools).

Every image is made from one asymmetric test pattern so orientation mistakes
show: 48x32 px, white background, a red block top-left, a blue block
bottom-right and a green block top-right.

EXIF blocks (orientation, GPS) are written by hand here, not by a library, so
the tests know exactly which bytes must disappear when metadata is stripped.

Run from anywhere:  python3 tests/data/images/make_fixtures.py
"""
import os
import random
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
MALFORMED = os.path.join(os.path.dirname(HERE), "malformed")
W, H = 48, 32
RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 160, 0), (0, 0, 255), (255, 255, 255)


def pattern():
    px = [[WHITE] * W for _ in range(H)]
    for y in range(H):
        for x in range(W):
            if x < 16 and y < 12:
                px[y][x] = RED
            elif x >= 32 and y >= 20:
                px[y][x] = BLUE
            elif x >= 36 and y < 8:
                px[y][x] = GREEN
    return px


# Inverse EXIF orientation transforms: stored = f(upright) so that a viewer
# applying orientation N shows the upright pattern.
def fliph(p):
    return [list(reversed(r)) for r in p]


def flipv(p):
    return list(reversed(p))


def rot90cw(p):  # (x, y) -> (h-1-y, x)
    h, w = len(p), len(p[0])
    return [[p[h - 1 - y][x] for y in range(h)] for x in range(w)]


def rot270cw(p):
    return rot90cw(rot90cw(rot90cw(p)))


STORED = {
    1: lambda p: p,
    2: fliph,
    3: lambda p: rot90cw(rot90cw(p)),
    4: flipv,
    5: lambda p: fliph(rot90cw(p)),  # transpose
    6: rot270cw,  # viewer rotates 90 CW
    7: lambda p: fliph(rot270cw(p)),  # transverse
    8: rot90cw,  # viewer rotates 270 CW
}


def write_ppm(path, p):
    h, w = len(p), len(p[0])
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h))
        for row in p:
            for c in row:
                f.write(bytes(c))


def vips(*args):
    subprocess.run(["vips", *args], check=True)


def exif_block(orientation=None, gps=False):
    """A little-endian TIFF/EXIF block: IFD0 with Orientation and a GPS IFD."""
    entries = []  # (tag, type, count, value-bytes)
    if orientation:
        entries.append((0x0112, 3, 1, struct.pack("<HH", orientation, 0)))
    if gps:
        entries.append((0x8825, 4, 1, None))  # GPSInfo offset, patched below
    entries.sort()
    ifd0_off = 8
    ifd0_size = 2 + 12 * len(entries) + 4
    gps_off = ifd0_off + ifd0_size
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd0_off))
    out += struct.pack("<H", len(entries))
    for tag, typ, count, val in entries:
        if val is None:
            val = struct.pack("<I", gps_off)
        out += struct.pack("<HHI", tag, typ, count) + val
    out += struct.pack("<I", 0)
    if gps:
        # 48 deg 8' 13.37" N, 11 deg 34' 31.5" E — recognisable in a hex dump.
        lat = struct.pack("<6I", 48, 1, 8, 1, 1337, 100)
        lon = struct.pack("<6I", 11, 1, 34, 1, 315, 10)
        n = 4
        data_off = gps_off + 2 + 12 * n + 4
        ifd = bytearray(struct.pack("<H", n))
        ifd += struct.pack("<HHI", 1, 2, 2) + b"N\x00\x00\x00"
        ifd += struct.pack("<HHII", 2, 5, 3, data_off)
        ifd += struct.pack("<HHI", 3, 2, 2) + b"E\x00\x00\x00"
        ifd += struct.pack("<HHII", 4, 5, 3, data_off + 24)
        ifd += struct.pack("<I", 0)
        out += ifd + lat + lon
    return b"Exif\x00\x00" + bytes(out)


def insert_app1(jpeg, payload):
    assert jpeg[:2] == b"\xff\xd8"
    seg = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + seg + jpeg[2:]


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    os.makedirs(MALFORMED, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        up = pattern()
        base = os.path.join(tmp, "pattern.ppm")
        write_ppm(base, up)
        v = os.path.join(tmp, "pattern.v")
        vips("copy", base, v)

        # One file per format, upright.
        vips("jpegsave", v, os.path.join(HERE, "pattern.jpg"), "--Q", "95", "--strip")
        vips("pngsave", v, os.path.join(HERE, "pattern.png"), "--strip")
        vips("webpsave", v, os.path.join(HERE, "pattern.webp"), "--Q", "95", "--strip")
        vips("tiffsave", v, os.path.join(HERE, "pattern.tif"), "--compression", "deflate", "--strip")
        vips("heifsave", v, os.path.join(HERE, "pattern.heic"), "--Q", "90", "--compression", "hevc", "--strip")
        vips("heifsave", v, os.path.join(HERE, "pattern.avif"), "--Q", "90", "--compression", "av1", "--strip")

        # All eight EXIF orientations (JPEG).
        for n, f in STORED.items():
            p = os.path.join(tmp, "o%d.ppm" % n)
            write_ppm(p, f(up))
            j = os.path.join(tmp, "o%d.jpg" % n)
            vips("jpegsave", p, j, "--Q", "95", "--strip")
            write(os.path.join(HERE, "orientation-%d.jpg" % n), insert_app1(read(j), exif_block(orientation=n)))

        # Orientation 6 in the other formats' own metadata (EXIF chunk in PNG
        # and WebP, the TIFF Orientation tag), written by libvips from the JPEG's.
        # HEIF is left out on purpose: the HEIF spec orients with irot/imir
        # boxes and tells readers to ignore EXIF orientation, as libheif does.
        o6 = os.path.join(HERE, "orientation-6.jpg")
        vips("copy", o6, os.path.join(HERE, "orientation-6.png"))
        vips("copy", o6, os.path.join(HERE, "orientation-6.webp") + "[lossless]")
        vips("copy", o6, os.path.join(HERE, "orientation-6.tif"))

        # GPS in EXIF (and orientation 6, so the clean copy must also be rotated).
        p6 = os.path.join(tmp, "o6.jpg")
        write(os.path.join(HERE, "gps.jpg"), insert_app1(read(p6), exif_block(orientation=6, gps=True)))

        # Colour: Display P3 and CMYK with embedded profiles, CMYK without one.
        vips("icc_transform", v, os.path.join(HERE, "p3.jpg") + "[Q=95]", "p3", "--input-profile", "srgb")

        cm = os.path.join(tmp, "cmyk.v")
        vips("icc_transform", v, cm, "cmyk", "--input-profile", "srgb")
        vips("jpegsave", cm, os.path.join(HERE, "cmyk-noprofile.jpg"), "--Q", "95", "--strip")

        # Bit depth, grey, alpha.
        vips("colourspace", v, os.path.join(HERE, "rgb16.png") + "[strip]", "rgb16")
        vips("colourspace", v, os.path.join(HERE, "grey.png") + "[strip]", "b-w")
        vips("colourspace", v, os.path.join(HERE, "grey16.tif") + "[strip]", "grey16")
        vips("bandjoin_const", v, os.path.join(HERE, "alpha.png") + "[strip]", "128")

        # Odd width: QImage pads RGB888 rows to 4 bytes (37*3 = 111 -> 112).
        vips("extract_area", v, os.path.join(HERE, "odd-37x29.png") + "[strip]", "0", "0", "37", "29")

        # Shrink-on-load source: 1200x800 JPEG of the pattern.
        big = os.path.join(tmp, "big.v")
        vips("resize", v, big, "25", "--kernel", "nearest")
        vips("jpegsave", big, os.path.join(HERE, "big-1200x800.jpg"), "--Q", "70", "--strip")

        # ---------------------------------------------------------------
        # Malformed corpus (plus a few valid seeds for the fuzzer).
        rnd = random.Random(4)
        jpg = read(os.path.join(HERE, "pattern.jpg"))
        png = read(os.path.join(HERE, "pattern.png"))
        webp = read(os.path.join(HERE, "pattern.webp"))
        heic = read(os.path.join(HERE, "pattern.heic"))
        tif = read(os.path.join(HERE, "pattern.tif"))
        M = lambda name, data: write(os.path.join(MALFORMED, name), data)

        M("empty.jpg", b"")
        M("garbage-10-bytes.bin", bytes(rnd.randrange(256) for _ in range(10)))
        M("random-4k.jpg", bytes(rnd.randrange(256) for _ in range(4096)))
        M("text-with-jpg-extension.jpg", b"This is not a photo, it is a text file.\nHello!\n")
        M("truncated-header.jpg", jpg[:20])
        M("truncated-half.jpg", jpg[: len(jpg) // 2])
        M("truncated-half.png", png[: len(png) // 2])
        M("truncated-idat.png", png[: len(png) - 20])
        M("truncated-half.webp", webp[: len(webp) // 2])
        M("truncated-half.heic", heic[: len(heic) // 2])
        M("truncated-header.heic", heic[:40])
        M("truncated-half.tif", tif[: len(tif) // 2])
        M("png-only-signature.png", png[:8])
        ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
        bomb = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b"")
        M("bomb-100000x100000.png", bomb)
        ihdr0 = struct.pack(">IIBBBBB", 0, 0, 8, 2, 0, 0, 0)
        M("zero-size.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr0) + png_chunk(b"IEND", b""))
        badcrc = bytearray(png)
        badcrc[29] ^= 0xFF  # IHDR CRC
        M("bad-ihdr-crc.png", bytes(badcrc))
        # JPEG whose SOF claims 65000x65000.
        sof = jpg.find(b"\xff\xc0")
        big_jpg = bytearray(jpg)
        big_jpg[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
        M("bomb-65000x65000.jpg", bytes(big_jpg))
        # TIFF header claiming 1,000,000 x 1,000,000 with nothing else: corrupt.
        t = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 3)
        t += struct.pack("<HHII", 256, 4, 1, 1000000) + struct.pack("<HHII", 257, 4, 1, 1000000)
        t += struct.pack("<HHII", 258, 3, 1, 8) + struct.pack("<I", 0)
        M("tiff-header-only.tif", t)
        # A real TIFF whose ImageWidth/ImageLength say 65535 x 65535.
        bt = bytearray(tif)
        ifd = struct.unpack_from("<I", bt, 4)[0]
        for i in range(struct.unpack_from("<H", bt, ifd)[0]):
            e = ifd + 2 + 12 * i
            tag, typ = struct.unpack_from("<HH", bt, e)
            if tag in (256, 257):
                if typ == 3:
                    struct.pack_into("<H", bt, e + 8, 65535)
                else:
                    struct.pack_into("<I", bt, e + 8, 65535)
        M("bomb-65535x65535.tif", bytes(bt))
        # WebP VP8X chunk claiming 16384x16384 with no image data: corrupt.
        vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (16383).to_bytes(3, "little") * 2
        M("webp-vp8x-no-image.webp", b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x)
        # A real lossy WebP whose VP8 frame header says 16383 x 16383: libwebp
        # notices the frame does not fit its chunk, so this is corrupt, not a bomb.
        bw = bytearray(webp)
        k = bw.find(b"\x9d\x01\x2a")
        struct.pack_into("<HH", bw, k + 3, 16383, 16383)
        M("webp-frame-size-mismatch.webp", bytes(bw))
        flipped = bytearray(jpg)
        for i in range(len(flipped) // 3, len(flipped) // 3 + 64):
            flipped[i] ^= 0x55
        M("corrupt-scan.jpg", bytes(flipped))
        M("gif-unsupported.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
        M("svg-unsupported.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n')
        M("png-named-as.jpg", png)  # valid PNG, wrong extension: must decode
        # Seeds: valid small images of every format.
        M("seed-pattern.jpg", jpg)
        M("seed-pattern.png", png)
        M("seed-pattern.webp", webp)
        M("seed-pattern.heic", heic)
        M("seed-pattern.tif", tif)
        M("seed-orientation-6.jpg", read(os.path.join(HERE, "orientation-6.jpg")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
