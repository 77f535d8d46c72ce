"""Technicians' credentials for a kiosk's maintenance mode, as the hub delivers them with the heartbeat
answer (`HeartbeatResponse.technicians` and `.badge_key`) and as a terminal checks them.

Pure functions (no hub, no Qt): the sync agent stores the list with `to_json`, the kiosk checks a
badge and PIN with `check` against what the store holds. A badge is known by HMAC-SHA256 under the
hub's badge key of its normalised UID (upper-case letters and digits only, so "04:a3:b2" and
"04A3B2" are one badge) — the hub's `security.badge_hash` computes the same.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Iterable

from server_sync.protocol.messages import TechnicianCredentialWire

SETTING_KEY = "technicians"  # the terminal store's settings row holding the delivered list
# The heartbeat feature of a kiosk that sends the version of the list it holds and keeps its list when
# the answer has none (`HeartbeatRequest.technicians_version`).
VERSIONED = "technicians-version"


def normalise_uid(uid: str) -> str:
    return "".join(ch for ch in str(uid).upper() if ch.isalnum())


def badge_hash(badge_key: str, uid: str) -> str:
    """The keyed hash of a badge UID (hex key, as `HeartbeatResponse.badge_key` carries it)."""
    return hmac.new(bytes.fromhex(badge_key), normalise_uid(uid).encode(), hashlib.sha256).hexdigest()


def to_json(technicians: Iterable[TechnicianCredentialWire], badge_key: str | None,
            version: str | None = None) -> str:
    return json.dumps({"badge_key": badge_key, "version": version,
                       "technicians": [t.model_dump(mode="json") for t in technicians]}, ensure_ascii=False)


def stored_version(text: str | None) -> str | None:
    """The hub's version of the stored list, when the hub gave one."""
    try:
        version = json.loads(text).get("version") if text else None
    except (ValueError, TypeError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def from_json(text: str | None) -> tuple[list[TechnicianCredentialWire], str | None] | None:
    """The stored list, or None when the hub never delivered one (or it is unreadable)."""
    if not text:
        return None
    try:
        data = json.loads(text)
        return ([TechnicianCredentialWire.model_validate(t) for t in data.get("technicians") or []],
                data.get("badge_key"))
    except (ValueError, TypeError, AttributeError):
        return None


def _pin_matches(pin: str, pin_hash: str) -> bool:
    from nacl import exceptions, pwhash

    try:
        return pwhash.verify(pin_hash.encode("ascii"), pin.encode())
    except (exceptions.InvalidkeyError, exceptions.CryptoError, ValueError, UnicodeError):
        return False


def check(stored: tuple[list[TechnicianCredentialWire], str | None] | None, *, badge: str | None,
          pin: str | None) -> str | None:
    """The name of the technician whose badge this is and whose PIN this is, or None.

    Both are needed: the badge picks the technician (in constant time over the list), the PIN is
    verified against that technician's Argon2id hash. A withdrawn technician is simply no longer
    in the list the hub sends."""
    if not stored or not badge or not pin:
        return None
    technicians, key = stored
    if not key:
        return None
    try:
        presented = badge_hash(key, badge)
    except ValueError:
        return None
    found = None
    for tech in technicians:
        if tech.badge_hash and hmac.compare_digest(tech.badge_hash, presented):
            found = tech
    if found is None or not _pin_matches(pin, found.pin_hash):
        return None
    return found.name
