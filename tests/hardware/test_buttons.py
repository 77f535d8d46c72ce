"""ButtonPanel on gpiozero's MockFactory: presses, debounce, holds, stuck buttons, LEDs and buzzer."""

from __future__ import annotations

import pytest
from gpiozero.pins.mock import MockFactory, MockPin

from hardware.base import ConfigError, DeviceState
from hardware.buttons import ButtonPanel, ButtonPanelConfig, Debouncer, SimulatedButtonPanel


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Recorder:
    def __init__(self) -> None:
        self.scores: list[int] = []

    def on_press(self, score: int) -> None:
        self.scores.append(score)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def rig(clock):
    factory = MockFactory()
    listener = Recorder()
    config = ButtonPanelConfig(button_pins=(5, 6, 13, 19), led_pins=(12, 16, 20, 21), buzzer_pin=26,
                               stuck_after_s=10.0)
    panel = ButtonPanel(config, listener, pin_factory=factory, clock=clock)
    yield panel, factory, listener
    panel.close()


def test_each_button_reports_its_score(rig, clock):
    panel, factory, listener = rig
    for _score, pin in enumerate((5, 6, 13, 19), start=1):
        factory.pin(pin).drive_low()
        clock.advance(0.1)
        factory.pin(pin).drive_high()
        clock.advance(1.0)
    assert listener.scores == [1, 2, 3, 4]


def test_chatter_on_press_and_release_is_one_press(rig, clock):
    panel, factory, listener = rig
    pin = factory.pin(13)
    for _ in range(5):  # 5 ms of contact bounce on the way down
        pin.drive_low()
        clock.advance(0.001)
        pin.drive_high()
        clock.advance(0.001)
    pin.drive_low()
    clock.advance(0.5)
    for _ in range(4):  # and on the way up
        pin.drive_high()
        clock.advance(0.002)
        pin.drive_low()
        clock.advance(0.002)
    pin.drive_high()
    assert listener.scores == [3]
    assert panel.health().detail["ignored_edges"] > 0


def test_long_press_is_one_press_and_next_press_counts(rig, clock):
    panel, factory, listener = rig
    pin = factory.pin(5)
    pin.drive_low()
    clock.advance(4.0)  # held for four seconds
    pin.drive_high()
    clock.advance(0.5)
    pin.drive_low()
    clock.advance(0.1)
    pin.drive_high()
    assert listener.scores == [1, 1]


def test_chatter_in_the_middle_of_a_hold_does_not_repeat(rig, clock):
    panel, factory, listener = rig
    pin = factory.pin(6)
    pin.drive_low()
    clock.advance(2.0)
    pin.drive_high()  # a 3 ms contact blip while still held
    clock.advance(0.003)
    pin.drive_low()
    clock.advance(2.0)
    pin.drive_high()
    assert listener.scores == [2]


def test_two_deliberate_presses_just_outside_debounce_both_count(rig, clock):
    panel, factory, listener = rig
    pin = factory.pin(19)
    pin.drive_low()
    clock.advance(0.05)
    pin.drive_high()
    clock.advance(0.05)
    pin.drive_low()
    clock.advance(0.05)
    pin.drive_high()
    assert listener.scores == [4, 4]


def test_debouncer_unit():
    clock = FakeClock()
    debouncer = Debouncer(0.030, clock)
    assert debouncer.edge(True) is True
    clock.advance(0.010)
    assert debouncer.edge(False) is False
    clock.advance(0.010)
    assert debouncer.edge(True) is False  # inside 30 ms of the last edge
    clock.advance(0.031)
    assert debouncer.edge(False) is False
    clock.advance(0.031)
    assert debouncer.edge(True) is True


def test_stuck_button_degrades_health_and_recovers(rig, clock):
    panel, factory, listener = rig
    assert panel.health().state is DeviceState.OK
    factory.pin(13).drive_low()
    clock.advance(9.0)
    assert panel.health().state is DeviceState.OK
    clock.advance(2.0)
    health = panel.health()
    assert health.state is DeviceState.DEGRADED
    assert health.detail["stuck"] == "3"
    assert "3" in health.reason
    factory.pin(13).drive_high()
    assert panel.health().state is DeviceState.OK
    assert listener.scores == [3]  # the stuck hold was still one press
    assert panel.health().detail["led_fault_detection"] == "unavailable"


def test_a_button_jammed_before_start_is_reported_stuck_and_is_no_press(clock):
    # After a power cut the switch may already be down: gpiozero gives no edge for that.
    class ShortedPin(MockPin):
        """Held low whatever the pull-up says (a MockPin would jump high when the pull is set)."""

        def _set_pull(self, value):
            super()._set_pull(value)
            self.drive_low()

    factory = MockFactory()
    factory.pin(6, pin_class=ShortedPin)
    listener = Recorder()
    panel = ButtonPanel(ButtonPanelConfig(button_pins=(5, 6, 13, 19), stuck_after_s=10.0), listener,
                        pin_factory=factory, clock=clock)
    try:
        assert panel.health().state is DeviceState.OK
        clock.advance(11.0)
        health = panel.health()
        assert health.state is DeviceState.DEGRADED and health.detail["stuck"] == "2"
        factory.pin(6).drive_high()  # freed
        assert panel.health().state is DeviceState.OK
        clock.advance(1.0)
        factory.pin(6).drive_low()  # and pressed by a citizen
        assert listener.scores == [2]
    finally:
        panel.close()


