"""Fitting a PDF into a byte budget by downsampling and re-encoding its page images.

Only images are touched; text, vector drawing and fonts stay as they are. Every image is
decoded once and encoded for each rung of a ladder of (resolution, JPEG quality) settings,
from the preferred one down to the legibility floor; the first rung whose total fits the
budget is applied. The ladder is short and every rung is computed in the same pass, so the
cost is one decode and a handful of encodes per image, spread over a thread pool (Pillow
releases the GIL while it resizes and encodes). pikepdf is not thread-safe, so all PDF
access stays on the calling thread.
"""

from __future__ import annotations

import io
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frmr.model.packing.placement import ImagePlacement, image_placements

if TYPE_CHECKING:
    import pikepdf
    from PIL import Image

# Images smaller than this on either side (logos, signatures, bullets) are not worth it.
_MIN_SIDE_PX = 48
# Resizing by less than this is pointless: it blurs and saves next to nothing.
_MIN_SHRINK = 0.95
# An RGB image whose pixels are this close to grey is encoded as greyscale, a third of the
# bytes. Kept strict: a blue stamp or signature (often under 1 % of a page) keeps colour.
_GREY_CHROMA = 24
_GREY_MAX_SHARE = 0.0005


@dataclass(frozen=True, order=True)
class Rung:
    """One setting of the ladder: the resolution cap and the JPEG quality."""

    dpi: int
    quality: int


@dataclass(frozen=True)
class PackProfile:
    """How far the packer may go. The floor is what stays legible for a text page."""

    dpi_floor: int = 150
    # Above the floor only when asked: 150 dpi reads well on screen and in print, and every
    # byte a document takes is taken from the other files of the application (10 MiB).
    max_dpi: int = 150
    quality: int = 80
    min_quality: int = 30

    def ladder(self) -> list[Rung]:
        """Rungs from the most to the least faithful: resolution first, then quality."""
        rungs = [Rung(dpi, self.quality) for dpi in range(self.max_dpi, self.dpi_floor, -50)]
        quality = self.quality
        while True:
            rungs.append(Rung(self.dpi_floor, quality))
            if quality <= self.min_quality:
                return rungs
            quality = max(self.min_quality, quality - 15)


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int
    grey: bool
    dpi: float


@dataclass
class _Job:
    placement: ImagePlacement
    raw_size: int
    source: bytes | Image.Image
    # The source is a plain JPEG stream; "same size, no smaller" means keep it.
    is_jpeg: bool


@dataclass(frozen=True)
class Ladder:
    """For each image (by object id): its current stream size and its encoding per rung."""

    raw_sizes: dict[tuple[int, int], int]
    encodings: dict[tuple[int, int], dict[Rung, Encoded | None]]

    def image_bytes(self, rung: Rung) -> int:
        total = 0
        for key, raw in self.raw_sizes.items():
            encoded = self.encodings[key].get(rung)
            total += raw if encoded is None else len(encoded.data)
        return total

    def reached_dpi(self, rung: Rung) -> int | None:
        dpis = [e.dpi for per in self.encodings.values() if (e := per.get(rung)) is not None]
        return round(max(dpis)) if dpis else None


def _number(xobject: pikepdf.Object, key: str, default: int) -> int:
    value = xobject.get(key)
    try:
        return default if value is None else int(value)
    except (TypeError, ValueError):
        return default


def _eligible(xobject: pikepdf.Object) -> bool:
    import pikepdf

    if bool(xobject.get("/ImageMask")) or isinstance(xobject.get("/Mask"), pikepdf.Array):
        # Stencils are one bit; a colour-key mask names exact colours that JPEG would shift.
        return False
    if _number(xobject, "/BitsPerComponent", 8) < 8:
        return False
    filters = xobject.get("/Filter")
    names = list(filters.as_list()) if isinstance(filters, pikepdf.Array) else [filters]
    if pikepdf.Name.JBIG2Decode in names or pikepdf.Name.CCITTFaxDecode in names:
        return False
    return (
        _number(xobject, "/Width", 0) >= _MIN_SIDE_PX
        and _number(xobject, "/Height", 0) >= _MIN_SIDE_PX
    )


def _plain_jpeg(xobject: pikepdf.Object) -> bool:
    import pikepdf

    return (
        xobject.get("/Filter") == pikepdf.Name.DCTDecode
        and "/Decode" not in xobject
        and xobject.get("/ColorSpace") in (pikepdf.Name.DeviceGray, pikepdf.Name.DeviceRGB)
    )


