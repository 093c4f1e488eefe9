"""Input files as PDF pages: images are wrapped (img2pdf) without re-encoding where possible.

img2pdf copies a JPEG's bytes into the PDF as they are and a PNG's compressed data too,
so a photo that already fits loses nothing. The EXIF orientation a phone writes is turned
into the page's /Rotate for the four rotations; the four mirrored ones (rare, and not
expressible as /Rotate) are transposed by Pillow and encoded again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frmr.model.rules.errors import PackInputUnreadable
from frmr.model.rules.masking import mask_personal_data

if TYPE_CHECKING:
    from PIL import Image

# A4 in points: photos of document pages are laid out on the paper they were taken of,
# not on a page of the photo's pixel size at 72 dpi (55 inches across for 12 MP).
A4_POINTS = (595.2756, 841.8898)
_EXIF_ORIENTATION = 0x0112
_MIRRORED = frozenset({2, 4, 5, 7})
# Quality for images that must be encoded again to be wrapped at all (HEIC, mirrored
# JPEGs): high, because the budget search may encode them once more.
_WRAP_QUALITY = 92


@dataclass(frozen=True)
class PackInput:
    """One file to pack: its name (for messages) and its bytes."""

    name: str
    data: bytes


def is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _unreadable(name: str, why: str, exc: BaseException | None = None) -> PackInputUnreadable:
    return PackInputUnreadable(
        f"Файл «{name}» не удалось прочитать: {why}",
        f"pack input {mask_personal_data(name)!r} unreadable: {exc!r}",
        fix="Проверьте, что файл открывается, и сохраните его заново в PDF, JPEG или PNG",
        details={"name": name},
    )


def _open_image(item: PackInput) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    _register_heif()
    try:
        # Opening reads the header only: a JPEG that img2pdf copies is never decoded.
        image = Image.open(io.BytesIO(item.data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _unreadable(item.name, "это не изображение или оно повреждено", exc) from exc
    return image


def _register_heif() -> None:
    # iPhones save HEIC; pillow-heif is optional, so without it HEIC is refused as unknown.
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()


def _orientation(image: Image.Image) -> int:
    value = image.getexif().get(_EXIF_ORIENTATION, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _flattened(image: Image.Image) -> Image.Image:
    """The image on white, in a mode a PDF image can carry (L or RGB)."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("L", "RGB"):
        return image
    if image.mode in ("1", "I", "I;16", "F"):
        return image.convert("L")
    return image.convert("RGB")


def _reencoded(image: Image.Image, lossless: bool) -> bytes:
    out = io.BytesIO()
    flat = _flattened(image)
    if lossless:
        flat.save(out, format="PNG", optimize=False)
    else:
        flat.save(out, format="JPEG", quality=_WRAP_QUALITY)
    return out.getvalue()


def image_to_pdf(item: PackInput) -> bytes:
    """One image as a one-page A4 PDF, upright, its pixels copied where the format allows."""
    import img2pdf

    image = _open_image(item)
    orientation = _orientation(image)
    lossless = image.format == "PNG"
    raw: bytes | None = item.data
    if image.format not in ("JPEG", "PNG") or orientation in _MIRRORED:
        raw = None
    layout = img2pdf.get_layout_fun(A4_POINTS, fit=img2pdf.FitMode.into, auto_orient=True)
    if raw is not None:
        try:
            return bytes(img2pdf.convert(raw, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid))
        except (
            img2pdf.AlphaChannelError,
            img2pdf.ImageOpenError,
            img2pdf.UnsupportedColorspaceError,
            img2pdf.JpegColorspaceError,
            img2pdf.ExifOrientationError,
        ):
            # Alpha, CMYK JPEGs with odd markers, 16-bit PNGs: made plain below.
            pass
    try:
        image.load()
        data = _reencoded(image, lossless)
    except (OSError, ValueError) as exc:
        raise _unreadable(item.name, "изображение повреждено", exc) from exc
    try:
        return bytes(img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.none))
    except Exception as exc:  # img2pdf raises bare Exception for some malformed images
        raise _unreadable(item.name, "изображение повреждено", exc) from exc
