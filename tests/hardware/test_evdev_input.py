"""Keyboard-wedge decoding from synthetic evdev events, device matching, and the grabbing reader loop."""

from __future__ import annotations

import errno
import os

import pytest
from evdev import ecodes
from evdev_fakes import DOWN, HOLD, UP, Collector, FakeDevice, Opener, key, press, type_line
from hypothesis import given, settings
from hypothesis import strategies as st
from mrz_specimens import TODAY, bulgarian_td1, passport_td3

from hardware.base import DeviceState, DeviceUnavailable
from hardware.evdev_input import (
    KEYMAP_US,
    EvdevLineSource,
    InputDeviceMatch,
    WedgeDecoder,
    find_input_device,
)
from hardware.idcard import EvdevMrzReader, IdDocument


def decode_all(events, decoder=None):
    decoder = decoder or WedgeDecoder()
    return [line for line in map(decoder.feed, events) if line is not None]


# --- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kwargs"),
    [
        ("IDBGRAA12345674<<<<<<<<<<<<<<<", {}),
        ("IDBGRAA12345674<<<<<<<<<<<<<<<", {"filler_key": ecodes.KEY_COMMA}),  # shift+',' on US layout
        ("Hello, World!", {"shift_code": ecodes.KEY_RIGHTSHIFT}),
        ("https://e-obshtina.example/t/K07-000123?x=1&y=_2", {}),
    ],
)
def test_typed_lines_decode_back(text, kwargs):
    assert decode_all(type_line(text, **kwargs)) == [text]


def test_102nd_key_gives_greater_than_when_shifted():
    events = press(ecodes.KEY_102ND) + press(ecodes.KEY_102ND, ecodes.KEY_LEFTSHIFT) + press(ecodes.KEY_ENTER)
    assert decode_all(events) == ["<>"]


def test_autorepeat_and_key_up_are_ignored():
    events = [key(ecodes.KEY_A, DOWN), key(ecodes.KEY_A, HOLD), key(ecodes.KEY_A, HOLD), key(ecodes.KEY_A, UP)]
    events += press(ecodes.KEY_KPENTER)
    assert decode_all(events) == ["a"]


def test_shift_state_follows_both_shift_keys():
    events = [key(ecodes.KEY_LEFTSHIFT, DOWN), key(ecodes.KEY_RIGHTSHIFT, DOWN), key(ecodes.KEY_LEFTSHIFT, UP)]
    events += [key(ecodes.KEY_X, DOWN), key(ecodes.KEY_RIGHTSHIFT, UP), key(ecodes.KEY_X, DOWN)]
    events += press(ecodes.KEY_ENTER)
    assert decode_all(events) == ["Xx"]


def test_caps_lock_backspace_keypad_and_unknown_keys():
    events = press(ecodes.KEY_CAPSLOCK) + press(ecodes.KEY_M) + press(ecodes.KEY_M, ecodes.KEY_LEFTSHIFT)
    events += press(ecodes.KEY_F5) + press(ecodes.KEY_LEFTCTRL) + press(ecodes.KEY_KP7) + press(ecodes.KEY_Q)
    events += press(ecodes.KEY_BACKSPACE) + press(ecodes.KEY_ENTER)
    assert decode_all(events) == ["Mm7"]


def test_empty_lines_and_overlong_lines_are_dropped():
    decoder = WedgeDecoder(max_line=5)
    events = press(ecodes.KEY_ENTER) + type_line("ABCDEFGH") + type_line("OK")
    assert decode_all(events, decoder) == ["OK"]


def test_full_mrz_typed_by_a_wedge_reader_decodes_to_its_lines():
    lines = bulgarian_td1()
    events = [event for line in lines for event in type_line(line)]
    assert decode_all(events) == lines


# --- finding the device again ------------------------------------------------------------------


class Info:
    def __init__(self, vendor, product):
        self.vendor, self.product = vendor, product


class ListedDevice:
    def __init__(self, path, name, phys, vendor, product):
        self.path, self.name, self.phys, self.info = path, name, phys, Info(vendor, product)
        self.closed = False

    def close(self):
        self.closed = True