def _job(placement: ImagePlacement) -> _Job | None:
    import pikepdf

    xobject = placement.xobject
    if not _eligible(xobject) or placement.width_in <= 0 or placement.height_in <= 0:
        return None
    raw = xobject.read_raw_bytes()
    if _plain_jpeg(xobject):
        return _Job(placement, len(raw), raw, is_jpeg=True)
    if not isinstance(xobject, pikepdf.Stream):
        return None
    try:
        image = pikepdf.PdfImage(xobject).as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, ValueError, OSError):
        # A colour space or filter pikepdf can't turn into pixels: left as it is.
        return None
    return _Job(placement, len(raw), image, is_jpeg=False)


def _pixels(job: _Job, largest: tuple[int, int]) -> Image.Image | None:
    from PIL import Image

    image: Image.Image
    if isinstance(job.source, bytes):
        jpeg = Image.open(io.BytesIO(job.source))
        # JPEG can decode at 1/2, 1/4, 1/8 scale at a fraction of the cost of full size.
        jpeg.draft(jpeg.mode, largest)
        jpeg.load()
        image = jpeg
    else:
        image = job.source
    if image.mode == "1":
        return None
    if image.mode in ("LA", "I", "I;16", "F"):
        image = image.convert("L")
    elif image.mode != "L" and image.mode != "RGB":
        image = image.convert("RGB")
    return image


def _nearly_grey(image: Image.Image) -> bool:
    from PIL import ImageChops

    sample = image.copy()
    sample.thumbnail((256, 256))
    r, g, b = sample.split()
    chroma = ImageChops.lighter(
        ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b)),
        ImageChops.difference(r, b),
    )
    coloured = sum(chroma.histogram()[_GREY_CHROMA:])
    return coloured <= _GREY_MAX_SHARE * sample.width * sample.height


def _encode(job: _Job, rungs: list[Rung]) -> dict[Rung, Encoded | None]:
    from PIL import Image

    placement = job.placement
    width_px = _number(placement.xobject, "/Width", 1)
    height_px = _number(placement.xobject, "/Height", 1)
    own_dpi = min(width_px / placement.width_in, height_px / placement.height_in)
    top = max(r.dpi for r in rungs)
    largest = (
        min(width_px, round(placement.width_in * top)),
        min(height_px, round(placement.height_in * top)),
    )
    image = _pixels(job, largest)
    result: dict[Rung, Encoded | None] = {}
    if image is None:
        return dict.fromkeys(rungs)
    grey = image.mode == "L" or _nearly_grey(image)
    if grey and image.mode != "L":
        image = image.convert("L")
    by_dpi: dict[int, list[Rung]] = {}
    for rung in rungs:
        by_dpi.setdefault(rung.dpi, []).append(rung)
    for dpi, same in by_dpi.items():
        size = (
            max(1, round(placement.width_in * dpi)),
            max(1, round(placement.height_in * dpi)),
        )
        shrink = dpi < own_dpi * _MIN_SHRINK
        scaled = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0) if shrink else image
        reached = dpi if shrink else own_dpi
        for rung in same:
            out = io.BytesIO()
            scaled.save(out, format="JPEG", quality=rung.quality, optimize=True)
            data = out.getvalue()
            keep = len(data) >= job.raw_size
            result[rung] = (
                None if keep else Encoded(data, scaled.width, scaled.height, grey, reached)
            )
    return result


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def build_ladder(pdf: pikepdf.Pdf, rungs: list[Rung]) -> Ladder:
    """Encode every eligible image of ``pdf`` at every rung."""
    raw_sizes: dict[tuple[int, int], int] = {}
    encodings: dict[tuple[int, int], dict[Rung, Encoded | None]] = {}
    workers = _workers()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[tuple[tuple[int, int], Future[dict[Rung, Encoded | None]]]] = deque()

        def settle(limit: int) -> None:
            while len(pending) > limit:
                key, future = pending.popleft()
                encodings[key] = future.result()

        for placement in image_placements(pdf):
            job = _job(placement)
            if job is None:
                continue
            key = placement.xobject.objgen
            raw_sizes[key] = job.raw_size
            pending.append((key, pool.submit(_encode, job, rungs)))
            # Decoded images wait in memory for a worker; a few per worker keep it busy.
            settle(2 * workers)
        settle(0)
    return Ladder(raw_sizes, encodings)


def apply_rung(pdf: pikepdf.Pdf, ladder: Ladder, rung: Rung) -> None:
    """Replace each image of ``pdf`` (opened from the same bytes) by its encoding at ``rung``."""
    import pikepdf

    for key, per in ladder.encodings.items():
        encoded = per.get(rung)
        if encoded is None:
            continue
        xobject = pdf.get_object(key)
        xobject.write(encoded.data, filter=pikepdf.Name.DCTDecode)
        xobject.Width = encoded.width
        xobject.Height = encoded.height
        xobject.BitsPerComponent = 8
        xobject.ColorSpace = pikepdf.Name.DeviceGray if encoded.grey else pikepdf.Name.DeviceRGB
        for stale in ("/DecodeParms", "/Decode"):
            if stale in xobject:
                del xobject[stale]
