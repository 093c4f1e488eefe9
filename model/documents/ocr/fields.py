"""Which training document a text is, and its fields, by the rules in rules.json.

Each field comes with a confidence from 0 to 1: the least confidence Tesseract gave a word
of the value (1 for a PDF's own text), lowered for a weaker pattern, for a value outside
its range and for a period that ends before it begins. The doctor sees it beside each
field: it tells where to look first, not that a value is right.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from frmr.model.documents.ocr.reader import PageText, ReadText

MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ),
        start=1,
    )
}
# A later pattern is a looser reading: each step down costs this share of the confidence.
WEAKER_PATTERN = 0.75
OUT_OF_RANGE = 0.3
INCONSISTENT = 0.5
# The text kept around a value as its evidence: this many characters either side of it,
# within its own lines (a programme's name may wrap over several).
CONTEXT = 60


@dataclass(frozen=True)
class Source:
    """Where on the document a value was read: its page (from 1), the text of the line or
    lines holding it (line breaks as spaces) with the value at line[start:end], and its box
    on the upright page as shares (0–1) of the page's width and height: left, top, right,
    bottom. A PDF's own text has no box here; the page is then shown whole."""

    page: int
    line: str
    start: int
    end: int
    box: tuple[float, float, float, float] | None = None
    # How the scan was set upright for the reading (reader.upright), so the box can be
    # found on the page again.
    turned: int = 0
    skew: float = 0.0

    def excerpt(self, around: int = 30) -> tuple[str, str, str]:
        """The text before the value, the value and the text after it, each side cut to
        `around` characters (an ellipsis says where): what fits beside a field at 80
        columns."""
        before = self.line[: self.start]
        after = self.line[self.end :]
        if len(before) > around:
            before = "…" + before[len(before) - around + 1 :]
        if len(after) > around:
            after = after[: around - 1] + "…"
        return before, self.line[self.start : self.end], after

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "line": self.line,
            "value_at": [self.start, self.end],
            "box": list(self.box) if self.box is not None else None,
            "turned": self.turned,
            "skew": self.skew,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Source | None:
        if not data:
            return None
        start, end = data["value_at"]
        box = data.get("box")
        return cls(
            int(data["page"]),
            str(data["line"]),
            int(start),
            int(end),
            (box[0], box[1], box[2], box[3]) if box else None,
            int(data.get("turned", 0)),
            float(data.get("skew", 0.0)),
        )


@dataclass(frozen=True)
class FieldRule:
    name: str
    label: str
    type: str
    patterns: tuple[re.Pattern[str], ...]
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class DocumentRule:
    kind: str
    label: str
    course_kind: str
    signature: tuple[re.Pattern[str], ...]
    kinds: tuple[tuple[re.Pattern[str], str], ...]
    fields: tuple[FieldRule, ...]
    # Course column → field name: how a confirmed proposal becomes a course.
    course: dict[str, str]


@dataclass(frozen=True)
class FieldReading:
    name: str
    label: str
    value: str | None
    confidence: float
    raw: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class Recognition:
    kind: str
    label: str
    course_kind: str
    fields: dict[str, FieldReading]

    def value(self, name: str) -> str | None:
        reading = self.fields.get(name)
        return reading.value if reading is not None else None


def _compile(pattern: str, macros: dict[str, str]) -> re.Pattern[str]:
    for name, body in macros.items():
        pattern = pattern.replace("{" + name + "}", body)
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


def parse_rules(data: dict[str, Any]) -> tuple[DocumentRule, ...]:
    macros = data.get("macros", {})
    rules = []
    for kind, spec in data["documents"].items():
        fields = tuple(
            FieldRule(
                name,
                f["label"],
                f["type"],
                tuple(_compile(p, macros) for p in f["patterns"]),
                *(f.get("range") or (None, None)),
            )
            for name, f in spec["fields"].items()
        )
        rules.append(
            DocumentRule(
                kind,
                spec["label"],
                spec["course_kind"],
                tuple(_compile(p, macros) for p in spec["signature"]),
                tuple(
                    (_compile(k["pattern"], macros), k["course_kind"])
                    for k in spec.get("kinds", [])
                ),
                fields,
                dict(spec["course"]),
            )
        )
    return tuple(rules)


@cache
def default_rules() -> tuple[DocumentRule, ...]:
    text = files("frmr.model.documents.ocr").joinpath("rules.json").read_text(encoding="utf-8")
    return parse_rules(json.loads(text))


def rule_for(kind: str) -> DocumentRule:
    for rule in default_rules():
        if rule.kind == kind:
            return rule
    raise KeyError(kind)


def parse_date(text: str) -> date | None:
    """«03» февраля 2025 г. or 03.02.2025 (as OCR reads them: stray quotes, spaces)."""
    cleaned = text.casefold().replace("ё", "е")
    words = re.search(r"(\d{1,2})\D{0,3}?\s*([а-я]+)\s+(\d{4})", cleaned)
    try:
        if words and words.group(2) in MONTHS:
            return date(int(words.group(3)), MONTHS[words.group(2)], int(words.group(1)))
        digits = re.search(r"(\d{1,2})\s*[.,/]\s*(\d{1,2})\s*[.,/]\s*(\d{4})", cleaned)
        if digits:
            return date(int(digits.group(3)), int(digits.group(2)), int(digits.group(1)))
    except ValueError:
        return None
    return None


