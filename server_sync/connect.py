"""How a terminal reaches its hub: a `HubClient` from the enrolled identity and the `[hub]` section.

The agent and the kiosk build their clients here, so a `[hub] url` override and a
municipality's own CA (`ca_file`) apply to both alike. `HubClient` itself reads no
configuration.
"""

from __future__ import annotations

import logging
import ssl
from typing import Any

from server_sync.client import HubClient
from server_sync.config import ConfigError, HubSection, load_terminal_config
from server_sync.store import Identity, NotEnrolledError, Store

__all__ = ["hub_client", "client_for_store", "configured_hub_section"]

log = logging.getLogger(__name__)


def configured_hub_section() -> HubSection:
    """The `[hub]` section of the terminal config ($EOBSHTINA_CONFIG or the default path);
    defaults if it cannot be read (the process that owns the config - the kiosk, the agent -
    reports a bad file itself)."""
    try:
        return load_terminal_config().hub
    except ConfigError as exc:
        log.warning("hub client: using the enrolled hub URL and default settings: %s", exc)
        return HubSection()


def hub_client(identity: Identity, hub: HubSection, **overrides: Any) -> HubClient:
    """A client of the enrolled hub: `hub.url` overrides the enrolled URL, `hub.ca_file` is the
    CA to trust. Keyword arguments (timeouts, verify, transport) win over the section."""
    overrides.setdefault("timeout_s", hub.timeout_s)
    overrides.setdefault("connect_timeout_s", hub.connect_timeout_s)
    if "verify" not in overrides and hub.ca_file:
        try:
            overrides["verify"] = ssl.create_default_context(cafile=hub.ca_file)
        except (OSError, ssl.SSLError) as exc:
            # The caller (the kiosk, with a request already stored) must get a client, not an
            # exception: the hub is then unreachable and the agent delivers later.
            log.error("hub client: [hub] ca_file %s cannot be loaded (%s); using the system CAs",
                      hub.ca_file, exc)
    return HubClient(hub.url or identity.hub_url, identity.token, **overrides)


def client_for_store(store: Store, hub: HubSection | None = None, **overrides: Any) -> HubClient:
    """A client with the store's enrolled identity (raises `NotEnrolledError` if there is none).
    Without `hub`, the section is read from the terminal config."""
    identity = store.identity()
    if identity is None:
        raise NotEnrolledError("the terminal is not enrolled with a hub")
    if not identity.token:
        # the token file (store/token_file.py) is missing or not readable by this process
        raise NotEnrolledError("this process cannot read the terminal's hub token")
    return hub_client(identity, hub if hub is not None else configured_hub_section(), **overrides)
