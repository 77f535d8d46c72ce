"""Receipt → ESC/POS bytes through python-escpos, with the Cyrillic code page sent and kept explicitly."""

from __future__ import annotations

import copy
import logging
import textwrap
import unicodedata
from typing import Literal

from escpos.capabilities import get_profile
from escpos.constants import CODEPAGE_CHANGE, HW_INIT
from escpos.escpos import Escpos
from escpos.printer import Dummy

from hardware.base import ConfigError
from hardware.printer.receipt import Blank, Cut, KeyValue, QRCode, Receipt, Separator, TextLine, Title

__all__ = [
    "DEFAULT_CODE_PAGE",
    "PAPER_DOTS",
    "CodePage",
    "resolve_code_page",
    "transliterate",
    "encode_text",
    "EscposWriter",
    "render_escpos",
    "columns_for",
]

log = logging.getLogger(__name__)

DEFAULT_CODE_PAGE = "CP866"
# Printable width in dots at 203 dpi; font A is 12 dots wide.
PAPER_DOTS = {58: 384, 80: 576}
FONT_A_DOTS = 12

# ESC t numbers on Epson-compatible printers, used when the profile has no table entry.
_FALLBACK_CODE_PAGE_NUMBERS = {"CP437": 0, "CP866": 17, "CP1251": 46, "CP855": 34, "CP1252": 16}

# Characters Bulgarian text uses that a code page may lack (CP866 has no „“–—€).
# Looked up only when the code page cannot encode the character itself.
_TRANSLITERATION = {
    "„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‟": '"',
    "‚": "'", "‘": "'", "’": "'", "‛": "'", "′": "'", "″": '"',
    "–": "-", "—": "-", "‑": "-", "‒": "-", "−": "-",
    "…": "...", "€": "EUR", "№": "No", "•": "*", "·": ".",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
    "©": "(c)", "®": "(R)", "™": "TM", "×": "x", "→": "->", "←": "<-",
    "ѝ": "и", "Ѝ": "И", "ѣ": "е", "Ѣ": "Е", "ѫ": "ъ", "Ѫ": "Ъ",
}


class CodePage:
    """A printer code page: the ESC t number for this profile and the Python codec that matches it."""

    def __init__(self, name: str, number: int, codec: str) -> None:
        self.name, self.number, self.codec = name, number, codec

    @property
    def select_command(self) -> bytes:
        return CODEPAGE_CHANGE + bytes([self.number])

    def __repr__(self) -> str:
        return f"CodePage({self.name!r}, ESC t {self.number}, codec={self.codec!r})"


def resolve_code_page(profile_name: str, code_page: str = DEFAULT_CODE_PAGE) -> CodePage:
    """Find the ESC t number of `code_page` in the escpos profile's table (or ours), and its codec."""
    name = code_page.upper().replace("-", "")
    try:
        profile = get_profile(profile_name)
    except Exception as exc:  # escpos raises its own NotSupported with a terse message
        raise ConfigError(None, "hardware.printer.profile", f"unknown printer profile {profile_name!r} ({exc})") from exc
    table = profile.profile_data.get("codePages") or {}
    number = next((int(n) for n, cp in table.items() if cp.upper().replace("-", "") == name), None)
    if number is None:
        number = _FALLBACK_CODE_PAGE_NUMBERS.get(name)
    if number is None:
        raise ConfigError(
            None, "hardware.printer.code_page", f"{code_page!r} is not supported by profile {profile_name!r} "
            f"(supported: {', '.join(sorted(set(table.values()) - {'Unknown'}))})"
        )
    codec = name.lower()
    try:
        "".encode(codec)
    except LookupError as exc:
        raise ConfigError(None, "hardware.printer.code_page", f"no Python codec for {code_page!r}") from exc
    return CodePage(name, number, codec)


def transliterate(text: str, codec: str) -> str:
    """Replace each character `codec` cannot encode with a readable stand-in; never with '?'."""
    out: list[str] = []
    for ch in text:
        try:
            ch.encode(codec)
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        if ch in _TRANSLITERATION:
            out.append(_TRANSLITERATION[ch])
            continue
        # Accented Latin letters: keep the base letter.
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode(codec)
            out.append(base)
            continue
        except UnicodeEncodeError:
            pass
        # Whatever is left (emoji, CJK) is dropped rather than printed as a wrong glyph.
        log.warning("receipt: dropping character U+%04X not printable in %s", ord(ch), codec)
    return "".join(out)


def encode_text(text: str, codec: str) -> bytes:
    return transliterate(text, codec).encode(codec)


def columns_for(paper_width_mm: int) -> int:
    try:
        return PAPER_DOTS[paper_width_mm] // FONT_A_DOTS
    except KeyError:
        raise ConfigError(
            None, "hardware.printer.paper_width_mm", f"{paper_width_mm!r} (expected one of {sorted(PAPER_DOTS)})"
        ) from None


