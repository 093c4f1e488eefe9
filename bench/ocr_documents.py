"""Field accuracy and time per page of reading scanned удостоверения and НМО certificates.

Generates N documents with known fields (tests/support/certificates.py: PT Serif, 150–300
dpi, skewed up to 2.5°, some turned 90° or 180°, half with noise and blur; JPEG, PNG and
image PDFs), reads each as the daemon does (model/ocr) and compares field by field.

Baselines in the same run: the same documents' text PDFs (read from their text layer, no
OCR), and, on the first few scans, the other Tesseract binding (pytesseract: one
`tesseract` process per page) against tesserocr (the C API, the model loaded once).

    .venv/bin/python bench/ocr_documents.py [--count 36] [--engines 6]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frmr.model.documents.ocr.fields import recognise
from frmr.model.documents.ocr.reader import Reader, _prepared, find_tessdata
from frmr.model.rules.filetypes import FileKind
from tests.support.certificates import documents

KINDS = {".jpg": FileKind.JPEG, ".png": FileKind.PNG, ".pdf": FileKind.PDF}
HOURS = {"hours", "zet"}
DATES = {"date_from", "date_to", "issue_date", "date"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=36)
    parser.add_argument("--engines", type=int, default=6)
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    tessdata = find_tessdata()
    made = documents(args.count, seed=args.seed)
    right: dict[str, list[bool]] = defaultdict(list)
    misses: list[str] = []
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    text_seconds: list[float] = []
    kinds_right = 0
    with Reader(tessdata) as reader:
        for number, doc in enumerate(made, start=1):
            kind = KINDS[Path(doc.scan_name).suffix]
            began, cpu = time.perf_counter(), time.process_time()
            read = reader.read(doc.scan, kind, max_pages=4, max_seconds=120)
            found = recognise(read)
            seconds.append((time.perf_counter() - began) / max(1, len(read.pages)))
            cpu_seconds.append((time.process_time() - cpu) / max(1, len(read.pages)))
            began = time.perf_counter()
            layer = recognise(reader.read(doc.pdf, FileKind.PDF, max_pages=4, max_seconds=120))
            text_seconds.append(time.perf_counter() - began)
            assert layer is not None and layer.kind == doc.kind, "text layer misread"
            expected = dict(doc.fields)
            expected_kind = expected.pop("kind", "dpp_pk")
            if found is not None and found.course_kind == expected_kind:
                kinds_right += 1
            for name, value in expected.items():
                got = found.value(name) if found is not None and found.kind == doc.kind else None
                ok = got == value
                right[name].append(ok)
                if not ok:
                    misses.append(
                        f"  #{number} {doc.kind} {doc.dpi} dpi {', '.join(doc.notes)}: "
                        f"{name} {value!r} → {got!r}"
                    )
    groups = {
        "hours / ЗЕТ": [ok for n, oks in right.items() if n in HOURS for ok in oks],
        "dates": [ok for n, oks in right.items() if n in DATES for ok in oks],
        "all fields": [ok for oks in right.values() for ok in oks],
    }
    print(f"documents: {len(made)} ({sum(d.kind == 'pk' for d in made)} удостоверений о ПК)")
    print(f"document kind right: {kinds_right}/{len(made)}")
    for label, oks in groups.items():
        print(f"{label:<12} {sum(oks)}/{len(oks)} = {100 * sum(oks) / len(oks):.1f} %")
    for name, oks in sorted(right.items()):
        print(f"  {name:<20} {sum(oks)}/{len(oks)}")
    print(
        f"scan, s per page (tesserocr, with orientation and deskew): "
        f"median {statistics.median(seconds):.2f}, max {max(seconds):.2f}"
    )
    print(
        f"scan, CPU s per page: median {statistics.median(cpu_seconds):.2f}, "
        f"max {max(cpu_seconds):.2f}"
    )
    print(f"text PDF (baseline, no OCR), s per page: median {statistics.median(text_seconds):.3f}")
    if misses:
        print("misread:")
        print("\n".join(misses))
    if args.engines:
        compare_engines(made[: args.engines], tessdata)


def compare_engines(made: list, tessdata: str) -> None:  # type: ignore[type-arg]
    """The same pages, prepared the same way, read by both bindings (text only)."""
    import io

    import pytesseract
    import tesserocr
    from PIL import Image

    images = [
        _prepared(Image.open(io.BytesIO(d.scan))) for d in made if not d.scan_name.endswith(".pdf")
    ]
    began = time.perf_counter()
    with tesserocr.PyTessBaseAPI(path=tessdata, lang="rus", psm=tesserocr.PSM.SINGLE_COLUMN) as api:
        for image in images:
            api.SetImage(image)
            api.GetUTF8Text()
    c_api = (time.perf_counter() - began) / len(images)
    began = time.perf_counter()
    for image in images:
        pytesseract.image_to_string(image, lang="rus", config=f"--psm 4 --tessdata-dir {tessdata}")
    process = (time.perf_counter() - began) / len(images)
    print(
        f"engines on {len(images)} pages, s per page: "
        f"tesserocr {c_api:.2f}, pytesseract {process:.2f}"
    )


if __name__ == "__main__":
    main()
