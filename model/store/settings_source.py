"""Reading a settings dataclass's fields from overrides, the environment and a TOML table.

Each field is read by its annotation: str, Path, int, float, bool, a Literal, dict[str,
str], or one of these or None. A value from the environment is text and is parsed (a
dict as JSON, a bool as true/false, yes/no, on/off or 1/0); a value from the TOML file or
an override must already have the type. Checks a type can't say ride on the field's
metadata (`one_of`, `bounds`). What can't be read is returned by name, with the reason,
for the caller to report in one message.
"""

import os
import types
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})
# A field with this metadata is not a setting (Settings.explicit).
NOT_READ = "not_read"


def one_of(choices: tuple[object, ...]) -> dict[str, object]:
    return {"one_of": choices}


def bounds(
    *, ge: float | None = None, gt: float | None = None, le: float | None = None
) -> dict[str, object]:
    """Limits on a number, named as pydantic names them: ≥ ge, > gt, ≤ le."""
    return {"bounds": (ge, gt, le)}


def not_read() -> dict[str, object]:
    return {NOT_READ: True}


def _parse(kind: Any, value: object, text: bool) -> object:
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if value is None and len(inner) < len(args):
            return None
        if len(inner) != 1:
            raise TypeError(f"unsupported setting type {kind}")
        return _parse(inner[0], value, text)
    if origin is Literal:
        if value in args:
            return value
        raise ValueError(f"one of {', '.join(map(str, args))}")
    if origin is dict:
        if text and isinstance(value, str):
            # Here, not at the top: only a dict from the environment needs it, and json is
            # not otherwise imported before the TUI's first rows (bench/README.md, issue 26).
            import json

            value = json.loads(value)
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return dict(value)
        raise ValueError("a table of strings")
    if kind is bool:
        if isinstance(value, bool):
            return value
        if text and isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError("true or false")
    if kind is int or kind is float:
        if isinstance(value, bool):
            raise ValueError("a number")
        if isinstance(value, int) or (kind is float and isinstance(value, float)):
            return kind(value)
        if text and isinstance(value, str):
            return kind(value.strip())
        raise ValueError("a whole number" if kind is int else "a number")
    if kind is str:
        if isinstance(value, str):
            return value
        raise ValueError("a string")
    if kind is Path:
        if isinstance(value, str | Path):
            return Path(value)
        raise ValueError("a path")
    raise TypeError(f"unsupported setting type {kind}")


def _check(metadata: Mapping[str, Any], value: object) -> None:
    choices = metadata.get("one_of")
    if choices is not None and value is not None and value not in choices:
        raise ValueError(f"one of {', '.join(map(str, choices))}")
    limits = metadata.get("bounds")
    if limits is None or not isinstance(value, int | float):
        return
    ge, gt, le = limits
    if ge is not None and value < ge:
        raise ValueError(f"at least {ge}")
    if gt is not None and value <= gt:
        raise ValueError(f"more than {gt}")
    if le is not None and value > le:
        raise ValueError(f"at most {le}")


def read_fields(
    cls: type,
    prefix: str,
    table: Mapping[str, object],
    overrides: Mapping[str, object],
) -> tuple[dict[str, object], dict[str, str]]:
    """(the values given for `cls`'s fields, the reasons some could not be read). A field
    not given is left out, for the dataclass's default."""
    # Variable names are matched without regard to case, as the shell's users expect.
    environ = {
        key.upper(): value for key, value in os.environ.items() if key.upper().startswith(prefix)
    }
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for spec in fields(cls):
        if spec.metadata.get(NOT_READ):
            continue
        name = spec.name
        variable = prefix + name.upper()
        if name in overrides:
            raw, text = overrides[name], False
        elif variable in environ:
            raw, text = environ[variable], True
        elif name in table:
            raw, text = table[name], False
        else:
            continue
        try:
            value = _parse(spec.type, raw, text)
            _check(spec.metadata, value)
        except ValueError as exc:
            problems[name] = f"{raw!r}: {exc}"
            continue
        values[name] = value
    return values, problems
