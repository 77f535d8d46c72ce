"""Satisfaction buttons on GPIO: gpiozero pins, our own debounce and anti-repeat, LED/buzzer acknowledgement."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from hardware.base import ConfigError, Device, DeviceState, DeviceUnavailable, Health

__all__ = [
    "ButtonPanelConfig",
    "ButtonListener",
    "Debouncer",
    "ButtonPanel",
    "SimulatedButtonPanel",
    "make_pin_factory",
]

log = logging.getLogger(__name__)

Clock = Callable[[], float]


@dataclass(frozen=True)
class ButtonPanelConfig:
    """Pins of one satisfaction terminal (BCM numbers). `button_pins[0]` is score 1 (very unhappy)."""

    button_pins: tuple[int, ...] = (17, 27, 22, 23)
    led_pins: tuple[int, ...] = ()  # one per button, or empty
    ack_led_pin: int | None = None  # one shared acknowledgement LED
    buzzer_pin: int | None = None
    debounce_s: float = 0.030
    stuck_after_s: float = 30.0
    ack_on_s: float = 0.6
    beep_s: float = 0.08

    def __post_init__(self) -> None:
        if not 3 <= len(self.button_pins) <= 5:
            raise ConfigError(None, "button_pins", f"need 3 to 5 buttons, got {len(self.button_pins)}")
        if self.led_pins and len(self.led_pins) != len(self.button_pins):
            raise ConfigError(
                None, "led_pins", f"need one LED per button ({len(self.button_pins)}), got {len(self.led_pins)}"
            )
        used = list(self.button_pins) + list(self.led_pins)
        used += [p for p in (self.ack_led_pin, self.buzzer_pin) if p is not None]
        duplicates = sorted({p for p in used if used.count(p) > 1})
        if duplicates:
            raise ConfigError(None, "pins", f"GPIO {duplicates} used twice")
        if self.debounce_s < 0 or self.stuck_after_s <= 0:
            raise ConfigError(None, "debounce_s/stuck_after_s", "must be positive")

    @property
    def scale(self) -> int:
        return len(self.button_pins)


class ButtonListener(Protocol):
    """What a panel reports; called on the driver's thread (gpiozero's callback thread)."""

    def on_press(self, score: int) -> None: ...


class Debouncer:
    """Turns raw edges of one button into presses.

    A press edge counts only when the line was quiet for `debounce_s` before it: contact
    chatter on press and on release produces edges close together, so only the first edge
    of a burst passes. A held button produces no further edges, so a long press is one press
    (anti-repeat); chatter in the middle of a hold is a burst too and is ignored. Time comes
    from the injected clock so tests drive it without sleeping.
    """

    def __init__(self, debounce_s: float, clock: Clock = time.monotonic) -> None:
        self.debounce_s = debounce_s
        self._clock = clock
        self._last_edge: float | None = None
        self.pressed = False  # the raw level as last seen
        self.pressed_since: float | None = None
        self.ignored_edges = 0

    def edge(self, pressed: bool) -> bool:
        """Feed one raw edge; True when it is a new press."""
        now = self._clock()
        quiet = self._last_edge is None or now - self._last_edge >= self.debounce_s
        self._last_edge = now
        was_pressed = self.pressed
        self.pressed = pressed
        if pressed and not was_pressed:
            self.pressed_since = now
        elif not pressed:
            self.pressed_since = None
        if pressed and quiet:
            return True
        if pressed or not quiet:
            self.ignored_edges += 1
        return False

    def already_down(self) -> None:
        """The button was down before anyone watched (jammed through a power cut): no press,
        but it is held from now on, so a stuck switch is reported and its release is no press."""
        now = self._clock()
        self.pressed, self.pressed_since, self._last_edge = True, now, now

    def held_for(self) -> float:
        if not self.pressed or self.pressed_since is None:
            return 0.0
        return self._clock() - self.pressed_since


def make_pin_factory(name: str) -> Any:
    """The gpiozero pin factory named in the config: "lgpio" (Pi 5), "rpigpio", "native" or "mock".

    Never picked implicitly: a terminal without the library named gets a clear error.
    """
    try:
        if name == "lgpio":
            from gpiozero.pins.lgpio import LGPIOFactory

            return LGPIOFactory()
        if name == "rpigpio":
            from gpiozero.pins.rpigpio import RPiGPIOFactory

            return RPiGPIOFactory()
        if name == "native":
            from gpiozero.pins.native import NativeFactory

            return NativeFactory()
        if name == "mock":
            from gpiozero.pins.mock import MockFactory

            return MockFactory()
    except ImportError as exc:
        raise DeviceUnavailable(f"pin factory {name!r}: library missing ({exc})") from exc
    except Exception as exc:  # the GPIO chip is absent or not accessible
        raise DeviceUnavailable(f"pin factory {name!r}: {exc}") from exc
    raise ConfigError(None, "pin_factory", f"unknown {name!r} (lgpio, rpigpio, native, mock)")


class ButtonPanel(Device):
    """3–5 buttons with pull-ups, an LED per button or one acknowledgement LED, an optional buzzer.

    The pin factory is passed in (never gpiozero's global default), so every panel — and
    every test — owns its own. Presses reach `listener.on_press(score)` after our debounce.
    LED faults cannot be detected on a plain GPIO output (no current sense), so health
    says "unknown" for LEDs rather than pretending they are fine.
    """

    name = "buttons"

    def __init__(
        self,
        config: ButtonPanelConfig,
        listener: ButtonListener,
        *,
        pin_factory: Any,
        clock: Clock = time.monotonic,
    ) -> None:
        from gpiozero import LED, Button, Buzzer

        self.config = config
        self._listener = listener
        self._clock = clock
        self._factory = pin_factory
        self._lock = threading.Lock()
        self._closed = False
        self._devices: list[Any] = []
        self.presses = 0
        try:
            self._buttons = []
            self._debouncers = []
            for index, pin in enumerate(config.button_pins):
                # bounce_time stays None: debounce is ours (and MockPin ignores it anyway).
                button = Button(pin, pull_up=True, bounce_time=None, pin_factory=pin_factory)
                self._devices.append(button)
                debouncer = Debouncer(config.debounce_s, clock)
                score = index + 1
                if button.is_pressed:  # no edge will tell: a switch jammed since before we started
                    debouncer.already_down()
                button.when_pressed = self._edge_handler(score, debouncer, True)
                button.when_released = self._edge_handler(score, debouncer, False)
                self._buttons.append(button)
                self._debouncers.append(debouncer)
            self._leds = [self._own(LED(pin, pin_factory=pin_factory)) for pin in config.led_pins]
            self._ack_led = (
                self._own(LED(config.ack_led_pin, pin_factory=pin_factory))
                if config.ack_led_pin is not None
                else None
            )
            self._buzzer = (
                self._own(Buzzer(config.buzzer_pin, pin_factory=pin_factory))
                if config.buzzer_pin is not None
                else None
            )
        except Exception as exc:
            self.close()
            if isinstance(exc, (ConfigError, DeviceUnavailable)):
                raise
            raise DeviceUnavailable(f"GPIO: {exc}") from exc

    def _own(self, device: Any) -> Any:
        self._devices.append(device)
        return device

    def _edge_handler(self, score: int, debouncer: Debouncer, pressed: bool) -> Callable[[], None]:
        def handler() -> None:
            with self._lock:
                if self._closed:
                    return
                accepted = debouncer.edge(pressed)
                if accepted:
                    self.presses += 1
            if accepted:
                try:
                    self._listener.on_press(score)
                except Exception:  # a listener bug must not kill gpiozero's callback thread
                    log.exception("button listener failed for score %d", score)

        return handler

    # --- output ---------------------------------------------------------------------------

    def acknowledge(self, score: int) -> None:
        """Light the pressed button's LED (or the shared LED) and beep: the press is safe."""
        if self._closed:
            return
        led = self._leds[score - 1] if self._leds else self._ack_led
        if led is not None:
            led.blink(on_time=self.config.ack_on_s, off_time=0.0, n=1, background=True)
        if self._buzzer is not None:
            self._buzzer.beep(on_time=self.config.beep_s, off_time=0.0, n=1, background=True)

    def signal_error(self) -> None:
        """Three quick blinks of every LED: the press could not be saved (a technician is needed)."""
        if self._closed:
            return
        for led in self._leds or ([self._ack_led] if self._ack_led else []):
            led.blink(on_time=0.1, off_time=0.1, n=3, background=True)

    # --- health ---------------------------------------------------------------------------

    def stuck_buttons(self) -> list[int]:
        """Scores of buttons held down longer than `stuck_after_s` (a jammed or shorted switch)."""
        with self._lock:
            return [
                index + 1
                for index, debouncer in enumerate(self._debouncers)
                if debouncer.held_for() > self.config.stuck_after_s
            ]

    def health(self) -> Health:
        if self._closed:
            return Health(DeviceState.OFFLINE, "closed")
        detail: dict[str, Any] = {
            "buttons": self.config.scale,
            "presses": self.presses,
            "ignored_edges": sum(d.ignored_edges for d in self._debouncers),
            "led_fault_detection": "unavailable",
        }
        stuck = self.stuck_buttons()
        if stuck:
            detail["stuck"] = ",".join(str(s) for s in stuck)
            return Health(DeviceState.DEGRADED, f"button stuck: {', '.join(map(str, stuck))}", detail)
        return Health(DeviceState.OK, None, detail)

    def close(self) -> None:
        self._closed = True
        for device in reversed(self._devices):
            try:
                device.close()
            except Exception:  # closing twice or a half-built panel must not raise
                pass
        self._devices.clear()


class SimulatedButtonPanel(ButtonPanel):
    """A ButtonPanel on gpiozero's MockFactory: the whole debounce path, keys instead of fingers.

    `press(score)` drives the button's mock pin low and high again; `acknowledgements`
    lists every acknowledged score in order, and `on_acknowledge` (if set) is called too.
    """

    def __init__(
        self,
        config: ButtonPanelConfig | None,
        listener: ButtonListener,
        *,
        clock: Clock = time.monotonic,
        on_acknowledge: Callable[[int], None] | None = None,
    ) -> None:
        from gpiozero.pins.mock import MockFactory

        self.mock_factory = MockFactory()
        self.acknowledgements: list[int] = []
        self.errors_signalled = 0
        self.on_acknowledge = on_acknowledge
        super().__init__(config or ButtonPanelConfig(), listener, pin_factory=self.mock_factory, clock=clock)

    def pin(self, score: int) -> Any:
        return self.mock_factory.pin(self.config.button_pins[score - 1])

    def press(self, score: int) -> None:
        if not 1 <= score <= self.config.scale:
            raise ValueError(f"score {score} is not on the 1–{self.config.scale} scale")
        pin = self.pin(score)
        pin.drive_low()
        pin.drive_high()

    def acknowledge(self, score: int) -> None:
        super().acknowledge(score)
        self.acknowledgements.append(score)
        if self.on_acknowledge is not None:
            self.on_acknowledge(score)

    def signal_error(self) -> None:
        super().signal_error()
        self.errors_signalled += 1

