"""Every error as the protocol's ErrorResponse JSON naming the field; body size limit; no leaks."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server_sync.hub.api_error import ApiError
from server_sync.hub.input_checks import body_problem, query_problem
from server_sync.protocol import ErrorBody, ErrorDetail, ErrorResponse

log = logging.getLogger("server_sync.hub")

# ApiError re-exported: routers raise it from here
__all__ = ["ApiError", "error_json", "validation_error_json", "install_error_handlers", "log_unexpected",
           "internal_error", "ShieldMiddleware", "BodyLimitMiddleware"]


def error_json(status: int, code: str, message: str, field: str | None = None,
               details: list[ErrorDetail] | None = None, headers: dict | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, field=field, details=details or []))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _field_of(err: dict) -> str:
    if err.get("type") == "json_invalid":  # its location is a character offset, not a field
        return "body"
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
    # Model-level checks say "field: why" in the message; name that field.
    msg = str(err.get("msg", ""))
    if not loc or err.get("type") == "value_error":
        head = msg.removeprefix("Value error, ").split(":", 1)[0]
        if head and " " not in head and head != msg.removeprefix("Value error, "):
            loc = loc + [head]
    # Union members and function-after wrappers add noise to the location ("str", "function-after[…]"),
    # not the fields whose names begin alike ("interval", "street").
    loc = [p for p in loc if p.isdigit() or not _is_union_member(p)]
    return ".".join(loc) or "body"


_UNION_MEMBERS = frozenset({"str", "int", "float", "bool", "none"})


def _is_union_member(part: str) -> bool:
    return part in _UNION_MEMBERS or part.startswith(("function-", "chain[", "constrained-"))


def _validation_details(errors) -> list[ErrorDetail]:
    out, seen = [], set()
    for err in errors:
        field = _field_of(err)
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")[:300]
        if (field, msg) not in seen:
            seen.add((field, msg))
            out.append(ErrorDetail(field=field, message=msg))
    return out[:50]


def validation_error_json(exc: RequestValidationError, status: int = 422,
                          code: str = "validation_error") -> JSONResponse:
    """A refusal of what FastAPI's validation refused: the first problem's field named, all listed."""
    details = _validation_details(exc.errors())
    first = details[0] if details else ErrorDetail(field="body", message="invalid request")
    return error_json(status, code, f"{first.field}: {first.message}", first.field, details)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return error_json(exc.status, exc.code, exc.message, exc.field, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        return validation_error_json(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and isinstance(exc.__cause__, RecursionError):
            # JSON nested past what the parser follows: refused like every other body that is not a
            # readable JSON document (422 naming the body), not with FastAPI's bare 400.
            return error_json(422, "validation_error", "body: JSON nested too deeply", "body")
        code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "too_large", 429: "too_many_requests"}.get(exc.status_code, "error")
        # Framework refusals name what they are about: an unparsable body, the credentials, no such
        # path, a method the path does not take.
        field = {400: "body", 401: "Authorization", 404: "path", 405: "method"}.get(exc.status_code)
        return error_json(exc.status_code, code, str(exc.detail), field, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log_unexpected(exc, request.method, request.url.path)
        return internal_error()


def log_unexpected(exc: BaseException, method: str, path: str) -> None:
    # The type and place only, and a traceback without the exception's text: texts may quote
    # personal data (a database error carries the statement's parameters).
    log.error("unhandled %s on %s %s", type(exc).__name__, method, path,
              exc_info=(type(exc), None, exc.__traceback__))


def internal_error() -> JSONResponse:
    return error_json(500, "internal_error", "internal error; the request was not processed")


class ShieldMiddleware:
    """Answers an unexpected exception with the JSON 500 and does not re-raise it.

    Starlette's ServerErrorMiddleware re-raises after answering so that the server logs it, and
    uvicorn then prints "Exception in ASGI application" with the exception's text, which may quote
    personal data. Mounted innermost, this catches the exception first; it is logged by
    `log_unexpected` only. (Plain ASGI: BaseHTTPMiddleware is slow.)"""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_and_note(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception as exc:
            log_unexpected(exc, scope.get("method", "?"), scope.get("path", "?"))
            if not started:
                await internal_error()(scope, receive, send)


class BodyLimitMiddleware:
    """Refuse bodies over `limit` bytes with 413 before the app sees them (declared or streamed), and
    NUL characters or numbers no database holds, in the body, the path or the query, with a 422 that
    names the field (see server_sync.hub.input_checks)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        problem = query_problem(scope.get("path", ""), scope.get("query_string", b""))
        if problem:
            return await self._unstorable(scope, receive, send, problem)
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
        problem = body_problem(whole)
        if problem:
            return await self._unstorable(scope, receive, send, problem)
        await self.app(scope, replayed_body(whole, receive), send)

    @staticmethod
    async def _unstorable(scope, receive, send, problem: tuple[str, str]):
        field, why = problem
        response = error_json(422, "validation_error", f"{field}: {why}", field,
                              [ErrorDetail(field=field, message=why)])
        await response(scope, receive, send)

    async def _too_large(self, scope, receive, send):
        await self._reply(scope, receive, send, 413, "too_large",
                          f"request body larger than {self.limit} bytes")

    @staticmethod
    async def _reply(scope, receive, send, status, code, message):
        response = error_json(status, code, message, "body", headers={"Connection": "close"})
        await response(scope, receive, send)


def replayed_body(raw: bytes, receive):
    """An ASGI `receive` that gives the body already read (`raw`) once, then what `receive` gives."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replayed
