"""Whether a request's claimed identity is proven by the ID card's machine-readable zone.

A request (or a consultation support) names a person by ЕГН; anyone holding a terminal's token
could type someone else's. The kiosk sends the MRZ it read from the card with the applicant
(sealed). The hub links the request to that person's dossier only when:

* the MRZ is consistent, every ICAO 9303 check digit right (document number, birth date, expiry,
  optional data, composite) — `server_sync.protocol.mrz_proof` (the hub imports no terminal code;
  the kiosk reads cards with the full parser, `hardware.idcard.mrz`);
* the MRZ's document number is the claimed `document_number`, and its personal number (the ЕГН
  or ЛНЧ printed on Bulgarian cards) is the claimed `egn`;
* when the citizen has registered for a personal access code, the document is the one
  registered (its HMAC).

Otherwise the request is filed — nothing is lost — but not linked (`identity_linked = false` on
the row and `identity: "not_linked"` on the receipt), and a clerk sees that the ID was not proven.
An expired card still proves who filed (it is the same person's card), so expiry is not checked.
"""

from __future__ import annotations

from server_sync.protocol import Applicant
from server_sync.protocol.mrz_proof import mrz_facts

__all__ = ["mrz_proves", "proof_problem"]


def proof_problem(applicant: Applicant | None) -> str | None:
    """Why the applicant's identity is not proven (None when the MRZ proves it)."""
    if applicant is None or not applicant.egn:
        return "no identity claimed"
    if not applicant.mrz:
        return "no machine-readable zone"
    facts = mrz_facts(applicant.mrz)
    if facts is None:
        return "machine-readable zone inconsistent (a check digit or a length is wrong)"
    if not applicant.document_number or facts.document_number != applicant.document_number:
        return "document number differs from the machine-readable zone"
    if facts.personal_number != applicant.egn:
        return "ЕГН differs from the machine-readable zone"
    return None


def mrz_proves(applicant: Applicant | None) -> bool:
    return proof_problem(applicant) is None
