"""The Qt binding the kiosk runs on survives the signal traffic of a long day at a town hall."""

import subprocess
import sys

# Run in a child: a binding that leaks references to True aborts the interpreter with
# "bool_dealloc", which would take the whole test run down with it (PySide6 6.12.0 did,
# after a few hundred emits on Python 3.11).
PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    changed = Signal()
    named = Signal(str)

app = QCoreApplication([])
emitter = Emitter()
before = sys.getrefcount(True), sys.getrefcount(False)
for _ in range(50_000):
    emitter.changed.emit()
    emitter.named.emit("screen")
after = sys.getrefcount(True), sys.getrefcount(False)
print(after[0] - before[0], after[1] - before[1])
"""


def test_signal_emit_does_not_leak_references_to_true_or_false():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"the Qt binding crashed under signal traffic:\n{done.stderr[-2000:]}"
    assert done.stdout.split() == ["0", "0"], done.stdout
