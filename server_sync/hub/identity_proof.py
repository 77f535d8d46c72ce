"""Whether a request's claimed identity is proven by the ID card's machine-readable zone.

A request (or a consultation support) names a person by ЕГН; anyone holding a terminal's token
could type someone else's. The kiosk sends the MRZ it read from the card with the applicant
(sealed). The hub links the request to that person's dossier only when:

* the MRZ parses with every ICAO 9303 check digit right (document number, birth date, expiry,
  optional data, composite) — `hardware.idcard.mrz.parse_mrz`, the parser the kiosk reads with;
* the MRZ's document number is the claimed `document_number`, and its personal number (the ЕГН
  or ЛНЧ printed on Bulgarian cards) is the claimed `egn`;
* when the citizen has registered for a personal access code, the document is the one
  registered (its HMAC).

Otherwise the request is filed — nothing is lost — but not linked (`identity_linked = false` on
the row and `identity: "not_linked"` on the receipt), and a clerk sees that the ID was not proven.
An expired card still proves who filed (it is the same person's card), so expiry is not checked.
"""

from __future__ import annotations

import datetime as dt

from hardware.idcard.mrz import MrzError, parse_mrz
from server_sync.protocol import Applicant

__all__ = ["mrz_proves", "proof_problem"]


def proof_problem(applicant: Applicant | None, today: dt.date | None = None) -> str | None:
    """Why the applicant's identity is not proven (None when the MRZ proves it)."""
    if applicant is None or not applicant.egn:
        return "no identity claimed"
    if not applicant.mrz:
        return "no machine-readable zone"
    try:
        doc = parse_mrz(applicant.mrz, today or dt.date.today(), allow_expired=True)
    except MrzError as exc:
        return f"machine-readable zone refused: {exc.code}"
    if not applicant.document_number or doc.document_number != applicant.document_number:
        return "document number differs from the machine-readable zone"
    if doc.egn != applicant.egn:
        return "ЕГН differs from the machine-readable zone"
    return None


def mrz_proves(applicant: Applicant | None, today: dt.date | None = None) -> bool:
    return proof_problem(applicant, today) is None
