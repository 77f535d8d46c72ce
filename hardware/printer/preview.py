"""Receipt → PNG preview at the printer's real width (384 or 576 dots), for screens and technicians."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from hardware.printer.escpos_render import PAPER_DOTS, columns_for, qr_image
from hardware.printer.receipt import Blank, Cut, KeyValue, QRCode, Receipt, Separator, TextLine, Title

__all__ = ["render_png", "render_image", "FONT_DIR"]

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
_MARGIN = 8
# DejaVu Sans Mono advances 0.6 em: 19 px gives the printer's 12-dot font A columns.
_NORMAL_PX = 19
_LARGE_PX = 38


@lru_cache(maxsize=8)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    try:
        return ImageFont.truetype(f"{FONT_DIR}/{name}", size)
    except OSError:  # fonts-dejavu-core missing: a readable, if plain, preview beats none
        return ImageFont.load_default(size)


def render_image(receipt: Receipt, *, paper_width_mm: int = 80) -> Image.Image:
    width = PAPER_DOTS[paper_width_mm]
    cols = columns_for(paper_width_mm)
    # Draw onto a generous canvas, then crop to what was used.
    canvas = Image.new("L", (width, 20000), 255)
    draw = ImageDraw.Draw(canvas)
    y = _MARGIN
    inner = width - 2 * _MARGIN

    def line(text: str, *, size: int = _NORMAL_PX, bold: bool = False, align: str = "left") -> None:
        nonlocal y
        font = _font(size, bold)
        text_width = draw.textlength(text, font=font)
        x = {"left": _MARGIN, "center": (width - text_width) / 2, "right": width - _MARGIN - text_width}[align]
        draw.text((max(_MARGIN, x), y), text, fill=0, font=font)
        y += int(size * 1.3)

    def wrapped(text: str, width_chars: int, **kw) -> None:
        for paragraph in text.splitlines() or [""]:
            for part in textwrap.wrap(paragraph, width_chars) or [""]:
                line(part, **kw)

    for block in receipt.blocks:
        if isinstance(block, Title):
            wrapped(block.text, cols // 2, size=_LARGE_PX, bold=True, align="center")
        elif isinstance(block, TextLine):
            if block.large:
                wrapped(block.text, cols // 2, size=_LARGE_PX, bold=True, align=block.align)
            else:
                wrapped(block.text, cols, bold=block.bold, align=block.align)
        elif isinstance(block, KeyValue):
            font = _font(_NORMAL_PX, block.bold)
            if draw.textlength(f"{block.key} {block.value}", font=font) <= inner:
                draw.text((_MARGIN, y), block.key, fill=0, font=font)
                draw.text((width - _MARGIN - draw.textlength(block.value, font=font), y), block.value, fill=0, font=font)
                y += int(_NORMAL_PX * 1.3)
            else:
                wrapped(block.key + ":", cols, bold=block.bold)
                wrapped(block.value, cols, bold=block.bold, align="right")
        elif isinstance(block, Separator):
            y += _NORMAL_PX // 2
            draw.line((_MARGIN, y, width - _MARGIN, y), fill=0, width=2)
            y += _NORMAL_PX // 2
        elif isinstance(block, QRCode):
            img = qr_image(block.payload, block.size).convert("L")  # the printer's own QR settings
            if img.width > inner:
                img = img.resize((inner, inner), Image.NEAREST)
            canvas.paste(img, ((width - img.width) // 2, y))
            y += img.height + 4
            if block.caption:
                wrapped(block.caption, cols, align="center")
        elif isinstance(block, Blank):
            y += int(_NORMAL_PX * 1.3) * block.lines
        elif isinstance(block, Cut):
            y += _NORMAL_PX
            for x in range(0, width, 12):  # a dashed tear line marks the cut
                draw.line((x, y, x + 6, y), fill=0)
            y += 4
    return canvas.crop((0, 0, width, min(y + _MARGIN, canvas.height)))


def render_png(receipt: Receipt, *, paper_width_mm: int = 80) -> bytes:
    buffer = io.BytesIO()
    render_image(receipt, paper_width_mm=paper_width_mm).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
