#!/usr/bin/python3
"""image re-encode through `mugai sanitize --file` (default profile, and copies that force PNG
or JPEG), every output checked by independent readers: PIL decodes it, a PNG chunk / JPEG marker
walk written here finds the end and what lies after it, `file` names the type. The inputs go
through the same walk first, so the checks can fail.

  test_image_outputs.py MUGAI SAMPLES_DIR WORK_DIR
"""
import io
import json
import os
import struct
import subprocess
import sys
import unittest

from PIL import Image

MUGAI, SAMPLES, WORK = sys.argv[1:4]
del sys.argv[1:4]
SOURCE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
SECRET = b"mugai-secret-metadata"
CONVERTED = ["benign.png", "benign.jpg", "metadata.jpg", "text-chunks.png", "appended-zip.png", "appended-pe.jpg",
             "animated.gif", "image.tiff", "image.webp", "image.bmp", "appended-pe.bmp"]
SVG_PROFILE = """profiles:
  svg-as-pixels:
    strictness: 1
    rules:
      - { match: svg, action: re-encode, options: { svg: rasterize } }
      - { match: image, action: re-encode }
      - { match: any, action: remove }
select:
  - { default: svg-as-pixels }
"""
METADATA_CHUNKS = {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"tIME"}


def png_chunks(data):
    """[(type, length)] and the bytes after IEND."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, chunks = 8, []
    while at + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append((kind, length))
        at += 12 + length
        if kind == b"IEND":
            return chunks, len(data) - at
    raise AssertionError("no IEND")


def jpeg_segments(data):
    """[marker] before the scan and the bytes after EOI."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    at, markers = 2, []
    while at + 2 <= len(data):
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xD9:
            return markers, len(data) - at - 2
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        at += 2 + length
        if marker == 0xDA:
            while at + 1 < len(data) and not (data[at] == 0xFF and data[at + 1] not in (0, 0xFF, *range(0xD0, 0xD8))):
                at += 1
    raise AssertionError("no EOI")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def file_mime(path):
    return subprocess.run(["file", "--brief", "--mime-type", path], capture_output=True, text=True).stdout.strip()


def run_mugai(path, workdir, extra=()):
    os.makedirs(workdir, exist_ok=True)
    base = os.path.basename(path)
    out = os.path.join(workdir, "out-" + base)
    report = os.path.join(workdir, "report-" + base + ".json")
    result = subprocess.run([MUGAI, "sanitize", "--no-quarantine", "--file", path, "-o", out, "--report", report,
                             *extra], capture_output=True, timeout=120)
    with open(report, encoding="utf-8") as f:
        data = json.load(f)
    return result.returncode, (out if result.returncode == 0 and os.path.exists(out) else None), data["parts"][0]


