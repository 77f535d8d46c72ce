"""Secrets of the hub: its sealing keypair, the ЕГН HMAC key, token/code hashing and generation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from nacl.public import PrivateKey

from server_sync.protocol.common import TRACKING_CODE_ALPHABET as UNAMBIGUOUS
from server_sync.protocol.common import new_tracking_code  # noqa: F401 - the hub's name for it


def random_code(length: int) -> str:
    return "".join(secrets.choice(UNAMBIGUOUS) for _ in range(length))


def new_enrollment_code() -> str:
    raw = random_code(12)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Bearer tokens and one-time codes are high-entropy: a plain SHA-256 is the right hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


# Slow hashes (Argon2id, scrypt) run in threads that release the GIL, each taking a core for ~0.1 s
# and up to 64 MiB. At most half the cores hash at once: a flood of wrong passwords then waits for
# its turn instead of starving every other request of CPU (and the machine of memory).
SLOW_HASHES = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2))

# scrypt: memory-hard, in the standard library. n=2**14, r=8 → 16 MiB, a few ms per check.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_secret(secret: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    with SLOW_HASHES:
        got = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(digest) // 2, maxmem=64 * 1024 * 1024)
    return hmac.compare_digest(got.hex(), digest)


# Staff passwords and technicians' PINs: Argon2id (libsodium through PyNaCl). The interactive
# limits (2 passes, 64 MiB) take some 50–100 ms here; hashes made with other limits still verify.
# Older scrypt hashes keep working and are replaced at the next successful login.
def hash_password(secret: str) -> str:
    from nacl import pwhash

    with SLOW_HASHES:
        return pwhash.argon2id.str(secret.encode()).decode("ascii")


def verify_password(secret: str, stored: str) -> bool:
    """True when `secret` matches an Argon2id or a legacy scrypt hash."""
    from nacl import exceptions, pwhash

    if stored.startswith("$argon2id$"):
        try:
            with SLOW_HASHES:
                return pwhash.verify(stored.encode("ascii"), secret.encode())
        except (exceptions.InvalidkeyError, exceptions.CryptoError, ValueError):
            return False
    return verify_secret(secret, stored)


def password_needs_rehash(stored: str) -> bool:
    return not stored.startswith("$argon2id$")


def badge_hash(badge_key: str, uid: str) -> str:
    """A technician badge's UID, keyed (a UID space is small enough to brute-force a bare hash)."""
    normal = "".join(ch for ch in uid.upper() if ch.isalnum())
    return hmac.new(bytes.fromhex(badge_key), normal.encode(), hashlib.sha256).hexdigest()


class Keyring:
    """The hub's private sealing key and HMAC key, loaded once at start."""

    def __init__(self, private_key_b64: str, hmac_key: bytes):
        self.private_key_b64 = private_key_b64
        self.public_key_b64 = base64.b64encode(
            bytes(PrivateKey(base64.b64decode(private_key_b64)).public_key)
        ).decode()
        self._hmac_key = hmac_key

    @property
    def hmac_fingerprint(self) -> str:
        """Names the ЕГН key without revealing it: hubs sharing a database must share the key."""
        return self.hmac("hub-key-fingerprint", purpose="fingerprint")[:24]

    @property
    def badge_key(self) -> str:
        """The key of badge hashes, derived from (never equal to) the ЕГН key: terminals get it, to
        hash a badge they read the way the hub hashed the allow-list."""
        return hmac.new(self._hmac_key, b"technician-badge-key", hashlib.sha256).hexdigest()

    def badge_hash(self, uid: str) -> str:
        return badge_hash(self.badge_key, uid)

    def hmac(self, value: str, purpose: str = "egn") -> str:
        """Keyed hash linking records of one person without storing who it is."""
        return hmac.new(self._hmac_key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _read_or_create_secret(path: Path, make: callable) -> str:
    """Create the key file (0600) exactly once, atomically: the value is written and synced to a
    private temporary file, which is then hard-linked into place. Of several hubs starting together
    on a fresh data dir one link wins and every hub reads the winner's complete key — never an
    empty file that another process has created but not yet written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        value = make()
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(value + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:  # another hub won the race: its key is the key
                pass
        finally:
            tmp.unlink(missing_ok=True)
    value = path.read_text().strip()
    if not value:
        raise RuntimeError(f"{path}: key file is empty")
    return value


def load_keyring(private_key_file: Path, data_dir: Path, hmac_key: str = "") -> Keyring:
    private = _read_or_create_secret(
        private_key_file, lambda: base64.b64encode(bytes(PrivateKey.generate())).decode()
    )
    if hmac_key:
        key = hmac_key.encode()
    else:
        key = _read_or_create_secret(data_dir / "hmac.key", lambda: secrets.token_hex(32)).encode()
    return Keyring(private, key)
