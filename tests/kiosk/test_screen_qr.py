"""The kiosk's on-screen QR is drawn from the shared screen settings (server_sync/protocol/qr.py)."""

from __future__ import annotations

from server_sync.protocol.qr import SCREEN_QR_BORDER, screen_qr
from server_sync.protocol.tracking import tracking_url


def test_the_receipt_screen_qr_is_the_shared_matrix_module_for_module(qapp):
    from kiosk.views.widgets import qr_pixmap

    text = tracking_url("https://obshtina.example/t/", "94-00012/05.01.2026", "AB12CD34")
    matrix = screen_qr(text).get_matrix()
    n, scale = len(matrix), 8
    assert not any(matrix[0]) and not any(row[SCREEN_QR_BORDER - 1] for row in matrix)  # the quiet zone
    image = qr_pixmap(text, n * scale).toImage()
    assert image.width() == n * scale
    drawn = [[image.pixelColor(x * scale + scale // 2, y * scale + scale // 2).lightness() < 128
              for x in range(n)] for y in range(n)]
    assert drawn == matrix