class ImageOutputs(unittest.TestCase):
    def test_inputs_carry_what_the_outputs_must_not(self):
        self.assertGreater(png_chunks(read(os.path.join(SAMPLES, "appended-zip.png")))[1], 0)
        self.assertGreater(jpeg_segments(read(os.path.join(SAMPLES, "appended-pe.jpg")))[1], 0)
        self.assertIn(b"tEXt", {k for k, _ in png_chunks(read(os.path.join(SAMPLES, "text-chunks.png")))[0]})
        self.assertIn(SECRET, read(os.path.join(SAMPLES, "metadata.jpg")))

    def config_with_image_options(self, file_name, options):
        with open(os.path.join(SOURCE, "config", "mugai.yaml"), encoding="utf-8") as f:
            text = f.read()
        rule = "{ match: image,      action: re-encode }"
        self.assertIn(rule, text)
        config = os.path.join(WORK, file_name)
        os.makedirs(WORK, exist_ok=True)
        with open(config, "w", encoding="utf-8") as f:
            f.write(text.replace(rule, "{ match: image, action: re-encode, options: %s }" % options))
        return config

    def test_png_outputs_are_clean(self):
        """Lossless inputs become PNG by default; JPEGs too where a rule says format: png."""
        png_config = self.config_with_image_options("png.yaml", "{ format: png }")
        for name in CONVERTED:
            extra = ["--config", png_config] if name.endswith(".jpg") else []
            code, out, part = run_mugai(os.path.join(SAMPLES, name), os.path.join(WORK, "png"), extra)
            self.assertEqual(code, 0, name)
            self.assertEqual(part["action"], "converted", name)
            data = read(out)
            chunks, after = png_chunks(data)
            self.assertEqual(after, 0, name)
            self.assertEqual(METADATA_CHUNKS & {k for k, _ in chunks}, set(), name)
            self.assertNotIn(SECRET, data, name)
            self.assertEqual(file_mime(out), "image/png", name)
            with Image.open(out) as image:
                image.load()
                self.assertEqual(image.format, "PNG")
                self.assertNotIn("exif", image.info)
                self.assertEqual(getattr(image, "n_frames", 1), 1)
            with Image.open(os.path.join(SAMPLES, name)) as original:
                self.assertEqual(image.size, original.size, name)

    def test_jpeg_output_has_no_app_or_comment_segments(self):
        """JPEGs stay JPEG by default; a PNG becomes JPEG only where a rule says format: jpeg."""
        config = self.config_with_image_options("jpeg.yaml", "{ format: jpeg }")
        for name, extra in [("metadata.jpg", []), ("appended-pe.jpg", []), ("benign.jpg", []),
                            ("text-chunks.png", ["--config", config])]:
            code, out, part = run_mugai(os.path.join(SAMPLES, name), os.path.join(WORK, "jpeg"), extra)
            self.assertEqual(code, 0, name)
            data = read(out)
            markers, after = jpeg_segments(data)
            self.assertEqual(after, 0, name)
            self.assertEqual([m for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE], [], name)
            self.assertNotIn(SECRET, data, name)
            self.assertEqual(file_mime(out), "image/jpeg", name)
            Image.open(io.BytesIO(data)).load()

    def test_frames_all_keeps_the_animation(self):
        config = self.config_with_image_options("frames.yaml", "{ frames: all }")
        code, out, part = run_mugai(os.path.join(SAMPLES, "animated.gif"), os.path.join(WORK, "frames"),
                                    ["--config", config])
        self.assertEqual(code, 0)
        self.assertEqual(file_mime(out), "image/gif")
        self.assertNotIn(SECRET, read(out))
        with Image.open(out) as image:
            self.assertEqual(image.n_frames, 3)
            self.assertNotIn("comment", image.info)
        with Image.open(os.path.join(SAMPLES, "animated.gif")) as original:
            self.assertIn("comment", original.info)

    def test_bmp_pixels_survive_exactly(self):
        """BMP goes through gdk-pixbuf's BMP loader only: the PNG has the same pixels, nothing else."""
        code, out, part = run_mugai(os.path.join(SAMPLES, "appended-pe.bmp"), os.path.join(WORK, "bmp"))
        self.assertEqual(code, 0, part)
        self.assertIn("BMP image re-encoded as PNG", part["reason"])
        with Image.open(out) as result, Image.open(os.path.join(SAMPLES, "image.bmp")) as original:
            self.assertEqual(result.size, original.size)
            self.assertEqual(list(result.convert("RGB").getdata()), list(original.convert("RGB").getdata()))

    def test_svg_is_removed_by_default_and_rasterised_when_a_profile_says_so(self):
        code, _, part = run_mugai(os.path.join(SAMPLES, "script.svg"), os.path.join(WORK, "svg-default"))
        self.assertEqual(part["detected_class"], "svg")
        self.assertIn(part["action"], ("removed", "rejected"))
        config = os.path.join(WORK, "svg-profile.yaml")
        os.makedirs(WORK, exist_ok=True)
        with open(config, "w", encoding="utf-8") as f:
            f.write(SVG_PROFILE)
        code, out, part = run_mugai(os.path.join(SAMPLES, "script.svg"), os.path.join(WORK, "svg"), ("--config", config))
        self.assertEqual(code, 0, part)
        self.assertEqual(part["action"], "converted")
        self.assertIn("image.svg-rasterized", [f["code"] for f in part["findings"]])
        data = read(out)
        self.assertEqual(file_mime(out), "image/png")
        self.assertNotIn(b"script", data)
        self.assertEqual(png_chunks(data)[1], 0)
        with Image.open(out) as image:
            self.assertEqual(image.size, (64, 64))
            self.assertEqual(set(image.convert("RGBA").getdata()), {(255, 0, 0, 255)})  # the red rect, drawn
        # An <image> with an absolute file:// path is not loaded: the canvas stays transparent.
        code, out, part = run_mugai(os.path.join(SAMPLES, "external-image.svg"), os.path.join(WORK, "svg"),
                                    ("--config", config))
        self.assertEqual(code, 0, part)
        with Image.open(out) as image:
            self.assertEqual(image.size, (64, 48))
            self.assertEqual({alpha for *_, alpha in image.convert("RGBA").getdata()}, {0})

    def test_hostile_images_are_removed_with_a_reason(self):
        for name, code in [("huge-dimensions.png", "limit.image-pixels"), ("huge-dimensions.bmp", "limit.image-pixels")]:
            rc, out, part = run_mugai(os.path.join(SAMPLES, name), os.path.join(WORK, "removed"))
            # A file that is removed as a whole is reported as rejected in file mode.
            self.assertIn(part["action"], ("removed", "rejected"), name)
            self.assertIn(code, [f["code"] for f in part["findings"]], name)
            self.assertTrue(part["reason"], name)
        for name in ("huge-dimensions.png", "huge-dimensions.bmp"):
            _, _, part = run_mugai(os.path.join(SAMPLES, name), os.path.join(WORK, "removed"))
            self.assertIn("before decoding", part["reason"], name)
        _, _, part = run_mugai(os.path.join(SAMPLES, "script.svg"), os.path.join(WORK, "removed"))
        self.assertIn(part["action"], ("removed", "rejected"))


if __name__ == "__main__":
    unittest.main()
