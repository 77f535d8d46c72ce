"""A nesting counter: "while this runs, something is going on" (a quiet focus move, a
synthetic key), safe when such stretches nest."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

__all__ = ["Depth"]


class Depth:
    """`with depth():` marks a stretch; `bool(depth)` is true inside one."""

    def __init__(self) -> None:
        self.level = 0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        self.level += 1
        try:
            yield
        finally:
            self.level -= 1

    def __bool__(self) -> bool:
        return self.level > 0
