"""How large each image is drawn on its page, so resolution is measured as the reader sees it.

A scanner's 2480-pixel-wide image on an A4 page is 300 dpi; the same image drawn in a
quarter of the page is 600 dpi. The page content is walked for its transformation matrix
(q, Q, cm) up to each image it paints (Do), through form XObjects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Forms nested deeper than this are left out: real documents nest two or three, and a
# malformed file may nest a form in itself.
_MAX_FORM_DEPTH = 8


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m × n``: apply m, then n (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


@dataclass
class ImagePlacement:
    """The largest size (in inches) at which one image object is drawn anywhere."""

    xobject: pikepdf.Object
    width_in: float = 0.0
    height_in: float = 0.0
    pages: set[int] = field(default_factory=set)

    def draw(self, ctm: Matrix, page: int) -> None:
        a, b, c, d, _, _ = ctm
        self.width_in = max(self.width_in, math.hypot(a, b) / 72.0)
        self.height_in = max(self.height_in, math.hypot(c, d) / 72.0)
        self.pages.add(page)


def _matrix(operands: Sequence[Any]) -> Matrix | None:
    if len(operands) != 6:
        return None
    try:
        a, b, c, d, e, f = (float(x) for x in operands)
    except (TypeError, ValueError):
        return None
    return (a, b, c, d, e, f)


def _walk(
    content: pikepdf.Object | pikepdf.Page,
    resources: pikepdf.Object | None,
    base: Matrix,
    page: int,
    found: dict[tuple[int, int], ImagePlacement],
    depth: int,
) -> None:
    import pikepdf

    xobjects = resources.get("/XObject") if resources is not None else None
    ctm = base
    stack: list[Matrix] = []
    try:
        instructions = pikepdf.parse_content_stream(content, "q Q cm Do")
    except pikepdf.PdfError:
        return
    for instruction in instructions:
        op = str(instruction.operator)
        operands = list(instruction.operands)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else base
        elif op == "cm":
            m = _matrix(operands)
            if m is not None:
                ctm = multiply(m, ctm)
        elif op == "Do" and xobjects is not None and operands:
            xobject = xobjects.get(str(operands[0]))
            if not isinstance(xobject, pikepdf.Stream):
                continue
            subtype = xobject.get("/Subtype")
            if subtype == pikepdf.Name.Image:
                key = xobject.objgen
                if key == (0, 0):
                    continue
                found.setdefault(key, ImagePlacement(xobject)).draw(ctm, page)
            elif subtype == pikepdf.Name.Form and depth < _MAX_FORM_DEPTH:
                declared = xobject.get("/Matrix")
                form_matrix = (
                    _matrix(list(declared.as_list()))
                    if isinstance(declared, pikepdf.Array)
                    else None
                ) or IDENTITY
                _walk(
                    xobject,
                    xobject.get("/Resources", resources),
                    multiply(form_matrix, ctm),
                    page,
                    found,
                    depth + 1,
                )


def _resources(node: pikepdf.Object) -> pikepdf.Object | None:
    # /Resources may sit on an ancestor in the page tree (inherited, PDF 32000 7.7.3.4).
    for _ in range(64):
        if "/Resources" in node:
            resources: pikepdf.Object = node["/Resources"]
            return resources
        parent = node.get("/Parent")
        if parent is None:
            return None
        node = parent
    return None


def image_placements(pdf: pikepdf.Pdf) -> list[ImagePlacement]:
    """Every image drawn in the document, with its largest drawn size, in page order."""
    found: dict[tuple[int, int], ImagePlacement] = {}
    for number, page in enumerate(pdf.pages):
        _walk(page, _resources(page.obj), IDENTITY, number, found, 0)
    return list(found.values())
