"""The packer against Ghostscript's `pdfwrite -dPDFSETTINGS=/ebook`, on a generated corpus.

    .venv/bin/python bench/pack_documents.py [SET…]

Needs `gs` (apt-get install ghostscript; a bench tool, not a dependency) and numpy
(pip install numpy, bench only). The corpus is generated at run time into a temp folder:
phone photos (12 MP, 3–5 MB), 300-dpi greyscale and colour page scans, a 30-page scanned
PDF of about 25 MB, and a text PDF with vector content.

Per set, in the same run: output bytes, wall time, and legibility as SSIM (7×7 window,
as scikit-image computes it by default) of each page rendered at 150 dpi in greyscale
against the original's render. Ghostscript gets the inputs already merged into one PDF
(it does not read JPEG); that merge is counted in the packer's time, not in its.
Rows: `frmr` packs to 10 MiB; `frmr = gs size` packs to Ghostscript's output size, to
compare legibility at equal bytes. `PYTHONPATH=DIR/src` measures the packer of another
checkout DIR on this one's corpus (the first line says which packer ran).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frmr.model.documents import packing
from frmr.model.documents.packing import PackInput, merge, pack
from frmr.model.rules.errors import PackDoesNotFit
from frmr.model.rules.limits import MAX_TOTAL_BYTES, format_size
from tests.support.documents import jpeg_bytes, page_image, scanned_pdf, text_pdf

RENDER_DPI = 150


def phone_photos() -> list[PackInput]:
    # 362 dpi over A4 is 2994 × 4232 px, 12.7 MP; a phone's strong noise and q 92 give 3–5 MB.
    return [
        PackInput(f"IMG_{i}.jpg", jpeg_bytes(page_image(362, seed=i, colour=True, noise=40), 92))
        for i in range(3)
    ]


def grey_scans() -> list[PackInput]:
    return [
        PackInput(f"scan{i}.jpg", jpeg_bytes(page_image(300, seed=10 + i, noise=30), 95, dpi=300))
        for i in range(5)
    ]


def colour_scans() -> list[PackInput]:
    return [
        PackInput(f"col{i}.jpg", jpeg_bytes(page_image(300, seed=20 + i, colour=True), 95, dpi=300))
        for i in range(3)
    ]


def long_scan() -> list[PackInput]:
    # noise 12 at q85 is about 810 KB a page: 30 pages make the ~25 MB the issue describes.
    pages = [jpeg_bytes(page_image(300, seed=30 + i, noise=12), 85) for i in range(30)]
    return [PackInput("трудовая.pdf", scanned_pdf(pages, 300))]


def heavy_scan() -> list[PackInput]:
    # Heavier grain at q90, about 1.9 MB a page, as the 54 MB book of an earlier run; ten
    # pages keep the set under a minute with Ghostscript and the renders on two cores.
    pages = [jpeg_bytes(page_image(300, seed=30 + i, noise=30), 90) for i in range(10)]
    return [PackInput("трудовая-19.pdf", scanned_pdf(pages, 300))]


def vector_text() -> list[PackInput]:
    lines = [f"Line {n}: The quick brown fox jumps over the lazy dog 0123456789" for n in range(40)]
    return [PackInput("text.pdf", text_pdf(lines, pages=10))]


SETS: dict[str, Callable[[], list[PackInput]]] = {
    "phone photos ×3": phone_photos,
    "grey scans 300 dpi ×5": grey_scans,
    "colour scans 300 dpi ×3": colour_scans,
    "scanned PDF 30 pages": long_scan,
    "scanned PDF 10 pages, heavy grain": heavy_scan,
    "text PDF 10 pages": vector_text,
}


def render(pdf: Path, out: Path) -> list[np.ndarray]:
    out.mkdir()
    subprocess.run(
        ["pdftoppm", "-r", str(RENDER_DPI), "-gray", str(pdf), str(out / "p")], check=True
    )
    return [np.asarray(Image.open(p), dtype=np.float64) for p in sorted(out.glob("p-*.pgm"))]


def _box(a: np.ndarray, k: int) -> np.ndarray:
    """Mean over every k×k window (valid part), by an integral image."""
    s = np.pad(a, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]) / (k * k)


def ssim(x: np.ndarray, y: np.ndarray, k: int = 7) -> float:
    """Mean SSIM with a k×k uniform window and sample covariance (scikit-image's default)."""
    h, w = min(x.shape[0], y.shape[0]), min(x.shape[1], y.shape[1])
    x, y = x[:h, :w], y[:h, :w]
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    n = k * k
    ux, uy = _box(x, k), _box(y, k)
    vx = (_box(x * x, k) - ux * ux) * n / (n - 1)
    vy = (_box(y * y, k) - uy * uy) * n / (n - 1)
    vxy = (_box(x * y, k) - ux * uy) * n / (n - 1)
    s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux**2 + uy**2 + c1) * (vx + vy + c2))
    return float(s.mean())


