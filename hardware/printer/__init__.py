"""Receipt printer: the structured receipt, its ESC/POS and PNG renderings, status, and the printer backends."""

from hardware.printer.backends import (  # noqa: F401
    EscposPrinter,
    ReceiptPrinter,
    SimulatedPrinter,
    make_escpos_device,
    open_printer,
)
from hardware.printer.escpos_render import (  # noqa: F401
    CodePage,
    EscposWriter,
    encode_text,
    render_escpos,
    resolve_code_page,
    transliterate,
)
from hardware.printer.preview import render_png  # noqa: F401
from hardware.printer.receipt import (  # noqa: F401
    Blank,
    Cut,
    KeyValue,
    QRCode,
    Receipt,
    Separator,
    TextLine,
    Title,
    sample_receipt,
)
from hardware.printer.status import PaperState, PrinterStatus, combine_status, status_to_health  # noqa: F401
