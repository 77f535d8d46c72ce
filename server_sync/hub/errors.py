"""Every error as the protocol's ErrorResponse JSON naming the field; body size limit; no leaks."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server_sync.protocol import ErrorBody, ErrorDetail, ErrorResponse

log = logging.getLogger("server_sync.hub")


class ApiError(Exception):
    """A refusal with a status, a stable code, an English message and the offending field."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.headers = status, code, message, field, headers


def error_json(status: int, code: str, message: str, field: str | None = None,
               details: list[ErrorDetail] | None = None, headers: dict | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, field=field, details=details or []))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _field_of(err: dict) -> str:
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
    # Model-level checks say "field: why" in the message; name that field.
    msg = str(err.get("msg", ""))
    if not loc or err.get("type") == "value_error":
        head = msg.removeprefix("Value error, ").split(":", 1)[0]
        if head and " " not in head and head != msg.removeprefix("Value error, "):
            loc = loc + [head]
    # Union members and function-after wrappers add noise to the location.
    loc = [p for p in loc if not p.startswith(("function-", "constrained-str", "str", "int", "float",
                                                "bool", "none")) or p.isdigit()]
    return ".".join(loc) or "body"


def _validation_details(errors) -> list[ErrorDetail]:
    out, seen = [], set()
    for err in errors:
        field = _field_of(err)
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")[:300]
        if (field, msg) not in seen:
            seen.add((field, msg))
            out.append(ErrorDetail(field=field, message=msg))
    return out[:50]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return error_json(exc.status, exc.code, exc.message, exc.field, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        details = _validation_details(exc.errors())
        first = details[0] if details else ErrorDetail(field="body", message="invalid request")
        return error_json(422, "validation_error", f"{first.field}: {first.message}", first.field, details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "too_large", 429: "too_many_requests"}.get(exc.status_code, "error")
        return error_json(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # Log the type and place only: exception texts may quote personal data.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path,
                  exc_info=(type(exc), None, exc.__traceback__))
        return error_json(500, "internal_error", "internal error; the request was not processed")


class BodyLimitMiddleware:
    """Refuse bodies over `limit` bytes with 413 before the app sees them (declared or streamed)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    return await self._reply(scope, receive, send, 400, "bad_request", "bad Content-Length")
                if too_big:
                    return await self._too_large(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                return await self._too_large(scope, receive, send)
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope, receive, send):
        await self._reply(scope, receive, send, 413, "too_large",
                          f"request body larger than {self.limit} bytes")

    @staticmethod
    async def _reply(scope, receive, send, status, code, message):
        response = error_json(status, code, message, "body", headers={"Connection": "close"})
        await response(scope, receive, send)
