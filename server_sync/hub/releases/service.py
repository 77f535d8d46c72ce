"""Publishing releases, terminals' channels, and the offer a heartbeat answer carries.

The offer is looked up on the heartbeat's hot path, so it never costs a query there: each hub
process keeps the newest release per channel and the (few) pilot terminals in memory and reloads
them with one small query at most every `OFFER_CACHE_S` seconds. A publication, a withdrawal or a
channel change reaches every terminal within that time (at once in the process that made it).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from packaging.version import InvalidVersion, Version
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.models import Terminal
from server_sync.hub.releases.models import Release, TerminalChannel
from server_sync.protocol.releases import (
    RELEASE_CHANNELS,
    VERSION_PATTERN,
    ReleaseOffer,
    SignatureError,
    verify_release,
)

OFFER_CACHE_S = 5.0
SIGNING_KEY_FILE = "release_signing.key"  # in the hub's data dir, when the hub signs (kiosk-hub release keygen)
BUNDLE_DIR = "releases"  # in the hub's data dir: bundles by sha256
BUNDLE_NAME = ReleaseOffer.model_fields["filename"].metadata[-1].pattern  # what the wire accepts
WHEEL_NAME = re.compile(r"^(?P<name>[A-Za-z0-9_.]+)-(?P<version>[^-]+)(-[^-]+)?-[^-]+-[^-]+-[^-]+\.whl$")


class ReleaseError(ValueError):
    """A release that cannot be published (the message names what is wrong)."""


def bundle_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BUNDLE_DIR


def bundle_path(data_dir: Path, release: Release) -> Path:
    return bundle_dir(data_dir) / f"{release.sha256}{Path(release.filename).suffix}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def version_of(path: Path, version: str | None) -> str:
    """The release's version: as given, else from a wheel's file name."""
    if version is None:
        match = WHEEL_NAME.match(path.name)
        if match is None:
            raise ReleaseError(f"{path.name}: --version is needed (the version is read only from a wheel's name)")
        version = match["version"]
    if not re.match(VERSION_PATTERN, version):
        raise ReleaseError(f"--version: {version!r} is not a version (e.g. 1.4.0)")
    try:
        Version(version)
    except InvalidVersion:
        raise ReleaseError(f"--version: {version!r} is not a PEP 440 version (e.g. 1.4.0)") from None
    return version


def check_bundle(path: Path) -> None:
    """A wheel (a zip) or a .tar of wheels, and nothing else."""
    import tarfile
    import zipfile

    if not path.is_file():
        raise ReleaseError(f"{path}: no such file")
    if not re.match(BUNDLE_NAME, path.name) or len(path.name) > 200:
        raise ReleaseError(f"{path.name}: a release file is named with letters, digits and . _ + - only "
                           "and ends in .whl or .tar (rename it)")
    if path.suffix == ".whl":
        if not zipfile.is_zipfile(path):
            raise ReleaseError(f"{path.name}: not a wheel (not a zip file)")
        return
    if path.suffix != ".tar":
        raise ReleaseError(f"{path.name}: a release is a .whl or a .tar of wheels")
    try:
        with tarfile.open(path, "r:") as tar:
            names = [m.name for m in tar.getmembers() if m.isfile()]
    except tarfile.TarError as exc:
        raise ReleaseError(f"{path.name}: not a tar file ({exc})") from None
    if not names or not all(n.endswith(".whl") for n in names):
        raise ReleaseError(f"{path.name}: the .tar must hold wheels (.whl) only")


def publish(*, session: Session, data_dir: Path, path: Path, version: str, channel: str, signature: str,
            public_key: str, published_by: str | None = None) -> Release:
    """Check the signature, copy the bundle into the hub's data dir and record the release."""
    if channel not in RELEASE_CHANNELS:
        raise ReleaseError(f"--channel: {channel!r}, expected one of {', '.join(RELEASE_CHANNELS)}")
    check_bundle(path)
    sha256 = file_sha256(path)
    try:
        verify_release(public_key, version, sha256, signature)
    except SignatureError as exc:
        raise ReleaseError(str(exc)) from None
    if session.scalar(select(Release.id).where(Release.version == version)) is not None:
        raise ReleaseError(f"release {version} is already published (a new build needs a new version)")
    release = Release(version=version, channel=channel, filename=path.name[:200], sha256=sha256,
                      signature=signature, size=path.stat().st_size, published_at=utcnow(),
                      published_by=published_by)
    target = bundle_path(data_dir, release)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(path, partial)
    os.replace(partial, target)
    try:
        with session.begin_nested():
            session.add(release)
    except IntegrityError:
        raise ReleaseError(f"release {version} is already published") from None
    forget_offers()
    return release


