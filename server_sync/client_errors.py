"""What can go wrong on a hub call, as exception types (raised by `server_sync.client.HubClient`).

`transient` says whether retrying later may help: the delivery policy (`server_sync.delivery`)
retries transient errors with the same client id and rejects a row the hub refused for good.
"""

from __future__ import annotations

__all__ = [
    "HubError",
    "HubUnreachable",
    "HubTimeout",
    "HubBadResponse",
    "NotJsonResponse",
    "TruncatedResponse",
    "UnexpectedBody",
    "HubServerError",
    "HubRefused",
    "TokenRefused",
    "ClientIdConflict",
]


class HubError(Exception):
    """Root of every hub call failure. `transient` says whether retrying later may help."""

    transient = True


class HubUnreachable(HubError):
    """No answer: DNS failure, refused or reset connection, network down."""


class HubTimeout(HubUnreachable):
    """The hub (or something in between) accepted but did not answer in time.

    The request may have been committed: only retry with the same client id."""


class HubBadResponse(HubError):
    """Something answered, but not the hub's expected JSON (never counts as delivered)."""

    def __init__(self, message: str, status: int | None = None, content_type: str | None = None) -> None:
        super().__init__(message)
        self.status, self.content_type = status, content_type


class NotJsonResponse(HubBadResponse):
    """A 2xx that is not application/json: a captive portal's login page, a proxy's page."""


class TruncatedResponse(HubBadResponse):
    """The body was cut short (connection dropped mid-body, or JSON that does not parse)."""


class UnexpectedBody(HubBadResponse):
    """Valid JSON that is not the protocol message we asked for (or answers another item)."""


class HubServerError(HubError):
    """5xx, 429 or a 4xx that is not the hub's own error JSON (a proxy's 502 page…)."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class HubRefused(HubError):
    """The hub itself refused the request (its ErrorResponse JSON): retrying will not help."""

    transient = False

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.field = status, code, message, field


class TokenRefused(HubRefused):
    """401/403 from the hub on a terminal call: the token is unknown or revoked."""


class ClientIdConflict(HubRefused):
    """409: the client id was already used for a different payload."""
