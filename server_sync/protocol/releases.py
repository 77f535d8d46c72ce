"""Software releases for the fleet: what a heartbeat answer offers, what a terminal reports back,
and the municipality's release signature (Ed25519, PyNaCl).

A release is one file (a wheel, or a .tar of wheels) with a version. The municipality signs
`release_message(version, sha256)` with its release key; a terminal holds only the public key (its
`[updates] public_key`) and installs nothing whose signature or hash does not hold. The version is
inside the signed message, so an old signed bundle cannot be passed off as a newer version.
"""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey
from pydantic import Field

from server_sync.protocol.common import ShortText, WireModel

__all__ = [
    "RELEASE_CHANNELS",
    "VERSION_PATTERN",
    "UpdateState",
    "UpdateReport",
    "ReleaseOffer",
    "SignatureError",
    "release_message",
    "new_signing_key",
    "public_key_of",
    "sign_release",
    "check_public_key",
    "verify_release",
]

RELEASE_CHANNELS = ("pilot", "all")  # pilot terminals get pilot and all releases; the others only all
VERSION_PATTERN = r"^[0-9][0-9A-Za-z.+-]{0,39}$"  # a PEP 440 version, also a safe directory name


class UpdateState(StrEnum):
    IDLE = "idle"
    DOWNLOADING = "downloading"
    VERIFIED = "verified"
    INSTALLED = "installed"  # waiting for a quiet moment to switch
    SWITCHING = "switching"  # switched, waiting for the new version to report healthy
    HEALTHY = "healthy"
    ROLLED_BACK = "rolled_back"
    FAILED = "failed"


class UpdateReport(WireModel):
    """A terminal's update state, in its heartbeat: the release it runs, the one it is busy with."""

    state: UpdateState = UpdateState.IDLE
    current: str | None = Field(default=None, pattern=VERSION_PATTERN)  # the release running now
    target: str | None = Field(default=None, pattern=VERSION_PATTERN)  # the release being installed
    reason: ShortText | None = None  # why it failed or was rolled back


class ReleaseOffer(WireModel):
    """The newest release of the terminal's channel, in a heartbeat answer (to terminals that ask
    for the "updates" feature and run an older version)."""

    version: str = Field(pattern=VERSION_PATTERN)
    url: str = Field(max_length=300)  # path on the hub, fetched with the terminal's token
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: str = Field(min_length=80, max_length=100)  # base64 Ed25519 over release_message()
    size: int = Field(ge=1)
    filename: str = Field(max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._+-]*\.(whl|tar)$")


class SignatureError(ValueError):
    """A release signature or key that does not hold."""


def release_message(version: str, sha256: str) -> bytes:
    return f"eobshtina-release:1\n{version}\n{sha256}\n".encode()


def _b64(text: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what}: not base64") from None
    if len(raw) != size:
        raise SignatureError(f"{what}: {len(raw)} bytes, expected {size}")
    return raw


def new_signing_key() -> str:
    """A new Ed25519 release signing key (base64 seed): keep it offline, or 0600 on the hub."""
    return base64.b64encode(bytes(SigningKey.generate())).decode()


def public_key_of(signing_key: str) -> str:
    return base64.b64encode(bytes(SigningKey(_b64(signing_key, 32, "signing key")).verify_key)).decode()


def sign_release(signing_key: str, version: str, sha256: str) -> str:
    key = SigningKey(_b64(signing_key, 32, "signing key"))
    return base64.b64encode(key.sign(release_message(version, sha256)).signature).decode()


def check_public_key(public_key: str) -> None:
    """Raise SignatureError unless `public_key` is a base64 Ed25519 public key."""
    VerifyKey(_b64(public_key, 32, "release public key"))


def verify_release(public_key: str, version: str, sha256: str, signature: str) -> None:
    """Raise SignatureError unless `signature` is the release key's over this version and hash."""
    key = VerifyKey(_b64(public_key, 32, "release public key"))
    try:
        key.verify(release_message(version, sha256), _b64(signature, 64, "signature"))
    except BadSignatureError:
        raise SignatureError(f"release {version}: the signature is not the municipality's release key's") from None
