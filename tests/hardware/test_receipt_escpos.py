"""Receipts rendered to ESC/POS are decoded back: Cyrillic intact, code page kept over resets, QR and cut present."""

from __future__ import annotations

import io

import pytest
from escpos.printer import Dummy
from escpos_decoder import decode
from PIL import Image

from hardware.base import ConfigError
from hardware.printer import (
    EscposWriter,
    Receipt,
    render_escpos,
    render_png,
    resolve_code_page,
    sample_receipt,
    transliterate,
)
from hardware.printer.escpos_render import kv_lines

TRACKING_URL = "https://obshtina.example.bg/t/94-00-1234?code=7KQ-2M9"


def test_sample_receipt_decodes_with_bulgarian_text_qr_and_cut():
    decoded = decode(render_escpos(sample_receipt()))
    kinds = decoded.kinds()
    assert kinds[:2] == ["reset", "codepage"], "the job must start clean and select its code page at once"
    assert decoded.events[1] == ("codepage", 17)  # CP866 in the Epson table
    text = decoded.text
    assert "Удостоверение за наследници" in text
    assert any(line.startswith("Входящ номер") and line.endswith("94-00-1234") for line in decoded.lines)
    assert "Община Пример" in text and "Проследете заявлението си" in text
    assert decoded.of("qr") == [("qr", TRACKING_URL)]
    assert kinds[-1] == "cut"
    assert kinds.index("qr") < kinds.index("cut")
    assert "?" not in text.replace(TRACKING_URL, "")


def test_cp866_transliterates_what_it_lacks_and_never_prints_a_question_mark():
    receipt = Receipt().text("„Удостоверение за наследници“ – такса 5 € … — № 3")
    decoded = decode(render_escpos(receipt, code_page="CP866", paper_width_mm=80))
    text = decoded.text
    assert "?" not in text
    assert '"Удостоверение за наследници"' in text
    assert "EUR" in text and "..." in text and " - " in text
    assert "№ 3" in text  # CP866 has № at 0xFC, so it stays


def test_cp1251_keeps_typographic_quotes_and_uses_the_profiles_number():
    decoded = decode(render_escpos(sample_receipt(), code_page="CP1251", profile="TM-T20II"))
    assert decoded.events[1] == ("codepage", 46)
    assert "„Удостоверение за наследници“" in decoded.text
    assert "5,00 € (9,78 лв.)" in decoded.text


@pytest.mark.parametrize(
    "text, codec, expected",
    [
        ("„Входящ номер“", "cp866", '"Входящ номер"'),
        ("10 €", "cp866", "10 EUR"),
        ("от – до", "cp866", "от - до"),
        ("Срок — 7 дни", "cp866", "Срок - 7 дни"),
        ("№ 5", "cp437", "No 5"),
        ("Čelákovice", "cp866", "Celakovice"),
        ("Община 🏛 Пример", "cp866", "Община  Пример"),
        ("„Входящ номер“", "cp1251", "„Входящ номер“"),
    ],
)
def test_transliteration_table(text, codec, expected):
    assert transliterate(text, codec) == expected


def test_code_page_is_sent_again_after_a_reset_mid_document():
    cp = resolve_code_page("default", "CP866")
    dummy = Dummy()
    writer = EscposWriter(dummy, code_page=cp, columns=32)
    writer.reset()
    writer.write(Receipt().text("Първа част"))
    dummy.hw("INIT")  # python-escpos's own reset, as a caller or a library path would send it
    writer.write(Receipt().kv("Входящ номер", "94-00-1").cut())
    decoded = decode(dummy.output)
    kinds = decoded.kinds()
    resets = [i for i, k in enumerate(kinds) if k == "reset"]
    assert len(resets) == 2
    assert all(kinds[i + 1] == "codepage" for i in resets)
    assert "Първа част" in decoded.lines
    assert any(line.startswith("Входящ номер") for line in decoded.lines)
    # Every text line after the second reset decoded in CP866, not the printer's power-on page.
    assert all(e[2] == 17 for e in decoded.events[resets[1]:] if e[0] == "text")


def test_decoder_would_catch_a_lost_code_page():
    """The check above can fail: text after a bare ESC @ decodes as mojibake."""
    cp = resolve_code_page("default", "CP866")
    data = b"\x1b@" + cp.select_command + "Входящ".encode("cp866") + b"\n\x1b@" + "Входящ".encode("cp866") + b"\n"
    first, second = decode(data).lines
    assert first == "Входящ"
    assert second != "Входящ" and second == "Входящ".encode("cp866").decode("cp437")


def test_raster_qr_mode_sends_an_image_and_keeps_the_code_page():
    decoded = decode(render_escpos(sample_receipt(), qr_mode="image", paper_width_mm=58))
    assert decoded.of("qr") == []
    [(_, width, height)] = decoded.of("image")
    assert width == 384 and height > 50
    assert [e for e in decoded.of("codepage")] == [("codepage", 17)]
    assert "Проследете заявлението си" in decoded.text


@pytest.mark.parametrize("width_mm, columns", [(58, 32), (80, 48)])
def test_lines_fit_the_paper(width_mm, columns):
    decoded = decode(render_escpos(sample_receipt(), paper_width_mm=width_mm))
    assert max(len(line) for line in decoded.lines) <= columns
    assert any(len(line) == columns for line in decoded.lines)  # separators span the paper


def test_key_value_rows_wrap_when_too_long():
    assert kv_lines("Дата", "22.11.2026", 20) == ["Дата      22.11.2026"]
    lines = kv_lines("Код за проследяване", "7KQ-2M9-XYZ", 20)
    assert lines == ["Код за проследяване:", "         7KQ-2M9-XYZ"]


def test_unknown_code_page_and_profile_name_the_key():
    with pytest.raises(ConfigError, match=r"hardware\.printer\.code_page: 'KOI8-X'"):
        resolve_code_page("default", "KOI8-X")
    with pytest.raises(ConfigError, match=r"hardware\.printer\.profile"):
        resolve_code_page("NO-SUCH-PRINTER", "CP866")


@pytest.mark.parametrize("width_mm, dots", [(58, 384), (80, 576)])
def test_png_preview_has_the_printer_width(width_mm, dots):
    png = render_png(sample_receipt(), paper_width_mm=width_mm)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.width == dots
    assert image.height > 400  # title, rows and a QR code
    # Something was drawn: a real preview has plenty of black pixels.
    histogram = image.convert("L").histogram()
    assert sum(histogram[:64]) > 2000


def test_plain_text_for_speaking_the_receipt():
    text = sample_receipt().plain_text()
    assert "Входящ номер: 94-00-1234" in text
    assert "Код за проследяване: 7KQ-2M9" in text
