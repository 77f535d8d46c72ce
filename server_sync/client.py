"""HubClient: every call a terminal makes to the hub, with strict checking of what counts as an answer.

HTTP only: it reads no configuration (the caller passes URL, token, CA, timeouts: see
`server_sync.connect`) and keeps no outbox state (`server_sync.delivery` does)."""

from __future__ import annotations

import json
import logging
import os
import ssl
from typing import Sequence, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from server_sync import __version__

# The errors are re-exported: a caller of the client catches them from here or from
# server_sync.client_errors alike.
from server_sync.client_errors import (
    ClientIdConflict,
    HubBadResponse,
    HubError,
    HubRefused,
    HubServerError,
    HubTimeout,
    HubUnreachable,
    NotJsonResponse,
    TokenRefused,
    TruncatedResponse,
    UnexpectedBody,
)
from server_sync.protocol import (
    MAX_FEEDBACK_BATCH,
    SCHEMA_VERSION,
    Catalogue,
    CitizenSessionRequest,
    CitizenSessionResponse,
    ConsultationList,
    DossierResponse,
    EnrollRequest,
    EnrollResponse,
    ErrorResponse,
    FeedbackBatch,
    FeedbackBatchResult,
    HealthResponse,
    HeartbeatRequest,
    HeartbeatResponse,
    SubmissionReceipt,
    SubmissionRequest,
    SupportRequest,
    SupportResult,
    TrackingResponse,
)

