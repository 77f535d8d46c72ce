"""Receipt printers: python-escpos transports (USB, serial, network, file, dummy) and a simulated printer."""

from __future__ import annotations

import logging
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from hardware.base import Device, DeviceState, DeviceUnavailable, Health
from hardware.config import PrinterConfig
from hardware.printer.escpos_render import render_escpos
from hardware.printer.preview import render_png
from hardware.printer.receipt import Receipt
from hardware.printer.status import DLE_EOT, PaperState, PrinterStatus, combine_status, status_to_health

__all__ = ["ReceiptPrinter", "EscposPrinter", "SimulatedPrinter", "open_printer", "make_escpos_device"]

log = logging.getLogger(__name__)


class ReceiptPrinter(Device):
    """Contract of a receipt printer.

    Must: `print_receipt(receipt)` (raises DeviceUnavailable when it cannot print, losing nothing:
    the caller still has the receipt), `query_status()`, `paper_status()`, `health()`, `close()`.
    May: override `submit()`, which prints on the printer's own thread and returns a Future.
    """

    name = "printer"

    def __init__(self, config: PrinterConfig) -> None:
        self.config = config
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()

    def render(self, receipt: Receipt) -> bytes:
        c = self.config
        return render_escpos(
            receipt, profile=c.profile, code_page=c.code_page, paper_width_mm=c.paper_width_mm, qr_mode=c.qr_mode  # type: ignore[arg-type]
        )

    def preview_png(self, receipt: Receipt) -> bytes:
        return render_png(receipt, paper_width_mm=self.config.paper_width_mm)

    def print_receipt(self, receipt: Receipt) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def query_status(self) -> PrinterStatus:  # pragma: no cover - abstract
        raise NotImplementedError

    def paper_status(self) -> PaperState:
        return self.query_status().paper

    def health(self) -> Health:
        try:
            return status_to_health(self.query_status())
        except DeviceUnavailable as exc:
            return Health(DeviceState.OFFLINE, str(exc))

    def submit(self, receipt: Receipt) -> "Future[None]":
        """Print off the caller's thread (the GUI must not wait on USB); jobs run one at a time, in order."""
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="printer")
            return self._executor.submit(self.print_receipt, receipt)

    def close(self) -> None:
        with self._executor_lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None

    def _refuse_if_cannot_print(self, status: PrinterStatus) -> None:
        health = status_to_health(status)
        if health.state is DeviceState.OFFLINE:
            raise DeviceUnavailable(health.reason or "printer offline")


def make_escpos_device(config: PrinterConfig) -> Any:
    """The python-escpos printer object for the configured transport (not yet opened)."""
    from escpos import printer as ep

    c = config
    if c.backend == "usb":
        return ep.Usb(c.vendor_id, c.product_id, timeout=int(c.timeout_s * 1000), in_ep=c.in_ep, out_ep=c.out_ep,
                      profile=c.profile)
    if c.backend == "serial":
        return ep.Serial(devfile=c.device, baudrate=c.baudrate, timeout=c.status_timeout_s, profile=c.profile)
    if c.backend == "network":
        return ep.Network(host=c.host, port=c.port, timeout=c.timeout_s, profile=c.profile)
    if c.backend == "file":
        return ep.File(devfile=c.device, profile=c.profile)
    if c.backend == "dummy":
        return ep.Dummy(profile=c.profile)
    raise DeviceUnavailable(f"hardware.printer.backend: {c.backend!r} is not a python-escpos transport")


