"""Feedback analytics API: index, heatmap, trends, alerts and their rules, open-data exports, /metrics."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timezone
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import AfterValidator, Field, StringConstraints

from server_sync.hub.aggregate_cache import ttl_for_period
from server_sync.hub.analytics import alerts as alert_service
from server_sync.hub.analytics import queries
from server_sync.hub.analytics.metrics import CONTENT_TYPE, metrics_text
from server_sync.hub.api.deps import Administrator, Hub
from server_sync.hub.errors import ApiError, validation_error_json
from server_sync.hub.input_checks import EARLIEST, LATEST
from server_sync.hub.services.fleet import Thresholds
from server_sync.protocol import ErrorResponse
from server_sync.protocol.common import WireModel, nfc


class QueryRoute(APIRoute):
    """A query parameter FastAPI refuses (a `group_by` not in its list, a `since` over 40 characters)
    is a 400 `bad_request` naming it, like those the endpoints check themselves (`since`, `tz`):
    one parameter, one answer. Path and body problems stay 422s."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                if exc.errors() and all(tuple(e.get("loc", ()))[:1] == ("query",) for e in exc.errors()):
                    return validation_error_json(exc, 400, "bad_request")
                raise

        return route


router = APIRouter(tags=["feedback analytics"], route_class=QueryRoute,
                   responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}})

PREFIX = "/api/v1/feedback"


def _day(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:  # a day: its UTC midnight, in range like any time
            parsed = datetime.combine(date.fromisoformat(value), time(0), tzinfo=timezone.utc)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "bad_request", f"{name}: expected YYYY-MM-DD or an ISO 8601 time", name) from None
    if parsed.tzinfo is None:
        raise ApiError(400, "bad_request", f"{name}: give a time zone (e.g. Z or +02:00)", name)
    try:
        parsed = parsed.astimezone(timezone.utc)
    except OverflowError:
        parsed = None
    if parsed is None or not EARLIEST <= parsed <= LATEST:
        raise ApiError(400, "bad_request", f"{name}: out of range ({EARLIEST.year}–{LATEST.year})", name)
    return parsed


def _period(since: str | None, until: str | None) -> queries.Period:
    return queries.Period(_day(since, "since"), _day(until, "until"))


def _tz(tz: str | None) -> str | None:
    if tz is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(400, "bad_request", f"tz: unknown time zone {tz!r}", "tz") from None
    return tz


Since = Annotated[str | None, Query(description="start, YYYY-MM-DD (UTC midnight) or ISO 8601", max_length=40)]
Until = Annotated[str | None, Query(description="end (exclusive)", max_length=40)]
OfficeId = Annotated[str | None, Query(max_length=64)]
CounterId = Annotated[str | None, Query(max_length=64)]
Tz = Annotated[str | None, Query(description="IANA time zone; default: the office's", max_length=64)]


@router.get(f"{PREFIX}/satisfaction")
def satisfaction(hub: Hub, _admin: Administrator,
                 group_by: Literal["counter", "office", "service", "terminal"] = "counter",
                 since: Since = None, until: Until = None, office_id: OfficeId = None) -> dict:
    """Satisfaction index (0–100), counts per smiley, negative share and filtered counts per group."""
    period = _period(since, until)
    with hub.reads() as session:
        return {"group_by": group_by,
                "groups": queries.satisfaction(session=session, group_by=group_by, period=period,
                                               office_id=office_id)}


@router.get(f"{PREFIX}/heatmap")
def heatmap(hub: Hub, _admin: Administrator, since: Since = None, until: Until = None,
            office_id: OfficeId = None, counter_id: CounterId = None, tz: Tz = None) -> dict:
    """Responses and index per weekday × hour in the office's time zone."""
    period = _period(since, until)
    with hub.reads() as session:
        return queries.heatmap(session=session, period=period, office_id=office_id, counter_id=counter_id,
                               tz=_tz(tz))


@router.get(f"{PREFIX}/trend")
def trend(hub: Hub, _admin: Administrator, interval: Literal["day", "week"] = "day",
          since: Since = None, until: Until = None, office_id: OfficeId = None, counter_id: CounterId = None,
          tz: Tz = None) -> dict:
    """Daily or weekly (ISO weeks, from Monday) responses and index."""
    period = _period(since, until)
    with hub.reads() as session:
        return queries.trend(session=session, interval=interval, period=period, office_id=office_id,
                             counter_id=counter_id, tz=_tz(tz))


@router.get(f"{PREFIX}/alerts")
def list_alerts(hub: Hub, _admin: Administrator, state: Literal["open", "all"] = "open",
                office_id: OfficeId = None) -> dict:
    """Alerts (newest first), after judging the presses received since the last look."""
    with hub.sessions.begin() as session:
        alert_service.evaluate(session=session)
        found = alert_service.alerts(session=session, open_only=state == "open", office_id=office_id)
        return {"alerts": [alert_service.alert_dict(a) for a in found]}


