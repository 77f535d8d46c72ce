"""ApiError: a refusal the hub answers with the protocol's ErrorResponse (see hub.errors)."""

from __future__ import annotations

__all__ = ["ApiError"]


class ApiError(Exception):
    """A refusal with a status, a stable code, an English message and the offending field."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.headers = status, code, message, field, headers
