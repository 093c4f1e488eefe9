"""Beside a proposed field, the scan it was read from: the page and the words around the
value, the value marked. Text, because a picture in half blocks at 80 columns leaves a date
unreadable (bench/README.md, «Скан рядом с полями»); the picture itself is a key away."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from frmr.model.rules.text import printable

if TYPE_CHECKING:
    from frmr.model.portfolio.proposal_view import ProposedField

# Words kept either side of the value: two rows of a dialog at 80 columns.
AROUND = 40


def evidence_text(field: ProposedField, *, not_printed: str, from_portfolio: str) -> Text:
    """What the scan says where `field` was read, for the doctor to compare with the value.
    `not_printed` names the field no document prints (the specialty); `from_portfolio` is
    the reading of a value taken from the portfolio instead."""
    text = Text()
    if field.name == not_printed:
        text.append(f"«{field.label}» не печатается в документе: ")
        if field.raw == from_portfolio and not field.corrected:
            text.append("взята из портфолио, проверьте.")
        else:
            text.append("укажите, к какой специальности относится курс.")
        return text
    if field.source is None:
        if field.value is None:
            text.append(f"«{field.label}» на скане не найдено: введите по документу.")
        elif field.corrected:
            text.append(f"«{field.label}» вписано вами; где на скане — не записано.")
        else:
            # Read before the reading kept where: the value is the scan's, its place unknown.
            text.append(f"«{field.label}»: где на скане прочитано, не записано — ^g, страница.")
        return text
    source = field.source
    # Tesseract's reading of the line, not the picture: said so, the picture is ^g away.
    where = "Текст PDF" if source.box is None else "Распознано"
    text.append(f"{where}, стр. {source.page}, «{field.label}»: ", style="dim")
    before, value, after = source.excerpt(AROUND)
    text.append(printable(before))
    # Reverse video survives a 16-colour terminal and a monochrome one.
    text.append(printable(value), style="reverse bold")
    text.append(printable(after))
    return text


class ScanEvidence(Static):
    DEFAULT_CSS = """
    ScanEvidence {
        height: auto;
        max-height: 4;
        border-top: solid $primary;
        padding: 0 0;
    }
    """

    def show(self, field: ProposedField | None, *, not_printed: str, from_portfolio: str) -> None:
        if field is None:
            self.update(Text("Вид курса задан по виду документа: проверьте его.", style="dim"))
            return
        self.update(evidence_text(field, not_printed=not_printed, from_portfolio=from_portfolio))