class EscposPrinter(ReceiptPrinter):
    """A real printer through a python-escpos transport; the connection is (re)opened on demand."""

    def __init__(self, config: PrinterConfig, device_factory: Callable[[PrinterConfig], Any] = make_escpos_device) -> None:
        super().__init__(config)
        self._factory = device_factory
        self._device: Any = None
        self._lock = threading.RLock()
        self._skip_status_until = 0.0

    @property
    def device(self) -> Any:
        """The open python-escpos object (tests read `Dummy.output` through it)."""
        with self._lock:
            return self._connect()

    def _connect(self) -> Any:
        if self._device is None:
            try:
                dev = self._factory(self.config)
                if self.config.backend != "dummy":
                    dev.open(raise_not_found=True) if _accepts_raise(dev) else dev.open()
            except DeviceUnavailable:
                raise
            except Exception as exc:  # pyusb, pyserial, socket and escpos errors alike
                # python-escpos puts line breaks inside its messages; health reasons are one line.
                reason = " ".join(str(exc).split())
                raise DeviceUnavailable(f"printer ({self.config.backend}): cannot open: {reason}") from exc
            self._device = dev
        return self._device

    def _disconnect(self) -> None:
        dev, self._device = self._device, None
        if dev is not None and self.config.backend != "dummy":
            try:
                dev.close()
            except Exception:
                pass

    def print_receipt(self, receipt: Receipt) -> None:
        data = self.render(receipt)
        with self._lock:
            # A printer that never answers DLE EOT (or a one-way cable) would cost a status
            # timeout on every receipt; ask it again only once a minute.
            if time.monotonic() >= self._skip_status_until:
                status = self.query_status()
                if not status.answered and self.config.backend not in ("file", "dummy"):
                    self._skip_status_until = time.monotonic() + 60.0
                self._refuse_if_cannot_print(status)
            dev = self._connect()
            try:
                dev._raw(data)
                if hasattr(dev, "flush") and self.config.backend == "file":
                    dev.flush()
            except Exception as exc:
                self._disconnect()
                raise DeviceUnavailable(f"printer ({self.config.backend}): write failed: {exc}") from exc

    def _ask(self, dev: Any, command: bytes) -> bytes:
        """One DLE EOT round trip; an empty answer means the printer did not say."""
        timeout = self.config.status_timeout_s
        backend = self.config.backend
        dev._raw(command)
        if backend == "serial":
            dev.device.timeout = timeout
            return dev.device.read(1)
        if backend == "network":
            sock: socket.socket = dev.device
            previous = sock.gettimeout()
            sock.settimeout(timeout)
            try:
                return sock.recv(16)
            except TimeoutError:
                return b""
            finally:
                sock.settimeout(previous)
        if backend == "usb":
            try:
                return bytes(dev.device.read(dev.in_ep, 16, int(timeout * 1000)))
            except Exception:
                return b""
        return b""  # file and dummy transports have no back channel

    def query_status(self) -> PrinterStatus:
        if self.config.backend in ("file", "dummy"):
            return PrinterStatus()
        with self._lock:
            dev = self._connect()
            try:
                answers = {n: self._ask(dev, DLE_EOT[n]) for n in (1, 2, 4)}
            except Exception as exc:
                self._disconnect()
                raise DeviceUnavailable(f"printer ({self.config.backend}): status query failed: {exc}") from exc
        return combine_status(answers[1], answers[2], answers[4])

    def close(self) -> None:
        super().close()
        with self._lock:
            self._disconnect()


def _accepts_raise(dev: Any) -> bool:
    import inspect

    try:
        return "raise_not_found" in inspect.signature(dev.open).parameters
    except (TypeError, ValueError):
        return False


class SimulatedPrinter(ReceiptPrinter):
    """A printer for tests and the demo: keeps `.receipts` (and the ESC/POS `.jobs`), can run out of paper.

    >>> p = SimulatedPrinter(); p.set_paper("out"); p.print_receipt(r)  # raises DeviceUnavailable
    """

    def __init__(self, config: PrinterConfig | None = None) -> None:
        super().__init__(config or PrinterConfig(backend="simulated"))
        self.receipts: list[Receipt] = []
        self.jobs: list[bytes] = []
        self.paper = PaperState.OK
        self.online = True
        self.cover_open = False
        self.answers = True  # False: behaves like a printer without a status back channel
        self._lock = threading.Lock()
        self._printed = threading.Condition(self._lock)

    def set_paper(self, state: str | PaperState) -> None:
        self.paper = PaperState(state)

    def set_offline(self, offline: bool = True) -> None:
        self.online = not offline

    def set_cover_open(self, is_open: bool = True) -> None:
        self.cover_open = is_open

    def query_status(self) -> PrinterStatus:
        if not self.answers:
            return PrinterStatus()
        if not self.online:
            raise DeviceUnavailable("printer (simulated): offline")
        return PrinterStatus(online=True, cover_open=self.cover_open, paper=self.paper, error=False)

    def print_receipt(self, receipt: Receipt) -> None:
        data = self.render(receipt)
        self._refuse_if_cannot_print(self.query_status())
        with self._printed:
            self.receipts.append(receipt)
            self.jobs.append(data)
            self._printed.notify_all()

    def wait_for_receipts(self, count: int, timeout: float = 5.0) -> bool:
        """Test helper: block until `count` receipts were printed."""
        with self._printed:
            return self._printed.wait_for(lambda: len(self.receipts) >= count, timeout)


def open_printer(config: PrinterConfig) -> ReceiptPrinter:
    if config.backend == "simulated":
        return SimulatedPrinter(config)
    if config.backend == "none":
        raise DeviceUnavailable("no printer configured")
    return EscposPrinter(config)
