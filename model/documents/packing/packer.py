"""Packing files into one PDF that fits a byte budget: wrap, merge, and compress if needed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frmr.model.documents.packing.progress import Progress, no_progress
from frmr.model.documents.packing.recompress import PackProfile, apply_rung, build_ladder
from frmr.model.documents.packing.sources import PackInput, _unreadable, image_to_pdf, is_pdf
from frmr.model.rules.errors import VALIDATION_ERROR, PackDoesNotFit, PackInputUnreadable
from frmr.model.rules.limits import format_size
from frmr.model.rules.masking import mask_personal_data

if TYPE_CHECKING:
    import pikepdf


@dataclass(frozen=True)
class PackResult:
    """The packed PDF and what was done to get it."""

    data: bytes
    pages: int
    files: int
    size_before: int
    # The resolution the page images were brought down to, None when none was re-encoded.
    dpi: int | None
    quality: int | None

    @property
    def size_after(self) -> int:
        return len(self.data)

    @property
    def compressed(self) -> bool:
        return self.dpi is not None

    def summary(self) -> str:
        """What was done, the way the history shows it: «сжато: 24,8 МБ → 3,1 МБ, 150 dpi»."""
        sizes = f"{format_size(self.size_before)} → {format_size(self.size_after)}"
        parts = []
        if self.files > 1:
            parts.append(f"объединено файлов: {self.files}")
        if self.compressed:
            parts.append(f"сжато: {sizes}, {self.dpi} dpi")
        else:
            parts.append(f"без пересжатия: {sizes}")
        return "; ".join(parts)


def _save(pdf: pikepdf.Pdf, *, fixed_id: bool = True) -> bytes:
    import pikepdf

    out = io.BytesIO()
    # Object streams and recompressed Flate shave the structure losslessly; the fixed ID
    # makes the same input give the same bytes, so the library stores it once. That ID is
    # an MD5 of the whole file, and without it the file is as long.
    pdf.save(
        out,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        deterministic_id=fixed_id,
    )
    return out.getvalue()


def _open(data: bytes, name: str) -> pikepdf.Pdf:
    import pikepdf

    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise PackInputUnreadable(
            f"PDF «{name}» защищён паролем, его нельзя объединить или сжать",
            f"pack input {mask_personal_data(name)!r} is password-protected",
            fix="Сохраните документ без пароля (печать в PDF) и добавьте снова",
            details={"name": name},
        ) from exc
    except pikepdf.PdfError as exc:
        raise _unreadable(name, "PDF повреждён", exc) from exc


def merge(inputs: Sequence[PackInput], *, final: bool = True) -> tuple[bytes, int]:
    """All inputs, in the given order, as one PDF (lossless), and its page count.

    Not ``final``: the bytes are only read back, so the file goes without its fixed ID.
    """
    import pikepdf

    if not inputs:
        raise ValueError("nothing to pack")
    out = pikepdf.Pdf.new()
    # Each source must stay open until the merged file is saved: its pages refer to it.
    sources: list[pikepdf.Pdf] = []
    try:
        for item in inputs:
            data = item.data if is_pdf(item.data) else image_to_pdf(item)
            source = _open(data, item.name)
            sources.append(source)
            out.pages.extend(source.pages)
        if len(out.pages) == 0:
            raise _unreadable(inputs[0].name, "в PDF нет страниц")
        return _save(out, fixed_id=final), len(out.pages)
    finally:
        for source in sources:
            source.close()
        out.close()


def pack(
    inputs: Sequence[PackInput],
    budget: int,
    *,
    profile: PackProfile | None = None,
    title: str | None = None,
    progress: Progress = no_progress,
) -> PackResult:
    """One PDF of ``inputs`` in their order, at most ``budget`` bytes, or PackDoesNotFit.

    Nothing is re-encoded when the merged file already fits. Otherwise page images are
    brought down the profile's ladder to the first rung that fits; text and vector
    content are kept as they are. ``progress`` hears, on this thread, of each page done.
    """
    profile = profile or PackProfile()
    size_before = sum(len(item.data) for item in inputs)
    # Files that fit together as they are are merged into the answer; larger ones are merged
    # to be compressed (an ID for 25 MB is 35 ms), unless shedding structure made them fit.
    merged, pages = merge(inputs, final=size_before <= budget)
    if len(merged) <= budget:
        if size_before > budget:
            merged, _ = merge(inputs)
        return PackResult(merged, pages, len(inputs), size_before, dpi=None, quality=None)
    with _open(merged, inputs[0].name) as pdf:
        ladder = build_ladder(pdf, profile.ladder(), progress)
    fixed = len(merged) - sum(ladder.raw_sizes.values())
    rungs = profile.ladder()
    reached = len(merged)
    for index, rung in enumerate(rungs):
        last = index == len(rungs) - 1
        # The estimate is the merged file with each image's stream swapped; only a rung
        # that looks like fitting (or the last, to report what was reached) is built.
        if fixed + ladder.image_bytes(rung) > budget and not last:
            continue
        with _open(merged, inputs[0].name) as pdf:
            apply_rung(pdf, ladder, rung)
            # The merged file's ID is no fixed one (merge(final=False)), and qpdf keeps a
            # first ID it finds: without it, both halves come from the packed file's bytes.
            del pdf.trailer["/ID"]
            data = _save(pdf)
        reached = min(reached, len(data))
        if len(data) <= budget:
            dpi = ladder.reached_dpi(rung)
            return PackResult(
                data,
                pages,
                len(inputs),
                size_before,
                dpi=dpi,
                quality=rung.quality if dpi is not None else None,
            )
    name = title or inputs[0].name
    raise PackDoesNotFit(
        f"{VALIDATION_ERROR}: «{name}» не уместить в {format_size(budget)}: даже при "
        f"{profile.dpi_floor} dpi получается {format_size(reached)}",
        f"pack of {len(inputs)} file(s), {pages} page(s) does not fit {budget} bytes at "
        f"{profile.dpi_floor} dpi: reached {reached}",
        fix="Разделите документ на части (по нескольку страниц) или уберите лишние страницы",
        details={"name": name, "budget": budget, "reached": reached, "pages": pages},
    )
