"""A receipt as a structured document: blocks that render to ESC/POS bytes and to a PNG preview."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Align",
    "Title",
    "TextLine",
    "KeyValue",
    "Separator",
    "QRCode",
    "Blank",
    "Cut",
    "Block",
    "Receipt",
]

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Title:
    """A large bold centred heading (the municipality, the kind of document)."""

    text: str


@dataclass(frozen=True)
class TextLine:
    """Running text, wrapped to the paper width."""

    text: str
    bold: bool = False
    large: bool = False
    align: Align = "left"


@dataclass(frozen=True)
class KeyValue:
    """A "label ... value" row; the value is right-aligned, wrapped below the label when long."""

    key: str
    value: str
    bold: bool = False


@dataclass(frozen=True)
class Separator:
    char: str = "-"


@dataclass(frozen=True)
class QRCode:
    """A QR code carrying `payload` (the tracking URL); `size` is the module size in dots."""

    payload: str
    size: int = 6
    caption: str | None = None


@dataclass(frozen=True)
class Blank:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    partial: bool = False


Block = Title | TextLine | KeyValue | Separator | QRCode | Blank | Cut


@dataclass
class Receipt:
    """An ordered list of blocks with chainable builders:

    >>> Receipt().title("Община Пример").kv("Входящ номер", "94-00-123").qr("https://x/t/1").cut()
    """

    blocks: list[Block] = field(default_factory=list)

    def add(self, block: Block) -> "Receipt":
        self.blocks.append(block)
        return self

    def title(self, text: str) -> "Receipt":
        return self.add(Title(text))

    def text(self, text: str, *, bold: bool = False, large: bool = False, align: Align = "left") -> "Receipt":
        return self.add(TextLine(text, bold=bold, large=large, align=align))

    def bold(self, text: str, *, align: Align = "left") -> "Receipt":
        return self.add(TextLine(text, bold=True, align=align))

    def large(self, text: str, *, align: Align = "center") -> "Receipt":
        return self.add(TextLine(text, bold=True, large=True, align=align))

    def kv(self, key: str, value: str, *, bold: bool = False) -> "Receipt":
        return self.add(KeyValue(key, value, bold=bold))

    def separator(self, char: str = "-") -> "Receipt":
        return self.add(Separator(char))

    def qr(self, payload: str, *, size: int = 6, caption: str | None = None) -> "Receipt":
        return self.add(QRCode(payload, size=size, caption=caption))

    def blank(self, lines: int = 1) -> "Receipt":
        return self.add(Blank(lines))

    def cut(self, *, partial: bool = False) -> "Receipt":
        return self.add(Cut(partial))

    def plain_text(self) -> str:
        """The receipt's words in reading order, e.g. for speaking it aloud (ACCESSIBILITY 5.1.3.16)."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, (Title, TextLine)):
                parts.append(block.text)
            elif isinstance(block, KeyValue):
                parts.append(f"{block.key}: {block.value}")
            elif isinstance(block, QRCode) and block.caption:
                parts.append(block.caption)
        return "\n".join(parts)


def sample_receipt() -> Receipt:
    """The receipt the technician tools and the demo print: Cyrillic text, typographic quotes, a QR."""
    return (
        Receipt()
        .title("Община Пример")
        .text("е-Община · терминал К07", align="center")
        .separator()
        .bold("„Удостоверение за наследници“")
        .kv("Входящ номер", "94-00-1234")
        .kv("Дата", "22.11.2026 10:15")
        .kv("Такса", "5,00 € (9,78 лв.)")
        .kv("Срок", "7 работни дни – до 01.12.2026")
        .kv("Код за проследяване", "7KQ-2M9")
        .separator()
        .qr("https://obshtina.example.bg/t/94-00-1234?code=7KQ-2M9", caption="Проследете заявлението си")
        .text("Благодарим Ви! № на гише: 3", align="center")
        .blank()
        .cut()
    )