def test_acknowledge_lights_the_pressed_buttons_led_and_beeps(rig):
    panel, factory, listener = rig
    led_pin, other_led, buzzer = factory.pin(16), factory.pin(12), factory.pin(26)
    panel.acknowledge(2)
    # blink(n=1, background=True) runs on gpiozero's thread; wait on its own event, not a sleep.
    panel._leds[1]._blink_thread.join(5)
    panel._buzzer._blink_thread.join(5)
    assert [s.state for s in led_pin.states][-2:] == [True, False]
    assert all(s.state is False for s in other_led.states)
    assert True in [s.state for s in buzzer.states]


def test_single_ack_led_mode():
    factory = MockFactory()
    panel = ButtonPanel(ButtonPanelConfig(button_pins=(5, 6, 13), ack_led_pin=20), Recorder(),
                        pin_factory=factory)
    panel.acknowledge(3)
    panel._ack_led._blink_thread.join(5)
    assert True in [s.state for s in factory.pin(20).states]
    panel.close()
    panel.close()  # idempotent


@pytest.mark.parametrize(
    "kwargs, key",
    [
        ({"button_pins": (5, 6)}, "button_pins"),
        ({"button_pins": (1, 2, 3, 4, 5, 6)}, "button_pins"),
        ({"button_pins": (5, 6, 13), "led_pins": (12,)}, "led_pins"),
        ({"button_pins": (5, 6, 13), "buzzer_pin": 6}, "GPIO [6]"),
    ],
)
def test_bad_config_names_the_key(kwargs, key):
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        ButtonPanelConfig(**kwargs)


def test_two_panels_have_independent_factories(clock):
    a, b = Recorder(), Recorder()
    pa = SimulatedButtonPanel(None, a, clock=clock)
    pb = SimulatedButtonPanel(None, b, clock=clock)
    pa.press(1)
    clock.advance(1)
    pb.press(4)
    assert a.scores == [1] and b.scores == [4]
    with pytest.raises(ValueError):
        pa.press(5)
    pa.close()
    pb.close()


def test_listener_exception_does_not_break_the_panel(clock):
    class Broken:
        calls = 0

        def on_press(self, score):
            Broken.calls += 1
            raise RuntimeError("boom")

    panel = SimulatedButtonPanel(None, Broken(), clock=clock)
    panel.press(2)
    clock.advance(1)
    panel.press(2)
    assert Broken.calls == 2
    panel.close()


def test_real_pin_factories_fail_clearly_without_gpio():
    from hardware.base import DeviceUnavailable
    from hardware.buttons import make_pin_factory

    assert type(make_pin_factory("mock")).__name__ == "MockFactory"
    with pytest.raises(ConfigError, match="pigpio"):
        make_pin_factory("pigpio")
    import os

    if os.path.exists("/dev/gpiochip0"):
        pytest.skip("this machine has a GPIO chip")
    for name in ("lgpio", "native"):
        with pytest.raises(DeviceUnavailable, match=name):
            make_pin_factory(name)


from hypothesis import given, settings
from hypothesis import strategies as st

# One human press: bounce on the way down, a hold, bounce on the way up, then a rest.
_press = st.tuples(
    st.lists(st.integers(min_value=1, max_value=9), max_size=6),   # bounce gaps (ms) going down
    st.integers(min_value=40, max_value=5000),                     # hold (ms)
    st.lists(st.integers(min_value=1, max_value=9), max_size=6),   # bounce gaps (ms) going up
    st.integers(min_value=40, max_value=3000),                     # rest before the next press (ms)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_press, min_size=1, max_size=8))
def test_debouncer_counts_each_human_press_once_whatever_the_bounce(presses):
    clock = FakeClock()
    debouncer = Debouncer(0.030, clock)
    counted = 0
    for down_bounce, hold, up_bounce, rest in presses:
        counted += debouncer.edge(True)
        for gap in down_bounce:  # released and pressed again within a few ms
            clock.advance(gap / 1000)
            counted += debouncer.edge(False)
            clock.advance(gap / 1000)
            counted += debouncer.edge(True)
        clock.advance(hold / 1000)
        counted += debouncer.edge(False)
        for gap in up_bounce:
            clock.advance(gap / 1000)
            counted += debouncer.edge(True)
            clock.advance(gap / 1000)
            counted += debouncer.edge(False)
        clock.advance(rest / 1000)
    assert counted == len(presses)
