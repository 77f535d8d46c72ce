"""Kiosk cold start to the first interactive welcome frame, RSS after every screen, screen-change p95.

Each figure is compared with a bare PySide6 window measured in the same run:
  - cold start: a fresh interpreter (subprocess) until the first painted frame is reported
    (the kiosk as kiosk.__main__ composes it: its welcome tiles take touches from that frame;
    the store and the catalogue load right after it, and `kiosk_store_loaded` says when);
  - RSS: after walking every screen, versus the bare window process after its first frame;
  - screen change p95: MainWindow.show_screen + the repaint it causes, versus switching two
    empty pages of a QStackedWidget (the floor of any page change in Qt).
Runs offscreen; needs no hub: the kiosk starts on a real terminal store holding the shipped
catalogue; the screen walk files its requests into the in-memory stand-in.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("KIOSK_BENCH_RUNS", "3"))


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _first_frame(app, widget) -> None:
    """Return once the window, or anything in it, has processed a paint event (its first frame)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    painted = []

    class Watch(QObject):
        def eventFilter(self, obj, event):
            # paint events also reach the QWindow behind the widget: only widgets count
            if event.type() == QEvent.Paint and isinstance(obj, QWidget) and (
                    obj is widget or widget.isAncestorOf(obj)):
                painted.append(True)
            return False

    watch = Watch()
    app.installEventFilter(watch)
    widget.show()
    while not painted:
        app.processEvents()
    app.removeEventFilter(watch)


def child_bare() -> dict:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    w = QLabel("e-Obshtina")
    w.resize(1280, 800)
    _first_frame(app, w)
    return {"ready": time.time(), "rss_mb": _rss_mb()}


def child_kiosk(walk: bool, store: bool = True) -> dict:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskApp, store_loader, welcome_cache_path
    from kiosk.state.kiosk_state import KioskSettings

    app = QApplication([])
    # the real composition (kiosk.__main__): the window and the welcome frame first, then the
    # terminal store (SQLite, migrated) holding the cached catalogue, loaded right after that
    # frame; "kiosk-mem" loads the in-memory stand-in instead, to show what the store stack costs
    data_dir = Path(os.environ["KIOSK_BENCH_DATA_DIR"]) if store else None
    kiosk = KioskApp(app, None, KioskSettings(office_id="centre"), accessibility=False,
                     load=store_loader(data_dir, simulate=not store), welcome_cache=welcome_cache_path(data_dir))
    kiosk.window.resize(1280, 800)
    _first_frame(app, kiosk.window)
    # the first interactive frame: its tiles take touches (they open their page once loaded)
    first_frame = time.time()
    while not kiosk.state.is_ready:  # the store, the catalogue: loaded right after that frame
        app.processEvents()
        if kiosk.load_error is not None:
            raise SystemExit(f"kiosk load failed: {kiosk.load_error}")
    out = {"ready": first_frame, "loaded": time.time(), "municipality": kiosk.state.municipality_name()}
    if walk:
        sys.path.insert(0, str(ROOT / "scripts"))
        from PySide6.QtCore import QEvent
        from screenshots import scenes, settle

        from kiosk.simulated_backend import SimulatedBackend

        # walking the flows files requests: the in-memory stand-in, so no hub is needed
        backend = SimulatedBackend(kiosk.state.catalogue)
        kiosk.state.backend = backend
        kiosk.state.printer = lambda receipt: None
        timings = []
        w = kiosk.window
        for _ in range(3):
            for _name, action in scenes(kiosk, backend):
                action()  # gets the state there (card read, request filed…), untimed
                settle(app, kiosk)
                # the kiosk runs app.exec(), whose loop deletes each page left (deleteLater);
                # processEvents() outside any exec() never does: without this the walk keeps
                # every page it ever showed (1,800 widgets, +27 MB after three rounds)
                app.sendPostedEvents(None, QEvent.DeferredDelete)
                # the timed change: a fresh instance of this screen replaces the current one
                # (the kiosk never reuses a page) and the window repaints
                screen_name, kwargs = w.current_screen_name(), dict(w._current_kwargs)
                t0 = time.perf_counter()
                w.show_screen(screen_name, remember=False, **kwargs)
                w.repaint()
                timings.append((time.perf_counter() - t0) * 1000)
                settle(app, kiosk)
                app.sendPostedEvents(None, QEvent.DeferredDelete)
        out["rss_mb"] = _rss_mb()
        out["screen_change_ms"] = timings
        # floor: two empty pages of a QStackedWidget switched and repainted
        from PySide6.QtWidgets import QStackedWidget, QWidget

        stack = QStackedWidget()
        stack.addWidget(QWidget())
        stack.addWidget(QWidget())
        stack.resize(1280, 800)
        _first_frame(app, stack)
        floor = []
        for i in range(len(timings)):
            t0 = time.perf_counter()
            stack.setCurrentIndex(i % 2)
            stack.repaint()
            floor.append((time.perf_counter() - t0) * 1000)
        out["floor_change_ms"] = floor
    return out


