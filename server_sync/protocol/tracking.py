"""The citizen's tracking link: `<tracking_base_url><number or reference>?code=<code>`.

Built here and only here — by the hub for a receipt, by the kiosk for a receipt still waiting in
its outbox and by the demo backend — and read back here when a receipt's QR code is scanned.
A number carries "/" ("94-00012/05.01.2026"): it is URL-quoted as one path segment.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, unquote, urlencode, urlparse

__all__ = ["tracking_url", "parse_tracking_url"]

_PATH = re.compile(r"/t/([^/?#]+)$")


def tracking_url(base_url: str, reference: str, code: str | None) -> str:
    """The link a receipt's QR code holds; `base_url` ends with "/t/" (the catalogue's)."""
    query = urlencode({"code": code or ""})
    return f"{base_url}{quote(reference, safe='')}?{query}"


def parse_tracking_url(text: str) -> tuple[str, str] | None:
    """A scanned ".../t/<number-or-ref>?code=<code>" → (reference, code); None if it is not one."""
    url = urlparse(text.strip())
    m = _PATH.search(url.path)
    code = parse_qs(url.query).get("code", [""])[0]
    if not m or not code:
        return None
    return unquote(m.group(1)), code
