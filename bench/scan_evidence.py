"""Can a field's cut of the scan be read in the terminal? And how long the pictures take.

For each generated удостоверение (tests/support/certificates.py: scans at 150–300 dpi,
skewed, some turned, some noisy), the cut of the hours, the end date and the registration
number (model/documents/ocr/evidence.py) is read back by Tesseract three ways:
- at full resolution (what `frmr portfolio proposals scan` writes): the baseline;
- at the resolution half blocks give it in a dialog at 80×24 (76 cells × 14 rows, two
  pixels a cell: 76 × 28 pixels at most, the cut's shape kept), enlarged back for reading;
- the same at 60×20 (56 × 10 cells);
- the value's box alone, no outline and no neighbours, at 80×24: the best half blocks can do.
Tesseract stands in for the doctor's eye: a cut it reads right at full resolution and not
at half-block resolution is one the eye would be guessing at too.

    .venv/bin/python bench/scan_evidence.py [--count 8]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image

from frmr.model.documents.ocr.evidence import box_pixels, pictures
from frmr.model.documents.ocr.fields import Source, recognise
from frmr.model.documents.ocr.reader import Reader, find_tessdata, page_image, upright
from frmr.model.rules.filetypes import FileKind
from tests.support.certificates import pk_document, scan_of

KINDS = {".jpg": FileKind.JPEG, ".png": FileKind.PNG, ".pdf": FileKind.PDF}
FIELDS = ("hours", "date_to", "registration_number")
TERMINALS = {"80x24": (76, 14), "60x20": (56, 10)}


def half_blocks(cut: Image.Image, cells: tuple[int, int]) -> Image.Image:
    """The cut as half blocks show it in `cells` (columns, rows), enlarged back 8×."""
    columns, rows = cells
    scale = min(columns / cut.width, rows * 2 / cut.height)
    small = cut.resize(
        (max(1, round(cut.width * scale)), max(1, round(cut.height * scale))),
        Image.Resampling.LANCZOS,
    )
    return small.resize((small.width * 8, small.height * 8), Image.Resampling.NEAREST)


def value_alone(data: bytes, kind: FileKind, source: Source) -> Image.Image:
    assert source.box is not None
    page = upright(page_image(data, kind, source.page), source.turned, source.skew)
    return page.crop(box_pixels(source.box, page.size))


def read(reader: Reader, image: Image.Image) -> str:
    """Tesseract's text of a cut as it is: Reader.ocr would enlarge it as if it were a page."""
    reader.api.SetImage(image.convert("L"))
    text: str = reader.api.GetUTF8Text()
    return text


def printed(name: str, value: str) -> str:
    """What the value looks like on the page: a date's year is printed either way."""
    return value[:4] if name == "date_to" else value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    right = {"full": 0, **{t: 0 for t in TERMINALS}, "value alone, 80x24": 0}
    total = 0
    page_times: list[float] = []
    cut_times: list[float] = []
    with Reader(find_tessdata()) as reader:
        for _ in range(args.count):
            doc = scan_of(pk_document(rng), rng)
            kind = KINDS[Path(doc.scan_name).suffix]
            found = recognise(reader.read(doc.scan, kind, max_pages=2, max_seconds=120))
            assert found is not None
            sources = [f.source for f in found.fields.values() if f.source is not None]
            began = time.perf_counter()
            pictures(doc.scan, kind, sources)
            page_times.append(time.perf_counter() - began)
            for name in FIELDS:
                source = found.fields[name].source
                if source is None:
                    continue
                began = time.perf_counter()
                _page, cut = pictures(doc.scan, kind, [source], cut=True)
                cut_times.append(time.perf_counter() - began)
                assert cut is not None
                expected = printed(name, doc.fields[name])
                total += 1
                right["full"] += expected in read(reader, cut)
                for terminal, cells in TERMINALS.items():
                    right[terminal] += expected in read(reader, half_blocks(cut, cells))
                alone = half_blocks(value_alone(doc.scan, kind, source), TERMINALS["80x24"])
                right["value alone, 80x24"] += expected in read(reader, alone)
    print(f"cuts: {total} ({', '.join(FIELDS)}) of {args.count} scans")
    for how, count in right.items():
        print(f"read right from the cut, {how}: {count}/{total}")
    print(f"page picture: median {statistics.median(page_times):.2f} s")
    print(f"field cut: median {statistics.median(cut_times):.2f} s")


if __name__ == "__main__":
    main()
