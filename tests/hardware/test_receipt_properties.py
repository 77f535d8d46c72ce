"""Property tests: any text renders to decodable ESC/POS without a '?' the input did not have."""

from __future__ import annotations

from escpos_decoder import decode
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.printer import Receipt, render_escpos, transliterate

# Bulgarian letters, punctuation a clerk types, and arbitrary Unicode besides.
bulgarian = st.text(alphabet=st.sampled_from("абвгдежзийклмнопрстуфхцчшщъьюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ „“–—€№…,.:;-()0123456789"), max_size=80)
anything = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=60, deadline=None)
@given(key=bulgarian, value=st.one_of(bulgarian, anything), code_page=st.sampled_from(["CP866", "CP1251"]))
def test_any_text_renders_and_decodes(key, value, code_page):
    data = render_escpos(Receipt().title(key).kv(key, value).text(value).cut(), code_page=code_page, paper_width_mm=58)
    decoded = decode(data)
    assert decoded.kinds()[-1] == "cut"
    if "?" not in key + value:
        assert "?" not in decoded.text
    assert max((len(line) for line in decoded.lines), default=0) <= 32


@settings(max_examples=100, deadline=None)
@given(text=bulgarian)
def test_bulgarian_letters_survive_cp866_untouched(text):
    out = transliterate(text, "cp866")
    letters = [c for c in text if c.isalpha()]
    assert [c for c in out if c.isalpha() and c not in "EURNo"] == letters
