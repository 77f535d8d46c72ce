"""The QR codes people scan from a screen — the kiosk's receipt screen and the hub's pages — made
with one set of settings: error correction M (a scuffed screen or a glare still reads) and a
two-module quiet zone. The printer draws its paper QR from the same payload with a one-module
zone (`hardware.printer.escpos_render.qr_image`; the paper's white margin is the rest), since
`hardware` imports nothing from here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SCREEN_QR_BORDER", "screen_qr"]

SCREEN_QR_BORDER = 2


def screen_qr(text: str, **options: Any):
    """A `qrcode.QRCode` holding `text`, made (fit) with the screens' settings; `options` are
    qrcode's drawing options (box_size, image_factory)."""
    import qrcode

    qr = qrcode.QRCode(border=SCREEN_QR_BORDER, error_correction=qrcode.constants.ERROR_CORRECT_M, **options)
    qr.add_data(text)
    qr.make(fit=True)
    return qr
