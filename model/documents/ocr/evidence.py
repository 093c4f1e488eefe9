"""The scan beside a read value: the page as the reading saw it, with the value's box drawn,
whole or cut down to the value and its neighbours. A picture for the doctor to check a field
against; made on this machine from the stored file, like the reading itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frmr.model.documents.ocr.fields import Source
from frmr.model.documents.ocr.reader import page_image, upright
from frmr.model.rules.filetypes import FileKind

if TYPE_CHECKING:
    from PIL import Image

# Around a value's box, a cut keeps this many box heights above and below, and this many to
# either side: the words beside the value, to tell a 3 from an 8 by its neighbours.
MARGIN_ROWS = 1.5
MARGIN_SIDES = 6.0
OUTLINE = 4


def box_pixels(
    box: tuple[float, float, float, float], size: tuple[int, int]
) -> tuple[int, int, int, int]:
    width, height = size
    return (
        round(box[0] * width),
        round(box[1] * height),
        round(box[2] * width),
        round(box[3] * height),
    )


def pictures(
    data: bytes, kind: FileKind, sources: list[Source], *, cut: bool = False
) -> tuple[Image.Image, Image.Image | None]:
    """The page of `sources` (the first one's) with each value's box outlined and, with
    `cut`, the first value and its surroundings with only it outlined: both from one upright
    page, which costs as much to make as everything else together. A value from a PDF's own
    text has no box: its page is given whole, and no cut."""
    first = sources[0]
    page = page_image(data, kind, first.page)
    if first.box is None:
        return page, None
    image = upright(page, first.turned, first.skew).convert("RGB")
    left, top, right, bottom = _outline(image, first.box)
    rows = bottom - top
    piece = (
        image.crop(
            (
                max(0, round(left - rows * MARGIN_SIDES)),
                max(0, round(top - rows * MARGIN_ROWS)),
                min(image.width, round(right + rows * MARGIN_SIDES)),
                min(image.height, round(bottom + rows * MARGIN_ROWS)),
            )
        )
        if cut
        else None
    )
    for source in sources[1:]:
        if source.page == first.page and source.box is not None:
            _outline(image, source.box)
    return image, piece


def _outline(
    image: Image.Image, box: tuple[float, float, float, float]
) -> tuple[int, int, int, int]:
    from PIL import ImageDraw

    left, top, right, bottom = box_pixels(box, image.size)
    ImageDraw.Draw(image).rectangle(
        (left - OUTLINE * 2, top - OUTLINE * 2, right + OUTLINE * 2, bottom + OUTLINE * 2),
        outline=(200, 0, 0),
        width=OUTLINE,
    )
    return left, top, right, bottom
