"""Properties of the packer over generated sets of images and PDFs.

For any set: with a budget at or above the smallest size the packer can reach (the merged
file as it is, or every image at the floor), the result fits, opens in pikepdf, renders
every page in pdftoppm, and has the pages in the order given. Below that, it is a refusal
that names the size reached.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageStat

from frmr.model.documents.packing import PackInput, merge, pack
from frmr.model.rules.errors import PackDoesNotFit
from tests.support.documents import grain, jpeg_bytes, png_bytes, text_pdf

WHITE = 255.0


@dataclass(frozen=True)
class Case:
    inputs: list[PackInput]
    # The mean grey of each page, in order, as its source image has it (white for text).
    page_means: list[float]


def _image(level: int, size: tuple[int, int], seed: int) -> Image.Image:
    base = Image.new("L", size, level)
    noise = grain(size, 40 + seed % 20, seed)
    return Image.blend(base, noise, 0.25)


@st.composite
def inputs(draw: st.DrawFn) -> Case:
    items: list[PackInput] = []
    means: list[float] = []
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["jpeg", "png", "scan", "text"]))
        level = draw(st.integers(10, 200))
        name = f"{index}.{kind}"
        if kind in ("jpeg", "png"):
            # Photos land on A4, so at these sizes they are far below the floor.
            size = (draw(st.integers(60, 300)), draw(st.integers(60, 300)))
            image = _image(level, size, index)
            data = jpeg_bytes(image, quality=95) if kind == "jpeg" else png_bytes(image)
            items.append(PackInput(name, data))
            means.append(ImageStat.Stat(image).mean[0])
        elif kind == "scan":
            # Small pages (1.5 × 2 in) at 200–300 dpi: above the floor, so downsampled.
            dpi = draw(st.integers(200, 300))
            pages = [
                _image(level + 10 * p, (dpi * 3 // 2, dpi * 2), p)
                for p in range(draw(st.integers(1, 3)))
            ]
            data = bytes(
                img2pdf.convert(
                    [jpeg_bytes(p, quality=95) for p in pages],
                    layout_fun=img2pdf.get_fixed_dpi_layout_fun((dpi, dpi)),
                )
            )
            items.append(PackInput(name, data))
            means.extend(ImageStat.Stat(p).mean[0] for p in pages)
        else:
            count = draw(st.integers(1, 2))
            items.append(PackInput(name, text_pdf([f"doc {index}"], pages=count)))
            means.extend([WHITE] * count)
    return Case(items, means)


def _rendered_means(pdf: bytes) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "packed.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "12", "-gray", str(source), str(Path(tmp) / "p")], check=True
        )
        means = []
        for path in sorted(Path(tmp).glob("p-*.pgm")):
            with Image.open(path) as page:
                # The middle of the page: photos on A4 leave white margins around them.
                w, h = page.size
                middle = page.crop((w * 2 // 5, h * 2 // 5, w * 3 // 5, h * 3 // 5))
                means.append(ImageStat.Stat(middle).mean[0])
        return means


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=inputs(), share=st.floats(0.3, 1.6))
def test_a_set_packs_within_budget_in_order_or_is_refused_with_the_size_reached(
    case: Case, share: float
) -> None:
    merged, pages = merge(case.inputs)
    try:
        floor = pack(case.inputs, 1).size_after
    except PackDoesNotFit as refusal:
        reached = refusal.details["reached"]
        assert isinstance(reached, int)
        floor = reached
    smallest = min(len(merged), floor)
    budget = max(1, int(smallest * share))
    if budget < smallest:
        try:
            pack(case.inputs, budget)
        except PackDoesNotFit as refusal:
            assert refusal.details["reached"] == smallest
            assert refusal.details["budget"] == budget
            event("refused")
            return
        raise AssertionError("a set over budget at the floor was not refused")
    result = pack(case.inputs, budget)
    event("compressed" if result.compressed else "as it was")
    assert result.size_after <= budget
    assert result.pages == pages == len(case.page_means)
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert len(pdf.pages) == pages
    rendered = _rendered_means(result.data)
    assert len(rendered) == pages
    for got, expected in zip(rendered, case.page_means, strict=True):
        assert abs(got - expected) < 12, (rendered, case.page_means)
