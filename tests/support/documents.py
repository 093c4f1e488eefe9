"""Generated documents for packing tests and benchmarks: scans, phone photos, text PDFs.

Made with Pillow, img2pdf and pikepdf at run time, so nothing is downloaded and every
file is reproducible from its seed. A "scan" is lines of word-sized dark bars on paper
with sensor noise, which compresses about as badly as a real scan does.
"""

from __future__ import annotations

import io
import random
from functools import cache
from statistics import NormalDist

import img2pdf
import pikepdf
from PIL import Image, ImageDraw

A4_INCHES = (8.27, 11.69)


@cache
def _gaussian_table(sigma: float) -> list[int]:
    """Uniform bytes to grey levels of a normal law centred on 128 (its 256 quantiles)."""
    law = NormalDist(128, sigma)
    return [min(255, max(0, round(law.inv_cdf((u + 0.5) / 256)))) for u in range(256)]


def grain(size: tuple[int, int], sigma: float, seed: int) -> Image.Image:
    """Gaussian sensor grain from ``seed``: the law of Pillow's ``effect_noise`` (whose C
    ``rand()`` follows no seed) at a sixth of its cost, 0.04 s against 0.25 s for an A4
    page at 300 dpi; the pages' JPEG sizes moved by under 0.5 %."""
    noise = random.Random(seed).randbytes(size[0] * size[1])
    return Image.frombytes("L", size, noise).point(_gaussian_table(sigma))


def page_image(
    dpi: int,
    *,
    seed: int,
    colour: bool = False,
    paper: int = 238,
    noise: float = 10.0,
    inches: tuple[float, float] = A4_INCHES,
) -> Image.Image:
    """A page of "text" at ``dpi``: dark word bars on ``paper`` grey, with scanner noise."""
    rng = random.Random(seed)
    width, height = round(inches[0] * dpi), round(inches[1] * dpi)
    base = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(base)
    line = max(2, dpi // 10)
    margin = dpi // 2
    for y in range(margin, height - margin, line * 2):
        x = margin
        while x < width - margin:
            word = rng.randint(line, line * 6)
            draw.rectangle((x, y, min(x + word, width - margin), y + line), fill=30)
            x += word + line
    # Sensor grain (centred on 128): what makes a scan large and hard to compress.
    scan = Image.blend(base, grain((width, height), noise, seed), 0.12)
    if not colour:
        return scan
    rgb = Image.merge("RGB", (scan, scan.point(lambda v: v * 0.97), scan.point(lambda v: v * 0.9)))
    # A blue stamp, the part of a Russian document that must stay in colour.
    stamp = ImageDraw.Draw(rgb)
    cx, cy, r = width * 2 // 3, height * 4 // 5, dpi * 3 // 4
    stamp.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(40, 60, 200), width=max(2, dpi // 30))
    return rgb


def jpeg_bytes(
    image: Image.Image, quality: int = 92, dpi: int | None = None, **extra: object
) -> bytes:
    out = io.BytesIO()
    params: dict[str, object] = {"quality": quality, **extra}
    if dpi:
        params["dpi"] = (dpi, dpi)
    image.save(out, format="JPEG", **params)
    return out.getvalue()


@cache
def scan_page(seed: int, *, noise: float = 10.0, quality: int = 95) -> bytes:
    """A grey A4 page scanned at 300 dpi, as JPEG bytes (1.6 MB at the defaults), made once
    per process: the bytes are immutable, so the tests that share them stay independent."""
    return jpeg_bytes(page_image(300, seed=seed, noise=noise), quality=quality)


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Deflate's fastest level: a noisy page at 100 dpi takes 0.03 s instead of 0.22 s at
    # Pillow's default 6, for 17 % more bytes.
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def scanned_pdf(pages: list[bytes], dpi: int) -> bytes:
    """Page images (JPEG or PNG bytes) as a PDF of pages sized to them at ``dpi``.

    img2pdf's own writer: its default, through pikepdf, took 0.1 s for 25 MB, this 0.01 s.
    """
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    return bytes(img2pdf.convert(pages, layout_fun=layout, engine=img2pdf.Engine.internal))


def text_pdf(lines: list[str], pages: int = 1) -> bytes:
    """A PDF of real text in a standard font with a vector rule, no images at all."""
    pdf = pikepdf.Pdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for number in range(pages):
        ops = [b"0.2 w 72 760 m 523 760 l S", b"BT /F1 11 Tf 72 740 Td 14 TL"]
        for text in [*lines, f"page {number + 1}"]:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
        ops.append(b"ET")
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(b"\n".join(ops))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