class EscposWriter:
    """Writes receipt blocks to a python-escpos printer object, keeping the code page selected.

    python-escpos 3.1 forgets the code page on `ESC @` (sent by ``hw("INIT")``), so every
    reset that goes through the printer object is followed by ``ESC t n`` again.
    """

    def __init__(
        self,
        printer: Escpos,
        *,
        code_page: CodePage,
        columns: int,
        qr_mode: Literal["native", "image"] = "native",
    ) -> None:
        self.printer = printer
        self.code_page = code_page
        self.columns = columns
        self.qr_mode = qr_mode
        send = printer._raw

        def raw_keeping_code_page(msg: bytes) -> None:
            send(msg)
            if msg == HW_INIT:
                send(code_page.select_command)

        printer._raw = raw_keeping_code_page  # type: ignore[method-assign]
        self._send = raw_keeping_code_page

    def reset(self) -> None:
        self.printer.hw("INIT")

    def _line(self, text: str) -> None:
        self._send(encode_text(text, self.code_page.codec) + b"\n")

    def _fit(self, text: str) -> str:
        # Transliterate before laying out: "€" → "EUR" changes the line's length.
        return transliterate(text, self.code_page.codec)

    def _wrapped(self, text: str, width: int) -> None:
        text = self._fit(text)
        for paragraph in text.splitlines() or [""]:
            for line in textwrap.wrap(paragraph, width) or [""]:
                self._line(line)

    def write(self, receipt: Receipt) -> None:
        p = self.printer
        cols = self.columns
        for block in receipt.blocks:
            if isinstance(block, Title):
                p.set(align="center", bold=True, double_width=True, double_height=True)
                self._wrapped(block.text, cols // 2)
                p.set(normal_textsize=True, bold=False, align="left")
            elif isinstance(block, TextLine):
                if block.large:
                    p.set(align=block.align, bold=block.bold, double_width=True, double_height=True)
                    self._wrapped(block.text, cols // 2)
                    p.set(normal_textsize=True, bold=False, align="left")
                else:
                    p.set(align=block.align, bold=block.bold)
                    self._wrapped(block.text, cols)
                    p.set(bold=False, align="left")
            elif isinstance(block, KeyValue):
                if block.bold:
                    p.set(bold=True)
                for line in kv_lines(self._fit(block.key), self._fit(block.value), cols):
                    self._line(line)
                if block.bold:
                    p.set(bold=False)
            elif isinstance(block, Separator):
                self._line((block.char or "-")[0] * cols)
            elif isinstance(block, QRCode):
                if self.qr_mode == "native":
                    p.set(align="center")
                    p.qr(block.payload, size=max(1, min(16, block.size)), native=True)
                    self._send(b"\n")
                else:
                    # Drawn here rather than with p.qr(native=False): that path prints its newlines
                    # through python-escpos's magic encoder, which switches to its own code page.
                    self._send(b"\n")
                    p.image(qr_image(block.payload, block.size), center=True)
                    self._send(b"\n")
                if block.caption:
                    p.set(align="center")
                    self._wrapped(block.caption, cols)
                p.set(align="left")
            elif isinstance(block, Blank):
                self._send(b"\n" * max(0, block.lines))
            elif isinstance(block, Cut):
                p.cut(mode="PART" if block.partial else "FULL")


def qr_image(payload: str, box_size: int):
    """The QR as a black-on-white PIL image with a one-module quiet zone."""
    import qrcode

    qr = qrcode.QRCode(box_size=max(1, min(16, box_size)), border=1)
    qr.add_data(payload)
    qr.make(fit=True)
    return qr.make_image().get_image().convert("1")


def kv_lines(key: str, value: str, columns: int) -> list[str]:
    """'Key ..... value' on one line if it fits, else the key and then the value right-aligned."""
    if len(key) + 1 + len(value) <= columns:
        return [key + " " * (columns - len(key) - len(value)) + value]
    lines = textwrap.wrap(key + ":", columns) or [""]
    for part in textwrap.wrap(value, columns) or [""]:
        lines.append(part.rjust(columns))
    return lines


def render_escpos(
    receipt: Receipt,
    *,
    profile: str = "default",
    code_page: str = DEFAULT_CODE_PAGE,
    paper_width_mm: int = 80,
    qr_mode: Literal["native", "image"] = "native",
) -> bytes:
    """The complete print job for `receipt`: reset, code page, blocks, cut."""
    cp = resolve_code_page(profile, code_page)
    dummy = Dummy(profile=profile)
    if qr_mode == "image":
        # Centering a raster QR needs the paper width, which the "default" profile lacks; the
        # profile data is a cache shared by every printer object, so change a private copy.
        dummy.profile = copy.copy(dummy.profile)
        dummy.profile.profile_data = copy.deepcopy(dummy.profile.profile_data)
        dummy.profile.profile_data.setdefault("media", {})["width"] = {
            "pixels": PAPER_DOTS.get(paper_width_mm, 576)
        }
    writer = EscposWriter(dummy, code_page=cp, columns=columns_for(paper_width_mm), qr_mode=qr_mode)
    writer.reset()
    writer.write(receipt)
    return dummy.output