__all__ = [
    "HubClient",
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

log = logging.getLogger(__name__)
# httpx logs every request URL at INFO, and tracking URLs carry the citizen's tracking code
# (`?code=…`): keep those out of the terminal's journal.
logging.getLogger("httpx").setLevel(logging.WARNING)
_TOKEN_CODES = {"unauthorized", "token_revoked", "terminal_revoked", "forbidden"}
M = TypeVar("M", bound=BaseModel)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


class HubClient:
    """A synchronous client of the hub's /api/v1 (used from the agent and from kiosk worker threads).

    Only a 2xx whose Content-Type is application/json and whose body parses into the
    expected protocol model counts as an answer; everything else raises a `HubError`
    subclass saying what went wrong.
    """

    def __init__(self, base_url: str, token: str | None = None, *, timeout_s: float = 10.0,
                 connect_timeout_s: float = 5.0, verify: bool | str | os.PathLike[str] | ssl.SSLContext = True,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = httpx.Timeout(timeout_s, connect=connect_timeout_s)
        if isinstance(verify, (str, os.PathLike)):  # a CA file: httpx wants an SSL context for it
            verify = ssl.create_default_context(cafile=os.fspath(verify))
        self._http = httpx.Client(
            base_url=self.base_url, timeout=self.timeout, verify=verify, transport=transport,
            follow_redirects=False,  # a captive portal redirects; that is a failure, not a hop
            headers={"User-Agent": f"eobshtina-terminal/{__version__}", "Accept": "application/json"},
            trust_env=False,  # a terminal talks to its hub directly, not through whatever env says
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "HubClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the one place requests are made and answers judged ---------------------------

    def _call(self, method: str, path: str, model: type[M] | None, *, body: BaseModel | None = None,
              auth: str | None = "terminal", headers: dict[str, str] | None = None,
              params: dict[str, str] | None = None, timeout: httpx.Timeout | float | None = None,
              allow_304: bool = False, content: bytes | None = None) -> tuple[M | None, httpx.Response]:
        hdrs = dict(headers or {})
        if auth == "terminal" and self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        elif auth and auth != "terminal":
            hdrs["Authorization"] = f"Bearer {auth}"
        if body is not None:
            content = body.model_dump_json().encode()
        if content is not None:
            hdrs["Content-Type"] = "application/json"
        try:
            response = self._http.request(method, path, content=content, headers=hdrs, params=params,
                                          timeout=timeout if timeout is not None else self.timeout)
        except httpx.TimeoutException as exc:
            raise HubTimeout(f"{method} {path}: no answer in time ({type(exc).__name__})") from exc
        except httpx.RemoteProtocolError as exc:
            # Headers arrived and then the connection dropped, or garbage instead of HTTP.
            raise TruncatedResponse(f"{method} {path}: connection dropped mid-answer ({exc})") from exc
        except (httpx.TransportError, OSError) as exc:
            raise HubUnreachable(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        return self._judge(method, path, response, model, allow_304), response

    def _judge(self, method: str, path: str, response: httpx.Response, model: type[M] | None,
               allow_304: bool) -> M | None:
        status = response.status_code
        ctype = response.headers.get("Content-Type", "")
        is_json = ctype.split(";")[0].strip().lower() == "application/json"
        what = f"{method} {path}"
        if status == 304 and allow_304:
            return None
        if 200 <= status < 300:
            if not is_json:
                raise NotJsonResponse(f"{what}: {status} with Content-Type {ctype or 'none'!r}, "
                                      "not the hub's JSON (captive portal or proxy?)", status, ctype)
            declared = response.headers.get("Content-Length")
            encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
            if (declared is not None and declared.isdigit() and not encoded
                    and int(declared) != len(response.content)):
                raise TruncatedResponse(f"{what}: body of {len(response.content)} bytes, "
                                        f"{declared} announced", status, ctype)
            try:
                data = json.loads(response.content)
            except (ValueError, UnicodeDecodeError) as exc:
                raise TruncatedResponse(f"{what}: body is not complete JSON ({exc})", status, ctype) from exc
            if model is None:
                return None
            try:
                return model.model_validate(data)
            except ValidationError as exc:
                raise UnexpectedBody(f"{what}: JSON is not a {model.__name__} "
                                     f"({exc.errors()[0].get('loc')}: {exc.errors()[0].get('msg')})",
                                     status, ctype) from exc
        # Not 2xx. Trust a refusal only when it is the hub's own error JSON: a proxy's
        # 401 page or a portal's 403 must not revoke anything.
        error = None
        if is_json:
            try:
                error = ErrorResponse.model_validate_json(response.content).error
            except ValidationError:
                error = None
        if error is not None and 400 <= status < 500 and status not in (408, 429):
            # Only a refusal of the terminal's own credentials revokes; a citizen's wrong
            # access code or expired session (also 401) is an ordinary refusal.
            if status in (401, 403) and (error.field == "Authorization" or error.code in _TOKEN_CODES):
                raise TokenRefused(status, error.code, error.message, error.field)
            if status == 409 and error.code == "client_id_conflict":
                raise ClientIdConflict(status, error.code, error.message, error.field)
            raise HubRefused(status, error.code, error.message, error.field)
        detail = f"{error.code}: {error.message}" if error else (ctype or "no content type")
        raise HubServerError(f"{what}: HTTP {status} ({detail})", status, _retry_after(response))

    # --- terminal calls ---------------------------------------------------------------

    def health(self) -> HealthResponse:
        return self._call("GET", "/api/v1/health", HealthResponse, auth=None)[0]

    def enroll(self, code: str, *, hostname: str | None = None) -> EnrollResponse:
        request = EnrollRequest(code=code, hostname=hostname or os.uname().nodename,
                                software_version=__version__)
        return self._call("POST", "/api/v1/terminals/enroll", EnrollResponse, body=request, auth=None)[0]

    def heartbeat(self, report: HeartbeatRequest) -> HeartbeatResponse:
        # `technicians_version` goes out only when the kiosk holds one: a hub from before list
        # versions refuses the field even when it is null.
        unset = {"technicians_version"} if report.technicians_version is None else None
        content = report.model_dump_json(exclude=unset).encode()
        return self._call("POST", "/api/v1/terminals/heartbeat", HeartbeatResponse, content=content)[0]

    def download(self, path: str, dest: "os.PathLike[str] | str", *, max_bytes: int = 1 << 30) -> int:
        """Stream a file the hub serves to `dest` (a release bundle); its size. The caller checks
        what it got (signature and hash): this only refuses what is not a 200 or is too large."""
        if not path.startswith("/api/"):
            raise UnexpectedBody(f"GET {path}: not a path on the hub", 0, "")
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        total = 0
        try:
            with self._http.stream("GET", path, headers=headers) as response:
                if response.status_code != 200:
                    response.read()
                    self._judge("GET", path, response, None, False)
                    raise HubServerError(f"GET {path}: HTTP {response.status_code}", response.status_code, None)
                with open(dest, "wb") as out:
                    for chunk in response.iter_bytes(1 << 16):
                        total += len(chunk)
                        if total > max_bytes:
                            raise UnexpectedBody(f"GET {path}: more than {max_bytes} bytes", 200, "")
                        out.write(chunk)
        except httpx.TimeoutException as exc:
            raise HubTimeout(f"GET {path}: no answer in time ({type(exc).__name__})") from exc
        except (httpx.TransportError, OSError) as exc:
            raise HubUnreachable(f"GET {path}: {type(exc).__name__}: {exc}") from exc
        return total

    def catalogue(self, etag: str | None = None) -> tuple[Catalogue, str | None] | None:
        """(catalogue, etag), or None when unchanged since `etag` (304: no body)."""
        headers = {"If-None-Match": etag} if etag else None
        model, response = self._call("GET", "/api/v1/catalogue", Catalogue, headers=headers,
                                     allow_304=True)
        if model is None:
            return None
        return model, response.headers.get("ETag")

    def submit(self, request: SubmissionRequest, *, timeout: float | None = None) -> SubmissionReceipt:
        receipt = self._call("POST", "/api/v1/requests", SubmissionReceipt, body=request,
                             timeout=timeout)[0]
        if receipt.client_id != request.client_id:
            raise UnexpectedBody(f"POST /api/v1/requests: receipt for {receipt.client_id}, "
                                 f"sent {request.client_id}")
        return receipt

    def send_feedback(self, batch: FeedbackBatch, *, timeout: float | None = None) -> FeedbackBatchResult:
        result = self._call("POST", "/api/v1/feedback", FeedbackBatchResult,
                            body=batch, timeout=timeout)[0]
        if result.accepted + result.duplicates != len(batch.presses):
            raise UnexpectedBody(f"POST /api/v1/feedback: {result.accepted}+{result.duplicates} "
                                 f"answered for {len(batch.presses)} presses")
        return result

    def send_feedback_json(self, presses_json: Sequence[str], *,
                           timeout: float | None = None) -> FeedbackBatchResult:
        """Send presses already serialised as protocol `Press` JSON (the outbox stores them
        validated): the agent's hot path skips a parse/validate/dump round per press."""
        if not 1 <= len(presses_json) <= MAX_FEEDBACK_BATCH:
            raise ValueError(f"presses: 1…{MAX_FEEDBACK_BATCH} per batch, got {len(presses_json)}")
        content = (f'{{"schema_version":{SCHEMA_VERSION},"presses":[' + ",".join(presses_json) + "]}").encode()
        result = self._call("POST", "/api/v1/feedback", FeedbackBatchResult, content=content,
                            headers={"Content-Type": "application/json"}, timeout=timeout)[0]
        if result.accepted + result.duplicates != len(presses_json):
            raise UnexpectedBody(f"POST /api/v1/feedback: {result.accepted}+{result.duplicates} "
                                 f"answered for {len(presses_json)} presses")
        return result

    def support(self, consultation_id: str, request: SupportRequest, *,
                timeout: float | None = None) -> SupportResult:
        path = f"/api/v1/consultations/{quote(consultation_id, safe='')}/support"
        result = self._call("POST", path, SupportResult, body=request, timeout=timeout)[0]
        if result.consultation_id != consultation_id:
            raise UnexpectedBody(f"POST {path}: result for consultation {result.consultation_id}")
        return result

    # --- citizen-facing calls (the kiosk, online only) --------------------------------

    def track(self, number_or_ref: str, code: str) -> TrackingResponse:
        path = f"/api/v1/requests/{quote(number_or_ref, safe='')}"
        return self._call("GET", path, TrackingResponse, params={"code": code})[0]

    def citizen_session(self, request: CitizenSessionRequest) -> CitizenSessionResponse:
        return self._call("POST", "/api/v1/citizens/session", CitizenSessionResponse, body=request)[0]

    def dossier(self, citizen_token: str) -> DossierResponse:
        """The citizen's requests; the terminal's token authenticates the kiosk, the
        citizen's short-lived token (from `citizen_session`) the person."""
        return self._call("GET", "/api/v1/citizens/me/requests", DossierResponse,
                          headers={"X-Citizen-Token": citizen_token})[0]

    def consultations(self) -> ConsultationList:
        return self._call("GET", "/api/v1/consultations", ConsultationList)[0]
