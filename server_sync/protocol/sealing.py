"""Sealing personal data to the hub's public key (libsodium sealed boxes) and opening it there."""

from __future__ import annotations

import base64

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from pydantic import ValidationError

from server_sync.protocol.messages import Applicant

__all__ = ["SealError", "generate_keypair", "seal_applicant", "open_applicant"]


class SealError(ValueError):
    """A sealed payload could not be opened or did not hold an applicant; `field` names what failed
    ("sealed_applicant", or "applicant.egn" for an applicant whose ЕГН is not one)."""

    def __init__(self, message: str, field: str = "sealed_applicant") -> None:
        super().__init__(message)
        self.field = field


def generate_keypair() -> tuple[str, str]:
    """Return (private, public) keys, base64-encoded."""
    key = PrivateKey.generate()
    return (
        base64.b64encode(bytes(key)).decode(),
        base64.b64encode(bytes(key.public_key)).decode(),
    )


def seal_applicant(applicant: Applicant, public_key_b64: str) -> str:
    box = SealedBox(PublicKey(base64.b64decode(public_key_b64)))
    return base64.b64encode(box.encrypt(applicant.model_dump_json().encode())).decode()


def open_applicant(sealed_b64: str, private_key_b64: str) -> Applicant:
    try:
        box = SealedBox(PrivateKey(base64.b64decode(private_key_b64)))
        plain = box.decrypt(base64.b64decode(sealed_b64, validate=True))
    except (CryptoError, ValueError, TypeError) as exc:
        raise SealError("sealed_applicant: cannot be opened with this hub's key") from exc
    try:
        return Applicant.model_validate_json(plain)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
        field = ".".join(["applicant", *(str(p) for p in first["loc"])])
        raise SealError(f"{field}: {first['msg']}", field) from exc
    except ValueError as exc:
        raise SealError("sealed_applicant: does not hold valid applicant data") from exc