@dataclass
class Row:
    tool: str
    size: int
    seconds: float
    ssim_min: float
    ssim_mean: float
    note: str = ""
    cpu: float = 0.0


def measure(
    tool: str,
    pdf: bytes,
    seconds: float,
    originals: list[np.ndarray],
    work: Path,
    note: str = "",
    cpu: float = 0.0,
) -> Row:
    path = work / f"{''.join(c for c in tool if c.isalnum())}.pdf"
    path.write_bytes(pdf)
    pages = render(path, work / f"r-{path.stem}")
    assert len(pages) == len(originals), (tool, len(pages), len(originals))
    scores = [ssim(a, b) for a, b in zip(originals, pages, strict=True)]
    return Row(tool, len(pdf), seconds, min(scores), sum(scores) / len(scores), note, cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ghostscript(source: Path, out: Path) -> tuple[float, float]:
    """Ghostscript's wall time and CPU time (user + sys)."""
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
         "-dPDFSETTINGS=/ebook", f"-sOutputFile={out}", str(source)],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - started, _children_cpu() - cpu


def run_set(name: str, inputs: list[PackInput], work: Path) -> list[Row]:
    merged, _ = merge(inputs)
    source = work / "source.pdf"
    source.write_bytes(merged)
    originals = render(source, work / "r-source")
    rows = [Row("input", sum(len(i.data) for i in inputs), 0.0, 1.0, 1.0)]

    gs_out = work / "gs.pdf"
    gs_seconds, gs_cpu = ghostscript(source, gs_out)
    gs_bytes = gs_out.read_bytes()
    rows.append(measure("gs /ebook", gs_bytes, gs_seconds, originals, work, cpu=gs_cpu))

    # The packer's threads count in the process's CPU time (Pillow releases the GIL).
    started, cpu = time.perf_counter(), time.process_time()
    ours = pack(inputs, MAX_TOTAL_BYTES)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    note = _note(ours.dpi, ours.quality)
    rows.append(measure("frmr", ours.data, seconds, originals, work, note, cpu))

    if len(gs_bytes) < ours.size_after:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            equal = pack(inputs, len(gs_bytes))
        except PackDoesNotFit as refusal:
            rows.append(
                Row("frmr = gs size", int(str(refusal.details["reached"])), 0, 0, 0, "refused")
            )
        else:
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            note = _note(equal.dpi, equal.quality)
            rows.append(measure("frmr = gs size", equal.data, seconds, originals, work, note, cpu))
    return rows


def _note(dpi: int | None, quality: int | None) -> str:
    return "as it was" if dpi is None else f"{dpi} dpi, q{quality}"


def main() -> None:
    if shutil.which("gs") is None:
        sys.exit("needs Ghostscript: apt-get install ghostscript")
    wanted = sys.argv[1:] or list(SETS)
    # A baseline checkout is measured with PYTHONPATH=DIR/src: this says which one ran.
    print(f"packer: {Path(packing.__file__).parent}")
    print(f"cpus: {os.cpu_count()}, load: {os.getloadavg()[0]:.1f}")
    print("| set | tool | bytes | time (CPU) | SSIM min / mean (150 dpi) | fits 10 MiB | note |")
    print("|---|---|---|---|---|---|---|")
    for name in wanted:
        with tempfile.TemporaryDirectory(prefix="frmr-bench-pack-") as tmp:
            inputs = SETS[name]()
            for row in run_set(name, inputs, Path(tmp)):
                fits = "yes" if row.size <= MAX_TOTAL_BYTES else "no"
                time_text = f"{row.seconds:.2f} s ({row.cpu:.2f})" if row.seconds else "—"
                print(
                    f"| {name} | {row.tool} | {format_size(row.size)} ({row.size}) | {time_text} | "
                    f"{row.ssim_min:.3f} / {row.ssim_mean:.3f} | {fits} | {row.note} |",
                    flush=True,
                )
        print(f"load after {name}: {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
