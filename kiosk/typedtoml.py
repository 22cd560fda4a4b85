"""A TOML settings file read into typed, range-checked dataclasses (pydantic), with every
mistake told in one line that names the key, the value and what is allowed.

kiosk.toml and the claim server's claims.toml both load through :func:`load`. The schema is
the dataclasses themselves: each field's type and ``Field(description=...)`` say what is
allowed, so the message a person reads and the check that runs come from the same line.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

from pydantic import Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

T = TypeVar("T")

_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def read(path: Path, error: type[Exception]) -> dict[str, Any]:
    """The table in ``path``; ``error`` with one line if it is missing, unreadable or not TOML."""
    try:
        with Path(path).open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise error(f"config file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"config file {path} is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"config file {path} cannot be read: {exc}") from None


def build(schema: type[T], data: dict[str, Any], where: str, error: type[Exception]) -> T:
    """``data`` checked against ``schema`` (a pydantic dataclass); ``error`` in one line if not."""
    adapter = _ADAPTERS.get(schema)
    if adapter is None:
        adapter = _ADAPTERS[schema] = TypeAdapter(schema)
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise error(describe(exc, schema, where)) from None


def load(path: Path, schema: type[T], error: type[Exception]) -> T:
    """Read ``path`` and check it against ``schema``."""
    return build(schema, read(path, error), str(path), error)


def whole(low: int, high: int, unit: str = "") -> Any:
    """A ``Field`` for a whole number from ``low`` to ``high``, said so in its message."""
    unit = f" {unit}" if unit else ""
    return Field(ge=low, le=high, description=f"a whole number {low} to {high}{unit}")


# -- the one line --------------------------------------------------------------------------------
def describe(exc: ValidationError, schema: type, where: str) -> str:
    """``where: key = value: allowed …``, for each problem, joined into one line."""
    return f"{where}: " + "; ".join(_problem(e, schema) for e in exc.errors())


def _problem(err: Any, schema: type) -> str:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        parent = _field_at(schema, loc[:-1])
        known = ", ".join(_fields(parent[1] if parent else schema))
        return f"unknown key {_key(loc)} (known here: {known})"
    key = _key(loc)
    if kind == "missing" or kind == "missing_argument":
        found = _field_at(schema, loc)
        allowed = found[0].description if found and found[0].description else "a value"
        return f"{key} is missing (needs {allowed})"
    if loc and loc[-1] == "[key]":
        return f"{_key(loc[:-2])} cannot have the key {_value(loc[-2])}: {_lower(err['msg'])}"
    if kind == "value_error":  # our own validators: their message says what is allowed
        if isinstance(err["input"], (list, dict)):  # a whole table: the message names the part
            return f"{key}: {err['ctx']['error']}"
        return f"{key} = {_value(err['input'])}: {err['ctx']['error']}"
    found = _field_at(schema, loc)
    allowed = found[0].description if found and found[0].description else None
    if allowed is None:
        return f"{key} = {_value(err['input'])}: {_lower(err['msg'])}"
    return f"{key} = {_value(err['input'])}: allowed is {allowed}"


def _lower(message: str) -> str:
    return message[:1].lower() + message[1:]


def _key(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _value(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _fields(cls: type) -> list[str]:
    return list(getattr(cls, "__pydantic_fields__", {}))


def _field_at(schema: type, loc: tuple[Any, ...]) -> tuple[FieldInfo, type] | None:
    """The field a location names and the class of its value (``None`` if not a field)."""
    cls: Any = schema
    found: tuple[FieldInfo, Any] | None = None
    for part in loc:
        if not isinstance(part, str):
            continue  # a list index or dict key: the element type was taken below
        info = getattr(cls, "__pydantic_fields__", {}).get(part)
        if info is None:
            return found if part == "[key]" else None
        cls = _element(info.annotation)
        found = (info, cls)
    return found


def _element(annotation: Any) -> Any:
    """``list[X]`` and ``dict[K, X]`` → ``X``; anything else unchanged."""
    origin = get_origin(annotation)
    if origin in (list, tuple, set):
        return get_args(annotation)[0]
    if origin is dict:
        return get_args(annotation)[1]
    return annotation