def test_find_input_device_by_name_phys_and_usb_id():
    devices = {
        "/dev/input/event0": ListedDevice("/dev/input/event0", "AT Translated Set 2 keyboard", "isa0060/serio0/input0", 1, 1),
        "/dev/input/event5": ListedDevice("/dev/input/event5", "Access IS ATOM MRZ Reader", "usb-0000:01:00.0-1.3/input0", 0x0DB5, 0x0160),
    }
    kwargs = {"list_devices": lambda: list(devices), "open_device": devices.__getitem__}
    assert find_input_device(InputDeviceMatch(name="atom mrz"), **kwargs).path == "/dev/input/event5"
    assert devices["/dev/input/event0"].closed  # non-matching devices are not left open
    assert find_input_device(InputDeviceMatch.from_usb_id("0db5:0160"), **kwargs).path == "/dev/input/event5"
    assert find_input_device(InputDeviceMatch(phys="isa0060/serio0/input0"), **kwargs).path == "/dev/input/event0"
    with pytest.raises(DeviceUnavailable, match="vendor=0db5"):
        find_input_device(InputDeviceMatch(vendor=0x0DB5, product=0x9999), **kwargs)


def test_find_input_device_names_a_permission_problem():
    def deny(path):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    with pytest.raises(DeviceUnavailable, match="group 'input'"):
        find_input_device(InputDeviceMatch(name="x"), list_devices=lambda: ["/dev/input/event3"], open_device=deny)


def test_bad_usb_id_is_a_clear_error():
    with pytest.raises(ValueError, match="VENDOR:PRODUCT"):
        InputDeviceMatch.from_usb_id("atom")


# --- the reader loop over a fake device ---------------------------------------------------------


def test_line_source_unplug_is_offline_and_device_is_found_again():
    first = FakeDevice([type_line("FIRST"), type_line("SEC")[:6]], then=OSError(errno.ENODEV, "No such device"))
    second = FakeDevice([type_line("AFTER")])
    opener = Opener(first, DeviceUnavailable("no input device matching name='wedge'"), second)
    seen = Collector()
    source = EvdevLineSource(
        opener,
        on_line=lambda line: seen.add("line", line),
        on_state=lambda health: seen.add("state", health),
        poll_interval=0.05,
        backoff_initial=0.01,
        backoff_max=0.05,
    )
    source.start()
    try:
        seen.wait_for(lambda s: "AFTER" in s.of("line"))
    finally:
        source.close()
        source.close()
    assert seen.of("line") == ["FIRST", "AFTER"]  # the half line from before the unplug is gone
    states = [(h.state, h.reason) for h in seen.of("state")]
    assert states[:4] == [
        (DeviceState.OK, None),
        (DeviceState.OFFLINE, "device unplugged"),
        (DeviceState.OFFLINE, "no input device matching name='wedge'"),
        (DeviceState.OK, None),
    ]
    assert first.closed and not first.grabbed
    assert first.read_ungrabbed == second.read_ungrabbed == 0  # every keystroke was read under an exclusive grab
    assert second.closed and not second.grabbed  # released by close()
    assert source.reconnects == 1


def test_a_device_grabbed_by_someone_else_is_offline_with_reason():
    busy = FakeDevice([], grab_error=OSError(errno.EBUSY, "Device or resource busy"))
    seen = Collector()
    source = EvdevLineSource(
        Opener(busy), on_line=lambda line: None, on_state=lambda h: seen.add("state", h), backoff_initial=0.01
    )
    source.start()
    try:
        seen.wait_for(lambda s: s.of("state"))
    finally:
        source.close()
    assert seen.of("state")[0].state is DeviceState.OFFLINE
    assert "grabbed by another program" in seen.of("state")[0].reason
    assert busy.closed


