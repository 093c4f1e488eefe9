"""Pictures of the scan a proposal was read from, for the doctor to check its fields where
the terminal can't show a picture: the page with the values outlined, and one value cut out
with its neighbours (bench/README.md: why not half-block pictures in the terminal)."""

from __future__ import annotations

import io
from pathlib import Path

from frmr.model.documents.ocr.evidence import pictures
from frmr.model.documents.ocr.reader import page_image
from frmr.model.portfolio.proposals import find_proposal
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.private import make_private_dir
from frmr.model.store.account import Account
from frmr.model.store.locations import HomeLayout
from frmr.model.store.private_files import write_private


def scans_folder(account: Account) -> Path:
    """Where the pictures of scans are written: made again on demand, so in the cache."""
    return HomeLayout(account.home).cache_dir / "scans"


def write_scan(
    account: Account, ref: str, name: str | None = None, folder: Path | None = None
) -> list[Path]:
    """The page a proposal was read from with every read value outlined and, for the field
    `name` where it has a box, its value cut out with its neighbours: PNG files (0600) in
    `folder`, their paths. The doctor opens them where the terminal can't show a picture."""
    view, document = find_proposal(account, ref)
    kind = document.kind
    data = account.store.blobs.path_for(document.sha256).read_bytes()
    chosen = None
    if name is not None:
        chosen = view.field(name)
        if chosen is None:
            names = ", ".join(f.name for f in view.fields)
            raise FieldInvalid(
                f"Нет поля «{name}». Поля: {names}", f"scan: no field {name!r}", field=name
            )
    sources = [f.source for f in view.fields if f.source is not None]
    if chosen is not None and chosen.source is not None:
        sources = [chosen.source, *[s for s in sources if s is not chosen.source]]
    target = folder if folder is not None else scans_folder(account)
    make_private_dir(target)
    if sources:
        # The chosen field's source is the first: its value is the one cut out.
        cutting = chosen is not None and chosen.source is not None
        page, cut = pictures(data, kind, sources, cut=cutting)
    else:
        # Nothing says where it was read (a proposal read before places were kept, or a
        # field the document does not print): the first page as it is.
        page, cut = page_image(data, kind, 1), None
    made = [(f"скан-{view.id[:8]}-с{sources[0].page if sources else 1}.png", page)]
    # A PDF's own text has no box to cut to: its page is the picture.
    if chosen is not None and cut is not None:
        made.append((f"скан-{view.id[:8]}-{chosen.name}.png", cut))
    written = []
    for file_name, image in made:
        out = io.BytesIO()
        image.save(out, "PNG")
        write_private(target / file_name, out.getvalue())
        written.append(target / file_name)
    return written
