"""A small ESC/POS decoder for tests: follows code page switches and resets, and reads text, QR data and cuts."""

from __future__ import annotations

from dataclasses import dataclass, field

# ESC t n → Python codec (Epson numbering); deliberately independent of the code under test.
CODE_PAGES = {0: "cp437", 17: "cp866", 46: "cp1251", 16: "cp1252", 34: "cp855"}
POWER_ON_CODE_PAGE = 0

# ESC/GS commands with a fixed number of argument bytes that the decoder skips.
_ESC_ARGS = {b"!": 1, b"E": 1, b"a": 1, b"-": 1, b"M": 1, b"G": 1, b"V": 1, b"{": 1, b"d": 1, b"J": 1,
             b"3": 1, b"2": 0, b"c": 2, b"p": 3, b"=": 1, b"r": 1, b"R": 1, b"\x1d": 0}
_GS_ARGS = {b"!": 1, b"B": 1, b"h": 1, b"w": 1, b"H": 1, b"f": 1, b"b": 1, b"L": 2, b"W": 2, b"k": None}


class EscposDecodeError(ValueError):
    pass


@dataclass
class Decoded:
    events: list[tuple] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [e[1] for e in self.events if e[0] == "text"]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def kinds(self) -> list[str]:
        return [e[0] for e in self.events]

    def of(self, kind: str) -> list[tuple]:
        return [e for e in self.events if e[0] == kind]


def decode(data: bytes) -> Decoded:
    out = Decoded()
    code_page = POWER_ON_CODE_PAGE
    line = bytearray()
    qr_data: bytes | None = None
    i = 0

    def flush_line() -> None:
        if line:
            out.events.append(("text", line.decode(CODE_PAGES[code_page]), code_page))
            line.clear()

    while i < len(data):
        b = data[i]
        if b == 0x0A:
            out.events.append(("text", line.decode(CODE_PAGES[code_page]), code_page))
            line.clear()
            i += 1
        elif b == 0x1B:
            flush_line()
            cmd = data[i + 1 : i + 2]
            if cmd == b"@":
                code_page = POWER_ON_CODE_PAGE
                out.events.append(("reset",))
                i += 2
            elif cmd == b"t":
                n = data[i + 2]
                if n not in CODE_PAGES:
                    raise EscposDecodeError(f"unknown code page ESC t {n}")
                code_page = n
                out.events.append(("codepage", n))
                i += 3
            elif cmd in _ESC_ARGS:
                i += 2 + _ESC_ARGS[cmd]
            else:
                raise EscposDecodeError(f"unknown command ESC {cmd!r} at {i}")
        elif b == 0x1D:
            flush_line()
            cmd = data[i + 1 : i + 2]
            if cmd == b"(":
                fn_group = data[i + 2 : i + 3]
                length = data[i + 3] | data[i + 4] << 8
                body = data[i + 5 : i + 5 + length]
                if fn_group == b"k" and body[:1] == b"1":  # cn 49: QR code
                    fn = body[1]
                    if fn == 80:  # store data: cn fn m data
                        qr_data = body[3:]
                    elif fn == 81:  # print the stored symbol
                        out.events.append(("qr", (qr_data or b"").decode("utf-8")))
                elif fn_group == b"L":
                    out.events.append(("graphics",))
                i += 5 + length
            elif cmd == b"v":  # GS v 0 m xL xH yL yH raster
                x = data[i + 4] | data[i + 5] << 8
                y = data[i + 6] | data[i + 7] << 8
                out.events.append(("image", x * 8, y))
                i += 8 + x * y
            elif cmd == b"V":
                m = data[i + 2]
                out.events.append(("cut", "partial" if m in (1, 49, 66) else "full"))
                i += 4 if m in (65, 66) else 3
            elif cmd in _GS_ARGS and _GS_ARGS[cmd] is not None:
                i += 2 + _GS_ARGS[cmd]
            else:
                raise EscposDecodeError(f"unknown command GS {cmd!r} at {i}")
        elif b == 0x10 and data[i + 1 : i + 2] == b"\x04":
            out.events.append(("status-query", data[i + 2]))
            i += 3
        elif b < 0x20:
            i += 1
        else:
            line.append(b)
            i += 1
    flush_line()
    return out
