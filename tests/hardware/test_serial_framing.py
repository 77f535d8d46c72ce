"""Line framing of reader byte streams and assembly of MRZ lines into documents, on a fake clock."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mrz_specimens import TODAY, bulgarian_td1, passport_td3

from hardware.idcard import IdDocument, MrzError
from hardware.idcard.assembler import MrzAssembler
from hardware.serial_input import LineFramer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        ([b"ABC\r\nDEF\r\n"], ["ABC", "DEF"]),
        ([b"ABC\rDEF\r"], ["ABC", "DEF"]),
        ([b"ABC\nDEF\n"], ["ABC", "DEF"]),
        ([b"AB", b"C\r", b"\nDE", b"F\n"], ["ABC", "DEF"]),  # split writes, CRLF split across reads
        ([b"\x02ABC\rDEF\x03"], ["ABC", "DEF"]),  # STX/ETX frame, CR inside
        ([b"junk\x02ABC\x03"], ["ABC"]),  # STX resynchronises: the partial junk is dropped
        ([b"\x00\xffA\x07B\x1bC\r\n"], ["ABC"]),  # noise bytes inside a line
        ([b"\r\n\r\n\n"], []),
        ([b"ABC"], []),  # no terminator yet
    ],
)
def test_framer_table(chunks, expected):
    framer = LineFramer()
    lines = []
    for chunk in chunks:
        lines += framer.feed(chunk)
    assert lines == expected


def test_framer_drops_overlong_line_and_recovers():
    framer = LineFramer(max_line=10)
    assert framer.feed(b"X" * 25 + b"\r\nOK\r\n") == ["OK"]


def test_framer_drops_a_stale_partial_line():
    clock = FakeClock()
    framer = LineFramer(stale_after=1.0, clock=clock)
    assert framer.feed(b"HALF-A-LI") == []
    clock.now += 5
    assert framer.feed(b"NEW\r\n") == ["NEW"]
    assert framer.dropped_bytes >= len("HALF-A-LI")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=20))
def test_framer_never_crashes_and_yields_printable_lines(chunks):
    framer = LineFramer(max_line=50)
    for chunk in chunks:
        for line in framer.feed(chunk):
            assert line and line.isprintable() and len(line) <= 50


def make_assembler(clock=None):
    return MrzAssembler(window=2.0, today=lambda: TODAY, clock=clock or FakeClock())


def test_assembler_builds_td1_from_three_lines():
    assembler = make_assembler()
    lines = bulgarian_td1()
    assert assembler.feed_line(lines[0]) is None
    assert assembler.feed_line(lines[1]) is None
    document = assembler.feed_line(lines[2])
    assert isinstance(document, IdDocument) and document.document_number == "AA1234567"
    assert assembler.pending_lines == 0


def test_assembler_td3_and_whole_zone_in_one_line():
    assembler = make_assembler()
    lines = passport_td3()
    assert assembler.feed_line(lines[0]) is None
    assert isinstance(assembler.feed_line(lines[1]), IdDocument)
    assert isinstance(assembler.feed_line("".join(bulgarian_td1())), IdDocument)


def test_assembler_ignores_noise_lines_and_restarts_on_a_new_first_line():
    assembler = make_assembler()
    first_card = bulgarian_td1()
    second_card = bulgarian_td1(number="BB7654321", surname="ADAMOVA")
    assert assembler.feed_line("READY") is None
    assert assembler.feed_line(first_card[0]) is None  # card pulled after one line
    for line in second_card[:2]:
        assert assembler.feed_line(line) is None
    document = assembler.feed_line(second_card[2])
    assert isinstance(document, IdDocument)
    assert (document.document_number, document.surname) == ("BB7654321", "ADAMOVA")


def test_assembler_window_expires_incomplete_reads():
    clock = FakeClock()
    assembler = make_assembler(clock)
    lines = bulgarian_td1()
    assembler.feed_line(lines[0])
    assembler.feed_line(lines[1])
    clock.now += 3
    error = assembler.poll()
    assert isinstance(error, MrzError) and error.code == "length"
    assert assembler.pending_lines == 0
    # The next card after the stale lines reads cleanly.
    for line in lines[:2]:
        assert assembler.feed_line(line) is None
    assert isinstance(assembler.feed_line(lines[2]), IdDocument)


def test_assembler_reports_bad_check_digit_and_truncated_mrz_lines():
    assembler = make_assembler()
    lines = bulgarian_td1()
    broken = lines[0][:14] + str((int(lines[0][14]) + 1) % 10) + lines[0][15:]
    assembler.feed_line(broken)
    assembler.feed_line(lines[1])
    error = assembler.feed_line(lines[2])
    assert isinstance(error, MrzError) and error.code == "check_digit_document_number"
    error = assembler.feed_line(lines[0][:25])
    assert isinstance(error, MrzError) and error.code == "length"


@settings(max_examples=150, deadline=None)
@given(
    ending=st.sampled_from([b"\r\n", b"\r", b"\n"]),
    framed=st.booleans(),
    noise=st.binary(max_size=8).map(lambda b: bytes(x for x in b if x not in b"\x02\x03\r\n")),
    cuts=st.lists(st.integers(min_value=1, max_value=200), max_size=12),
)
def test_any_split_of_any_framing_yields_the_same_document(ending, framed, noise, cuts):
    lines = bulgarian_td1()
    body = ending.join(line.encode() for line in lines) + ending
    stream = noise + ending + (b"\x02" + body + b"\x03" if framed else body)
    framer, assembler = LineFramer(), make_assembler()
    results = []
    position = 0
    for cut in sorted(set(cuts)) + [len(stream)]:
        for line in framer.feed(stream[position:cut]):
            result = assembler.feed_line(line)
            if result is not None:
                results.append(result)
        position = max(position, cut)
    documents = [r for r in results if isinstance(r, IdDocument)]
    assert len(documents) == 1 and documents[0].document_number == "AA1234567"
    assert not [r for r in results if isinstance(r, MrzError) and r.code != "length"]