def set_release_channel(*, session: Session, version: str, channel: str | None = None,
                        withdrawn: bool = False) -> Release:
    """Promote a release to another channel, or withdraw it (no terminal is offered it any more)."""
    release = session.scalar(select(Release).where(Release.version == version))
    if release is None:
        raise ReleaseError(f"no release {version!r} (kiosk-hub release list)")
    if channel is not None:
        if channel not in RELEASE_CHANNELS:
            raise ReleaseError(f"channel: {channel!r}, expected one of {', '.join(RELEASE_CHANNELS)}")
        release.channel = channel
    if withdrawn:
        release.withdrawn_at = utcnow()
    forget_offers()
    return release


def list_releases(*, session: Session) -> list[Release]:
    rows = list(session.scalars(select(Release)))
    return sorted(rows, key=lambda r: _version_key(r.version), reverse=True)


def set_terminal_channel(*, session: Session, terminal_id: str, channel: str, by: str | None = None) -> None:
    if channel not in RELEASE_CHANNELS:
        raise ReleaseError(f"channel: {channel!r}, expected one of {', '.join(RELEASE_CHANNELS)}")
    if session.get(Terminal, terminal_id) is None:
        raise ReleaseError(f"no terminal {terminal_id!r} (kiosk-hub terminals)")
    session.execute(delete(TerminalChannel).where(TerminalChannel.terminal_id == terminal_id))
    if channel != "all":
        session.add(TerminalChannel(terminal_id=terminal_id, channel=channel, set_at=utcnow(), set_by=by))
    session.flush()
    forget_offers()


def terminal_channels(*, session: Session, terminal_ids: list[str] | None = None) -> dict[str, str]:
    """Channel per terminal id for the given ids (every terminal not listed is on "all")."""
    q = select(TerminalChannel.terminal_id, TerminalChannel.channel)
    if terminal_ids is not None:
        q = q.where(TerminalChannel.terminal_id.in_(terminal_ids))
    return dict(session.execute(q).all())


# --- the heartbeat's offer ------------------------------------------------------------------


@lru_cache(maxsize=1024)  # a fleet reports few distinct versions: parsed once each per process
def _version_key(text: str):
    try:
        return (1, Version(text))
    except InvalidVersion:
        return (0, Version("0"))


@dataclass(frozen=True)
class _Offers:
    loaded_at: float
    newest: dict[str, ReleaseOffer]  # by channel
    pilot: frozenset[str]


_cache: dict[int, _Offers] = {}  # per engine
_lock = threading.Lock()


def forget_offers() -> None:
    """Reload the offers on the next heartbeat (after a publication or a channel change)."""
    _cache.clear()


def _load(session: Session) -> _Offers:
    rows = [r for r in session.scalars(select(Release).where(Release.withdrawn_at.is_(None)))]
    newest: dict[str, ReleaseOffer] = {}
    for channel, accepted in (("all", {"all"}), ("pilot", {"all", "pilot"})):
        candidates = [r for r in rows if r.channel in accepted]
        if candidates:
            r = max(candidates, key=lambda r: _version_key(r.version))
            newest[channel] = ReleaseOffer(version=r.version, url=f"/api/v1/releases/{r.version}/bundle",
                                           sha256=r.sha256, signature=r.signature, size=r.size,
                                           filename=r.filename)
    pilot = frozenset(session.scalars(select(TerminalChannel.terminal_id)
                                      .where(TerminalChannel.channel == "pilot")))
    return _Offers(time.monotonic(), newest, pilot)


def offer_for(sessions, engine_key: int, terminal_id: str, current: str | None) -> ReleaseOffer | None:
    """The newest release of the terminal's channel when it is newer than `current`, else None."""
    offers = _cache.get(engine_key)
    if offers is None or time.monotonic() - offers.loaded_at > OFFER_CACHE_S:
        with _lock:
            offers = _cache.get(engine_key)
            if offers is None or time.monotonic() - offers.loaded_at > OFFER_CACHE_S:
                with sessions() as session:
                    offers = _load(session)
                _cache[engine_key] = offers
    offer = offers.newest.get("pilot" if terminal_id in offers.pilot else "all")
    if offer is None:
        return None
    if current is not None and _version_key(offer.version) <= _version_key(current):
        return None
    return offer


__all__ = ["ReleaseError", "publish", "set_release_channel", "list_releases", "set_terminal_channel",
           "terminal_channels", "offer_for", "forget_offers", "bundle_path", "file_sha256", "version_of",
           "SIGNING_KEY_FILE"]
