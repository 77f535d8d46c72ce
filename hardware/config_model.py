"""What every section model of the terminal config shares (pydantic), and the one way a
validation failure becomes a `ConfigError` naming the file, the dotted key and the problem.

The section models live beside their owners: `hardware.config` ([hardware.*]),
`server_sync.config` ([terminal], [hub], [sync] and the whole document), `kiosk.config`
([kiosk]), `terminal_feedback.config` ([feedback]).
"""

from __future__ import annotations

import math
import typing
from typing import Any, Mapping, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from hardware.base import ConfigError

__all__ = ["Section", "KeyProblem", "between", "finite", "validate_section", "config_error"]

M = TypeVar("M", bound=BaseModel)


class Section(BaseModel):
    """A config table: unknown keys refused, values taken as written (no "5" for 5), immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class KeyProblem(ValueError):
    """Raised inside a validator to name a key below the one pydantic is checking (a model
    validator checks the whole table; the problem is one key of it)."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(problem)
        self.key, self.problem = key, problem


def between(low: float, high: float):
    """An `Annotated` check that a number lies in [low, high], said the same way everywhere."""

    def check(value: Any) -> Any:
        if value is not None and not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}, got {value!r}")
        return value

    return AfterValidator(check)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return value


#: an `Annotated` check that a float is neither nan nor infinite
finite = AfterValidator(_finite)


def _key(loc: tuple[Any, ...]) -> str:
    key = ""
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key += f".{part}" if key else str(part)
    return key


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The section model that holds the last key of `loc` (to list the keys it takes)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
        while typing.get_origin(current) is not None:  # X | None, tuple[X, ...]
            models = [a for a in typing.get_args(current) if isinstance(a, type) and issubclass(a, BaseModel)]
            current = models[0] if models else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_EXPECTED = {
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "float_type": "a number", "float_parsing": "a number", "finite_number": "a finite number",
    "string_type": "a string", "bool_type": "true or false", "bool_parsing": "true or false",
    "model_type": "a table", "dict_type": "a table", "model_attributes_type": "a table",
    "list_type": "a list", "tuple_type": "a list", "iterable_type": "a list",
}


def config_error(exc: ValidationError, model: type[BaseModel], source: str, prefix: str | None = None) -> ConfigError:
    """The first problem pydantic found, as one line: file, dotted key, what is wrong."""
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, KeyProblem):
        loc, problem = loc + tuple(cause.key.split(".")), cause.problem
    elif kind == "extra_forbidden":
        holder = _model_at(model, loc[:-1])
        known = sorted(holder.model_fields) if holder is not None else []
        problem = f"unknown key (expected one of {', '.join(known)})" if known else "unknown key"
    elif kind == "missing":
        problem = "is required"
    elif kind in _EXPECTED:
        problem = f"expected {_EXPECTED[kind]}, got {value!r}"
    elif kind == "literal_error":
        problem = f"{value!r} (expected {error['ctx']['expected']})"
    elif cause is not None:
        problem = str(cause)
    else:
        problem = error["msg"]
    return ConfigError(source, ".".join(filter(None, (prefix, _key(loc)))) or None, problem)


def validate_section(model: type[M], data: Mapping[str, Any] | None, source: str, prefix: str | None = None,
                     context: dict[str, Any] | None = None) -> M:
    """`model` validated from one table (None: all defaults); a failure is a ConfigError whose
    key starts with `prefix` (the section's place in the file, e.g. "hardware")."""
    try:
        return model.model_validate({} if data is None else data, context={"source": source, **(context or {})})
    except ValidationError as exc:
        raise config_error(exc, model, source, prefix) from None