def test_evdev_mrz_reader_reads_cards_across_an_unplug():
    td1, td3 = bulgarian_td1(), passport_td3()
    first = FakeDevice([[e for line in td1 for e in type_line(line)]], then=OSError(errno.ENODEV, "No such device"))
    second = FakeDevice([type_line(td3[0]), type_line(td3[1])])
    seen = Collector()
    reader = EvdevMrzReader(
        seen, open_device=Opener(first, second), today=lambda: TODAY, poll_interval=0.05, backoff_initial=0.01
    )
    try:
        seen.wait_for(lambda s: len(s.of("document")) == 2)
    finally:
        reader.close()
    documents = seen.of("document")
    assert all(isinstance(d, IdDocument) for d in documents)
    assert [d.document_number for d in documents] == ["AA1234567", "L898902C3"]
    assert [h.state for h in seen.of("state")][:3] == [DeviceState.OK, DeviceState.OFFLINE, DeviceState.OK]
    assert seen.of("read_error") == []


def test_evdev_mrz_reader_needs_a_way_to_find_its_device():
    with pytest.raises(ValueError):
        EvdevMrzReader(None)


# --- optional: a real kernel device through uinput ---------------------------------------------


def _uinput_usable() -> str | None:
    if not os.path.exists("/dev/uinput"):
        return "/dev/uinput does not exist here (no uinput module in this container)"
    if not os.access("/dev/uinput", os.W_OK):
        return "/dev/uinput is not writable"
    return None


@pytest.mark.skipif(_uinput_usable() is not None, reason=str(_uinput_usable()))
def test_real_uinput_keyboard_is_grabbed_and_decoded():
    from evdev import UInput

    seen = Collector()
    keys = list(KEYMAP_US) + [ecodes.KEY_ENTER, ecodes.KEY_LEFTSHIFT]
    with UInput({ecodes.EV_KEY: keys}, name="eobshtina-test-wedge") as ui:
        reader = EvdevLineSource(
            lambda: find_input_device(InputDeviceMatch(name="eobshtina-test-wedge")),
            on_line=lambda line: seen.add("line", line),
            on_state=lambda h: seen.add("state", h),
            poll_interval=0.05,
            backoff_initial=0.05,
        )
        reader.start()
        try:
            seen.wait_for(lambda s: s.of("state") and s.of("state")[-1].state is DeviceState.OK)
            for event in type_line("ID<BGR"):
                ui.write(event.type, event.code, event.value)
            ui.syn()
            seen.wait_for(lambda s: s.of("line"))
        finally:
            reader.close()
    assert seen.of("line") == ["ID<BGR"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([ecodes.EV_KEY, ecodes.EV_SYN, ecodes.EV_MSC]),
            st.sampled_from(list(KEYMAP_US) + [ecodes.KEY_ENTER, ecodes.KEY_LEFTSHIFT, ecodes.KEY_CAPSLOCK, ecodes.KEY_F1, 0, 999]),
            st.integers(min_value=0, max_value=2),
        ),
        max_size=200,
    )
)
def test_any_event_sequence_decodes_to_keymap_characters_only(raw_events):
    from evdev import InputEvent

    allowed = {char for pair in KEYMAP_US.values() for char in pair}
    allowed |= {char.upper() for char in allowed} | {char.lower() for char in allowed}
    decoder = WedgeDecoder(max_line=64)
    for line in decode_all([InputEvent(0, 0, t, c, v) for t, c, v in raw_events], decoder):
        assert line and len(line) <= 64 and set(line) <= allowed


@pytest.mark.skipif(not os.environ.get("EOBSHTINA_TEST_WEDGE_NAME"), reason="set EOBSHTINA_TEST_WEDGE_NAME to test a real keyboard-wedge device")
def test_real_wedge_device_is_found_and_grabbed():
    """On a bench with a wedge reader/scanner attached: it is found by name and grabbed (state OK)."""
    seen = Collector()
    source = EvdevLineSource(
        lambda: find_input_device(InputDeviceMatch(name=os.environ["EOBSHTINA_TEST_WEDGE_NAME"])),
        on_line=lambda line: seen.add("line", line),
        on_state=lambda h: seen.add("state", h),
    )
    source.start()
    try:
        seen.wait_for(lambda s: s.of("state"))
        assert seen.of("state")[0].state is DeviceState.OK, seen.of("state")[0].reason
    finally:
        source.close()
