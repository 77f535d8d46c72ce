"""The simulated ID reader: the same verification and listener calls as a real reader, plus test helpers."""

from __future__ import annotations

import dataclasses

from mrz_specimens import TODAY, bulgarian_td1

from hardware.base import DeviceState
from hardware.idcard import IdDocument, IdReaderListener, MrzError, SimulatedIdReader, parse_mrz


class Listener:
    def __init__(self):
        self.calls = []

    def on_document(self, document):
        self.calls.append(("document", document))

    def on_read_error(self, error):
        self.calls.append(("read_error", error))

    def on_state(self, health):
        self.calls.append(("state", health.state))


def test_listener_protocol_is_structural():
    assert isinstance(Listener(), IdReaderListener)


def test_insert_mrz_text_document_and_bad_cards():
    listener = Listener()
    reader = SimulatedIdReader(listener, today=lambda: TODAY)
    text = "\r\n".join(bulgarian_td1())
    document = reader.insert_card(text)
    assert isinstance(document, IdDocument) and document.egn_kind == "egn"

    expired = reader.insert_card("\n".join(bulgarian_td1(expiry="251231")))
    assert isinstance(expired, MrzError) and expired.code == "expired"

    assert isinstance(reader.insert_card(bulgarian_td1()), IdDocument)  # the lines as a list work too
    prepared = dataclasses.replace(parse_mrz(text, today=TODAY), surname="PETROVA")
    assert reader.insert_card(prepared) is prepared

    assert [kind for kind, _ in listener.calls] == ["state", "document", "read_error", "document", "document"]
    assert [d.surname for d in reader.documents] == ["IVANOV", "IVANOV", "PETROVA"]
    assert [e.code for e in reader.read_errors] == ["expired"]


def test_unplugged_reader_reads_nothing_and_reports_state():
    listener = Listener()
    reader = SimulatedIdReader(listener, today=lambda: TODAY)
    reader.unplug()
    assert reader.health().state is DeviceState.OFFLINE and reader.health().reason
    assert reader.insert_card("\n".join(bulgarian_td1())) is None
    reader.replug()
    assert isinstance(reader.insert_card("\n".join(bulgarian_td1())), IdDocument)
    assert [c for c in listener.calls if c[0] == "state"] == [
        ("state", DeviceState.OK),
        ("state", DeviceState.OFFLINE),
        ("state", DeviceState.OK),
    ]


def test_a_failing_listener_does_not_break_the_reader():
    class Broken:
        def on_document(self, document):
            raise RuntimeError("bug in the host")

    reader = SimulatedIdReader(Broken(), today=lambda: TODAY)
    assert isinstance(reader.insert_card("\n".join(bulgarian_td1())), IdDocument)
    assert len(reader.documents) == 1


def test_repeated_misreads_degrade_the_reader_until_a_good_read():
    listener = Listener()
    reader = SimulatedIdReader(listener, today=lambda: TODAY)
    good = "\n".join(bulgarian_td1())
    misread = good.replace("AA1234567", "AA1234568", 1)
    expired = "\n".join(bulgarian_td1(expiry="251231"))
    for _ in range(reader.degraded_after - 1):
        reader.insert_card(misread)
    reader.insert_card(expired)  # a card read right and refused is not the reader's fault
    assert reader.health().state is DeviceState.OK
    reader.insert_card(misread)
    assert reader.health().state is DeviceState.DEGRADED
    assert "clean the reader window" in reader.health().reason
    reader.insert_card(good)
    assert reader.health().state is DeviceState.OK
    states = [c[1] for c in listener.calls if c[0] == "state"]
    assert states == [DeviceState.OK, DeviceState.DEGRADED, DeviceState.OK]