# Like the protocol's texts: NFC, trimmed, bounded (by the column: 500).
Note = Annotated[str, AfterValidator(nfc), StringConstraints(strip_whitespace=True, max_length=500)]


class AcknowledgeBody(WireModel):
    note: Note | None = None


AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# An office's id as in the catalogue, or "default" (the rule of offices without their own).
RuleOffice = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]


@router.post(f"{PREFIX}/alerts/{{alert_id}}/acknowledge")
def acknowledge(alert_id: AlertId, hub: Hub, user: Administrator, body: AcknowledgeBody | None = None) -> dict:
    with hub.sessions.begin() as session:
        try:
            alert = alert_service.acknowledge(session=session, alert_id=alert_id, by=user.username,
                                              note=body.note if body else None)
        except alert_service.AlertNotFound:
            raise ApiError(404, "not_found", f"no alert {alert_id}", "alert_id") from None
        return alert_service.alert_dict(alert)


class RuleBody(WireModel):
    window_s: int = Field(default=900, ge=60, le=86400)
    min_responses: int = Field(default=4, ge=1, le=10000)
    negative_share: float = Field(default=0.5, gt=0, le=1)
    enabled: bool = True


def _rule_key(office_id: str) -> str | None:
    return None if office_id == "default" else office_id


@router.get(f"{PREFIX}/alert-rules/{{office_id}}")
def get_rule(office_id: RuleOffice, hub: Hub, _admin: Administrator) -> dict:
    """The rule that applies to an office ("default": the rule for offices without their own)."""
    with hub.reads() as session:
        rule = alert_service.rule_for(session, _rule_key(office_id))
        return {"office_id": office_id, **RuleBody(**rule.__dict__).model_dump()}


@router.put(f"{PREFIX}/alert-rules/{{office_id}}")
def put_rule(office_id: RuleOffice, body: RuleBody, hub: Hub, _admin: Administrator) -> dict:
    with hub.sessions.begin() as session:
        alert_service.set_rule(session=session, office_id=_rule_key(office_id),
                               rule=alert_service.Rule(**body.model_dump()))
        return {"office_id": office_id, **body.model_dump()}


def _open_data(request: Request, hub, period: queries.Period, fmt: str) -> bytes:
    """The open-data file of a period: rows counted by the database through a read-only session, then
    rendered; the file is reused for the period's life (a minute while the period is still running,
    longer once it has closed), so a flood of downloads costs neither a query nor a serialisation each."""
    settings = hub.settings
    ttl = ttl_for_period(period.until, open_s=settings.opendata_open_period_cache_seconds,
                         closed_s=settings.opendata_cache_seconds)

    def render() -> bytes:
        with hub.reads() as session:
            rows = queries.open_data_rows(session=session, period=period)
        if fmt == "json":
            return json.dumps({"licence": "CC0-1.0", "fields": queries.OPEN_DATA_FIELDS, "rows": rows},
                              ensure_ascii=False).encode("utf-8")
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=queries.OPEN_DATA_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")

    return request.app.state.aggregates.get(("feedback-open-data", fmt, period.since, period.until), ttl, render)[0]


@router.get(f"{PREFIX}/open-data.json", response_model=None)
def open_data_json(request: Request, hub: Hub, since: Since = None, until: Until = None) -> Response:
    """Open data (public): counted presses per office, counter, service and UTC hour, per score."""
    return Response(_open_data(request, hub, _period(since, until), "json"), media_type="application/json")


@router.get(f"{PREFIX}/open-data.csv")
def open_data_csv(request: Request, hub: Hub, since: Since = None, until: Until = None) -> Response:
    return Response(_open_data(request, hub, _period(since, until), "csv"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="feedback-open-data.csv"'})


@router.get(f"{PREFIX}/summary")
def summary(hub: Hub, _admin: Administrator, since: Since = None) -> dict:
    """The same document as `kiosk-hub feedback-summary --json`."""
    start = _day(since, "since")
    with hub.reads() as session:
        return queries.terminal_summary(session=session, since=start)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, hub: Hub) -> Response:
    """Prometheus text format: feedback and fleet figures, read without writing anything; one scrape's
    answer serves every scrape within `metrics_cache_seconds` (computed once at a time)."""
    limits = Thresholds(hub.settings.fleet_stale_minutes, hub.settings.fleet_offline_minutes)
    body, _ = request.app.state.aggregates.get(("metrics",), hub.settings.metrics_cache_seconds,
                                               lambda: metrics_text(hub.reads, limits))
    return Response(body, media_type=CONTENT_TYPE)