def spawn(kind: str, data_dir: Path) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_BENCH_DATA_DIR": str(data_dir)}
    t0 = time.time()
    proc = subprocess.run([sys.executable, __file__, "--child", kind], capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{proc.stderr[-2000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["start_ms"] = (data["ready"] - t0) * 1000
    if "loaded" in data:
        data["loaded_ms"] = (data["loaded"] - t0) * 1000
    return data


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        kind = sys.argv[2]
        result = child_bare() if kind == "bare" else child_kiosk(walk=(kind == "kiosk-walk"), store=(kind != "kiosk-mem"))
        print(json.dumps(result), flush=True)
        # no interpreter teardown (it measures nothing): under PySide6 6.12.0 on CPython 3.11
        # every Signal.emit() returns True without taking a reference to it, so once the pages
        # are really deleted the final garbage collection releases True once too often and
        # aborts (bool_dealloc); reported with the kiosk's startup work
        os._exit(0)
    # the kiosk reads its catalogue from the store's cache (JSON), not from the TOML source
    import tempfile

    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshots import shipped_catalogue

    from server_sync.store import Store

    catalogue = Path(tempfile.mkdtemp())
    with Store(catalogue) as store:
        store.save_catalogue(shipped_catalogue())
    bare_start, kiosk_start, kiosk_loaded, mem_start = [], [], [], []
    # a kiosk that has run before finds its welcome names cached beside the store; the first
    # boot (no cache) costs the same time, its names only appear with the catalogue
    spawn("kiosk", catalogue)
    for _ in range(RUNS):  # interleaved, so machine load hits both alike
        bare = spawn("bare", catalogue)
        bare_start.append(bare["start_ms"])
        kiosk = spawn("kiosk", catalogue)
        assert kiosk["municipality"], "the welcome frame shows no municipality name"
        kiosk_start.append(kiosk["start_ms"])
        kiosk_loaded.append(kiosk["loaded_ms"])
        mem_start.append(spawn("kiosk-mem", catalogue)["start_ms"])
    walk = spawn("kiosk-walk", catalogue)
    b, k = statistics.median(bare_start), statistics.median(kiosk_start)
    print(f"cold start runs: bare {[round(x) for x in bare_start]} ms, kiosk {[round(x) for x in kiosk_start]} ms, "
          f"store and catalogue loaded {[round(x) for x in kiosk_loaded]} ms")
    print(f"screens walked: {len(walk['screen_change_ms'])} changes; target: start ≤ 2× bare, RSS ≤ bare + 120 MB, p95 < 50 ms")
    m = statistics.median(mem_start)
    loaded = statistics.median(kiosk_loaded)
    print(f"RESULT kiosk_cold_start value={k:.0f}ms floor={b:.0f}ms ratio={k / b:.2f}")
    print(f"RESULT kiosk_store_loaded value={loaded:.0f}ms floor={b:.0f}ms ratio={loaded / b:.2f}")
    print(f"RESULT kiosk_cold_start_without_store value={m:.0f}ms floor={b:.0f}ms ratio={m / b:.2f}")
    print(f"RESULT kiosk_rss_after_all_screens value={walk['rss_mb']:.1f}MB floor={bare['rss_mb']:.1f}MB "
          f"ratio={walk['rss_mb'] / bare['rss_mb']:.2f}")
    change, floor = p95(walk["screen_change_ms"]), p95(walk["floor_change_ms"])
    print(f"RESULT kiosk_screen_change_p95 value={change:.1f}ms floor={floor:.2f}ms ratio={change / max(floor, 0.01):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