def _normalise(rule: FieldRule, raw: str) -> tuple[str | None, float]:
    """The value as stored (ISO date, a number, text on one line) and a factor for its
    confidence when it is out of range."""
    if rule.type == "date":
        parsed = parse_date(raw)
        return (parsed.isoformat(), 1.0) if parsed else (None, 0.0)
    if rule.type == "int":
        number = int(re.sub(r"\D", "", raw) or "0")
        inside = (rule.low is None or number >= rule.low) and (
            rule.high is None or number <= rule.high
        )
        return str(number), 1.0 if inside else OUT_OF_RANGE
    if rule.type == "token":
        return re.sub(r"\s+", "", raw).strip(".,;:"), 1.0
    text = " ".join(raw.split()).strip(" .,;:")
    # Quotes are the value's own unless one is left unpaired by the pattern's cut.
    if text.startswith("«") and text.count("«") > text.count("»"):
        text = text[1:]
    if text.endswith("»") and text.count("»") > text.count("«"):
        text = text[:-1]
    return (text.strip() or None), 1.0


class _Text:
    """The pages' text joined, «ё» read as «е», with each page's offset for confidences."""

    def __init__(self, read: ReadText) -> None:
        self.read = read
        self.starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for page in read.pages:
            self.starts.append(offset)
            parts.append(page.text.replace("ё", "е").replace("Ё", "Е"))
            offset += len(page.text) + 1
            parts.append("\n")
        self.text = "".join(parts)

    def confidence(self, start: int, end: int) -> float:
        for index in range(len(self.starts) - 1, -1, -1):
            if start >= self.starts[index]:
                base = self.starts[index]
                return self.read.pages[index].confidence(start - base, end - base)
        return 0.0

    def source(self, start: int, end: int) -> Source | None:
        """The page, lines and box of text[start:end]."""
        for index in range(len(self.starts) - 1, -1, -1):
            if start >= self.starts[index]:
                base = self.starts[index]
                return _source(self.read.pages[index], index + 1, start - base, end - base)
        return None


def _source(page: PageText, number: int, start: int, end: int) -> Source:
    text = page.text
    first = max(text.rfind("\n", 0, start) + 1, start - CONTEXT)
    last = text.find("\n", end)
    last = min(len(text) if last < 0 else last, end + CONTEXT)
    # The value itself may span lines (a wrapped programme): shown as one line.
    line = text[first:last].replace("\n", " ")
    boxes = [w.box for w in page.words if w.box is not None and w.end > start and w.start < end]
    box: tuple[float, float, float, float] | None = None
    width, height = page.size
    if boxes and width and height:
        box = (
            round(min(b[0] for b in boxes) / width, 4),
            round(min(b[1] for b in boxes) / height, 4),
            round(max(b[2] for b in boxes) / width, 4),
            round(max(b[3] for b in boxes) / height, 4),
        )
    return Source(number, line, start - first, end - first, box, page.turned, page.skew)


def _field(rule: FieldRule, text: _Text) -> FieldReading:
    for rank, pattern in enumerate(rule.patterns):
        match = pattern.search(text.text)
        if match is None:
            continue
        raw = match.group(1)
        value, factor = _normalise(rule, raw)
        if value is None:
            continue
        confidence = text.confidence(match.start(1), match.end(1))
        confidence *= factor * WEAKER_PATTERN**rank
        return FieldReading(
            rule.name,
            rule.label,
            value,
            round(confidence, 2),
            raw.strip(),
            text.source(match.start(1), match.end(1)),
        )
    return FieldReading(rule.name, rule.label, None, 0.0)


def _consistent(fields: dict[str, FieldReading], first: str, last: str) -> None:
    """A period that ends before it begins has one of its dates misread."""
    a, b = fields.get(first), fields.get(last)
    if a is None or b is None or a.value is None or b.value is None:
        return
    if a.value > b.value:
        for name, reading in ((first, a), (last, b)):
            fields[name] = FieldReading(
                reading.name,
                reading.label,
                reading.value,
                round(reading.confidence * INCONSISTENT, 2),
                reading.raw,
                reading.source,
            )


def recognise(read: ReadText, rules: tuple[DocumentRule, ...] | None = None) -> Recognition | None:
    """The document's kind and fields, or None when its text is not one the rules know."""
    text = _Text(read)
    best: Recognition | None = None
    best_found = -1
    for rule in rules if rules is not None else default_rules():
        if not all(p.search(text.text) for p in rule.signature):
            continue
        fields = {f.name: _field(f, text) for f in rule.fields}
        _consistent(fields, "date_from", "date_to")
        course_kind = next((k for p, k in rule.kinds if p.search(text.text)), rule.course_kind)
        found = sum(1 for f in fields.values() if f.value is not None)
        if found > best_found:
            best, best_found = Recognition(rule.kind, rule.label, course_kind, fields), found
    return best
