#!/usr/bin/env python3
"""Draw httpstatus' own /image picture and embed it in C.

Usage:
  gen_images.py OUT.c              write the C tables (PNG, JPEG, WebP, SVG)
  gen_images.py --dump DIR         also/only write teapot.{png,jpg,webp,svg} to DIR

The picture is a stylised teapot with a seven-segment "418" badge, drawn here
from geometric primitives (Pillow's ImageDraw for the raster formats, the same
shapes written out as SVG). Nothing is copied from another image. The output is
deterministic for a given Pillow/libjpeg/libwebp, so builds are reproducible.
"""
import io
import sys

from PIL import Image, ImageDraw

W, H = 256, 256
SCALE = 4  # supersample for smooth edges, then downscale

BG = (250, 246, 238)
POT = (46, 134, 171)
POT_DARK = (28, 92, 120)
LID = (235, 94, 40)
STEAM = (176, 190, 197)
BADGE = (255, 255, 255)
DIGIT = (235, 94, 40)

# Seven-segment digits: segments a b c d e f g.
SEGMENTS = {
    "4": "bcfg",
    "1": "bc",
    "8": "abcdefg",
}


def segment_rects(x, y, w, h, t):
    """Rectangles (x0, y0, x1, y1) of the seven segments of a digit cell."""
    m = h // 2
    return {
        "a": (x + t, y, x + w - t, y + t),
        "b": (x + w - t, y + t, x + w, y + m),
        "c": (x + w - t, y + m, x + w, y + h - t),
        "d": (x + t, y + h - t, x + w - t, y + h),
        "e": (x, y + m, x + t, y + h - t),
        "f": (x, y + t, x + t, y + m),
        "g": (x + t, y + m - t // 2, x + w - t, y + m + t - t // 2),
    }


def shapes():
    """The drawing as a list of (kind, params, colour) in 256x256 units."""
    s = []
    # steam: three rounded bars
    for i, x in enumerate((104, 124, 144)):
        s.append(("rrect", (x, 22 + (i % 2) * 8, x + 8, 58 + (i % 2) * 8, 4), STEAM))
    # handle: a thick ring on the right
    s.append(("ring", (158, 92, 222, 176, 12), POT_DARK))
    # spout: a polygon on the left
    s.append(("poly", [(70, 150), (22, 96), (34, 90), (88, 128)], POT_DARK))
    # body: ellipse, base: rounded bar
    s.append(("ellipse", (52, 84, 204, 214), POT))
    s.append(("rrect", (84, 200, 172, 222, 8), POT_DARK))
    # lid and knob
    s.append(("rrect", (86, 74, 170, 92, 8), LID))
    s.append(("ellipse", (118, 58, 138, 78), LID))
    # badge with "418"
    s.append(("rrect", (80, 122, 176, 172, 10), BADGE))
    for ch, x in (("4", 88), ("1", 111), ("8", 148)):  # "1" lights its right-hand bars
        for seg in SEGMENTS[ch]:
            s.append(("rect", segment_rects(x, 130, 20, 34, 5)[seg], DIGIT))
    return s


def draw_raster():
    img = Image.new("RGB", (W * SCALE, H * SCALE), BG)
    d = ImageDraw.Draw(img)
    k = SCALE
    for kind, p, col in shapes():
        if kind == "rect":
            d.rectangle([c * k for c in p], fill=col)
        elif kind == "rrect":
            d.rounded_rectangle([c * k for c in p[:4]], radius=p[4] * k, fill=col)
        elif kind == "ellipse":
            d.ellipse([c * k for c in p], fill=col)
        elif kind == "ring":
            d.ellipse([c * k for c in p[:4]], outline=col, width=p[4] * k)
        elif kind == "poly":
            d.polygon([(x * k, y * k) for x, y in p], fill=col)
    return img.resize((W, H), Image.LANCZOS)


def svg():
    def rgb(c):
        return "#%02x%02x%02x" % c

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d">' % (W, H, W, H),
           '<title>418 I\'m a teapot</title>',
           '<rect width="%d" height="%d" fill="%s"/>' % (W, H, rgb(BG))]
    for kind, p, col in shapes():
        c = rgb(col)
        if kind == "rect":
            out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>'
                       % (p[0], p[1], p[2] - p[0], p[3] - p[1], c))
        elif kind == "rrect":
            out.append('<rect x="%d" y="%d" width="%d" height="%d" rx="%d" fill="%s"/>'
                       % (p[0], p[1], p[2] - p[0], p[3] - p[1], p[4], c))
        elif kind == "ellipse":
            out.append('<ellipse cx="%g" cy="%g" rx="%g" ry="%g" fill="%s"/>'
                       % ((p[0] + p[2]) / 2, (p[1] + p[3]) / 2,
                          (p[2] - p[0]) / 2, (p[3] - p[1]) / 2, c))
        elif kind == "ring":
            w = p[4]
            out.append('<ellipse cx="%g" cy="%g" rx="%g" ry="%g" fill="none" '
                       'stroke="%s" stroke-width="%d"/>'
                       % ((p[0] + p[2]) / 2, (p[1] + p[3]) / 2,
                          (p[2] - p[0] - w) / 2, (p[3] - p[1] - w) / 2, c, w))
        elif kind == "poly":
            out.append('<polygon points="%s" fill="%s"/>'
                       % (" ".join("%d,%d" % xy for xy in p), c))
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("ascii")


def encode_all():
    img = draw_raster()
    res = []
    for name, fmt, ctype, kw in (
        ("png", "PNG", "image/png", {"optimize": True}),
        ("jpeg", "JPEG", "image/jpeg", {"quality": 85}),
        ("webp", "WEBP", "image/webp", {"quality": 80, "method": 6}),
    ):
        b = io.BytesIO()
        img.save(b, fmt, **kw)
        res.append((name, ctype, b.getvalue()))
    res.append(("svg", "image/svg+xml", svg()))
    return res


def c_array(name, data):
    lines = ["static const unsigned char %s[%d] = {" % (name, len(data))]
    for i in range(0, len(data), 16):
        lines.append("  " + ",".join("0x%02x" % b for b in data[i:i + 16]) + ",")
    lines.append("};")
    return "\n".join(lines)


def write_c(path, images):
    parts = ["/* Generated by tools/gen_images.py; do not edit. */",
             '#include "httpbin/images.h"', ""]
    for name, _, data in images:
        parts.append(c_array("img_" + name, data))
        parts.append("")
    parts.append("const hb_image_t hb_images[] = {")
    for name, ctype, data in images:
        parts.append('  {"%s", "%s", img_%s, sizeof img_%s},' % (name, ctype, name, name))
    parts.append("};")
    parts.append("const size_t hb_images_count = %d;" % len(images))
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main(argv):
    images = encode_all()
    args = argv[1:]
    if len(args) >= 2 and args[0] == "--dump":
        ext = {"png": "png", "jpeg": "jpg", "webp": "webp", "svg": "svg"}
        for name, _, data in images:
            with open("%s/teapot.%s" % (args[1], ext[name]), "wb") as f:
                f.write(data)
        args = args[2:]
    if len(args) == 1:
        write_c(args[0], images)
    elif args:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
