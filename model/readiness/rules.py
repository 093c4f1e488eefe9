"""The rule set: values and their sources, loaded from rules.json beside this module."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from frmr.model.readiness.choices import PK_HOURS_CHOICES, WINDOW_CHOICES

# The act behind the 74 + 70 reading: an explanation under the orders before 709н.
LETTER_2021 = "Письмо Минздрава России от 06.08.2021 № 16-7/И/2-12339"


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    checked: str
    verified: bool
    quote: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def cite(self) -> str:
        checked = "проверено" if self.verified else "ссылка не перепроверена"
        return f"{self.title}, {self.url} ({checked} {self.checked})"


@dataclass(frozen=True)
class Order:
    """The normative act a rule rests on, and its paragraph where one was found.

    `reported` is a paragraph number that a page cites for the rule while the act's text
    itself was not read; it is shown as such, never as a paragraph checked.
    """

    title: str
    paragraph: str | None
    verified: bool
    reported: Source | None = None
    reported_paragraph: str | None = None

    def cite(self) -> str:
        if self.paragraph:
            return f"{self.title}, {self.paragraph}"
        if self.reported is not None and self.reported_paragraph:
            return (
                f"{self.title}, {self.reported_paragraph} (номер пункта — по {self.reported.url}; "
                "текст пункта не сверен)"
            )
        return f"{self.title} (пункт не сверен)"

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "paragraph": self.paragraph,
            "verified": self.verified,
            "paragraph_reported": None
            if self.reported is None
            else {"paragraph": self.reported_paragraph, "by": self.reported.as_json()},
        }


@dataclass(frozen=True)
class Alternative:
    value: int
    text: str
    sources: tuple[Source, ...]
    unit: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    text: str
    sources: tuple[Source, ...]
    value: int | None = None
    unit: str | None = None
    alternatives: tuple[Alternative, ...] = ()
    # Set when a setting picked an alternative over the default.
    chosen: str | None = None
    order: Order | None = None

    # Cached: a finding cites its rule, and a portfolio of thousands of courses not counted
    # makes a finding each (the applications screen's readiness marks, bench/README.md TUI).
    @cached_property
    def citation(self) -> str:
        return self.cite()

    def cite(self) -> str:
        """The act, then the first source, as a reason text names them."""
        first = self.sources[0].cite() if self.sources else ""
        if self.order is None:
            return first
        return f"{self.order.cite()}; {first}" if first else self.order.cite()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "chosen": self.chosen,
            "order": None if self.order is None else self.order.as_json(),
            "sources": [s.as_json() for s in self.sources],
            "alternatives": [asdict(a) for a in self.alternatives],
        }


@dataclass(frozen=True)
class RuleSet:
    checked: str
    rules: tuple[Rule, ...]
    pk_hours_choice: int = PK_HOURS_CHOICES[0]
    window_choice: str = WINDOW_CHOICES[0]

    @cached_property
    def _by_id(self) -> dict[str, Rule]:
        by_id: dict[str, Rule] = {}
        for r in self.rules:
            by_id.setdefault(r.id, r)  # the first of an id, as a scan would find
        return by_id

    def rule(self, rule_id: str) -> Rule:
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise KeyError(rule_id) from None

    def value(self, rule_id: str) -> int:
        value = self.rule(rule_id).value
        assert value is not None, rule_id
        return value

    @property
    def hours_total(self) -> int:
        return self.value("hours_total")

    @property
    def hours_pk_min(self) -> int:
        return self.pk_hours_choice

    @property
    def validity_years(self) -> int:
        return self.value("validity")

    @property
    def window_months(self) -> int | None:
        """Months before expiry the window opens, or None when the 90-day reading is chosen."""
        return self.value("window_opens") if self.window_choice == "12m" else None

    @property
    def window_days(self) -> int | None:
        return None if self.window_choice == "12m" else 90

    @property
    def fac_days(self) -> int:
        return self.value("review_fac")

    @property
    def cac_days(self) -> int:
        return self.value("review_cac")

    @property
    def break_years(self) -> int:
        return self.value("break_years")

    def choose(self, *, pk_hours: int | None = None, window: str | None = None) -> RuleSet:
        """The same rules with the settings' choices applied where sources disagree."""
        if pk_hours is not None and pk_hours not in PK_HOURS_CHOICES:
            raise ValueError(f"pk_hours must be one of {PK_HOURS_CHOICES}")
        if window is not None and window not in WINDOW_CHOICES:
            raise ValueError(f"window must be one of {WINDOW_CHOICES}")
        pk = pk_hours if pk_hours is not None else self.pk_hours_choice
        win = window if window is not None else self.window_choice
        rules = []
        for r in self.rules:
            if r.id == "hours_pk_min" and pk != PK_HOURS_CHOICES[0]:
                # The reading chosen is what findings cite, so its own sources come first.
                alt = next((a for a in r.alternatives if a.value == pk), None)
                r = replace(
                    r,
                    value=pk,
                    chosen=f"{pk} ч (настройка readiness_pk_hours)",
                    sources=alt.sources + r.sources if alt else r.sources,
                    order=Order(LETTER_2021, None, False),
                )
            elif r.id == "window_opens" and win != WINDOW_CHOICES[0]:
                r = replace(r, value=90, unit="дн", chosen="90 дней (настройка readiness_window)")
            rules.append(r)
        return RuleSet(self.checked, tuple(rules), pk, win)

    def as_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "choices": {"pk_hours": self.pk_hours_choice, "window": self.window_choice},
            "rules": [r.as_json() for r in self.rules],
        }


def _sources(raw: list[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(
        Source(s["title"], s["url"], s["checked"], bool(s["verified"]), s.get("quote")) for s in raw
    )


def _order(raw: dict[str, Any]) -> Order:
    reported = raw.get("paragraph_reported")
    return Order(
        raw["title"],
        raw["paragraph"],
        raw["verified"],
        _sources([reported["by"]])[0] if reported else None,
        reported["paragraph"] if reported else None,
    )


def parse_rules(raw: dict[str, Any]) -> RuleSet:
    rules = tuple(
        Rule(
            id=r["id"],
            title=r["title"],
            text=r["text"],
            sources=_sources(r["sources"]),
            value=r.get("value"),
            unit=r.get("unit"),
            alternatives=tuple(
                Alternative(a["value"], a["text"], _sources(a["sources"]), a.get("unit"))
                for a in r.get("alternatives", [])
            ),
            order=_order(r["order"]) if "order" in r else None,
        )
        for r in raw["rules"]
    )
    return RuleSet(raw["checked"], rules)


@cache
def bundled_rules() -> RuleSet:
    text = Path(__file__).with_name("rules.json").read_text("utf-8")
    return parse_rules(json.loads(text))


def load_rules(pk_hours: int | None = None, window: str | None = None) -> RuleSet:
    return bundled_rules().choose(pk_hours=pk_hours, window=window)
