"""Administrators' satisfaction page: the index, the weekday × hour heatmap, the trend and the alerts the
feedback analytics compute (server_sync.hub.analytics), per office and counter, with charts drawn by
matplotlib into SVG (web/charts.py), each beside a table of its numbers; alerts acknowledged with a note.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from server_sync.hub.analytics import alerts as alert_service
from server_sync.hub.analytics import queries
from server_sync.hub.catalogue_store import current_revision
from server_sync.hub.deadlines import SOFIA
from server_sync.hub.services.staff import Role
from server_sync.hub.web import charts
from server_sync.hub.web.common import (
    PageError,
    Staff,
    audit,
    check_csrf,
    flash_url,
    hub_of,
    render,
    require,
    see_other,
    tr,
)

router = APIRouter(include_in_schema=False)
Admin = Annotated[Staff, Depends(require(Role.ADMINISTRATOR))]

DEFAULT_DAYS = 30
MAX_DAYS = 366  # the analytics read a period's presses; a year at most per page view
WEEKDAYS = [("Пн", "Mon"), ("Вт", "Tue"), ("Ср", "Wed"), ("Чт", "Thu"), ("Пт", "Fri"), ("Сб", "Sat"), ("Нд", "Sun")]


def _offices(session) -> list[dict[str, Any]]:
    revision = current_revision(session)
    return list(revision.data.get("offices", [])) if revision else []


def _name(value: Any, lang: str) -> str:
    if not isinstance(value, dict):
        return ""
    return (value.get("en") or value.get("bg") or "") if lang == "en" else (value.get("bg") or "")


def _plot_text(text: str) -> str:
    """Text for a chart label: matplotlib reads `$…$` as mathematics."""
    return text.replace("$", r"\$")


def _parse_day(text: str | None) -> date | None | str:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return "bad"


def _filters(request: Request, offices: list[dict[str, Any]], t) -> tuple[dict[str, Any], dict[str, str]]:
    """The page's filters from its query, each checked; a bad one is dropped and explained by its field."""
    q = request.query_params
    errors: dict[str, str] = {}
    office_ids = {o["id"]: o for o in offices}
    office = (q.get("office") or "")[:64] or None
    if office is not None and office not in office_ids:
        errors["office"] = t("Няма такова звено за обслужване.", "No such office.")
        office = None
    counters = sorted({c for o in offices for c in o.get("counters", []) if office is None or o["id"] == office})
    counter = (q.get("counter") or "")[:64] or None
    if counter is not None and counter not in counters:
        errors["counter"] = t("Няма такова гише (в избраното звено).", "No such counter (in the chosen office).")
        counter = None
    today = datetime.now(SOFIA).date()
    until = _parse_day(q.get("until"))
    if until == "bad":
        errors["until"] = t("Дата във вида ГГГГ-ММ-ДД.", "A date as YYYY-MM-DD.")
        until = None
    until = until or today
    since = _parse_day(q.get("since"))
    if since == "bad":
        errors["since"] = t("Дата във вида ГГГГ-ММ-ДД.", "A date as YYYY-MM-DD.")
        since = None
    since = since or until - timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        errors["since"] = t("Началото е след края.", "The start is after the end.")
        since = until - timedelta(days=DEFAULT_DAYS - 1)
    if (until - since).days >= MAX_DAYS:
        errors["since"] = t(f"Най-много {MAX_DAYS} дни наведнъж.", f"At most {MAX_DAYS} days at a time.")
        since = until - timedelta(days=MAX_DAYS - 1)
    interval = q.get("interval") if q.get("interval") in ("day", "week") else "day"
    return ({"office": office, "counter": counter, "since": since, "until": until, "interval": interval,
             "counters": counters}, errors)


def _period(since: date, until: date) -> queries.Period:
    """Whole days in Sofia: [since 00:00, the day after `until` 00:00)."""
    return queries.Period(datetime.combine(since, time(0), tzinfo=SOFIA),
                          datetime.combine(until + timedelta(days=1), time(0), tzinfo=SOFIA))


def _overall(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """One figure over groups: responses summed, index and negative share weighted by responses (a group's
    index is rounded to 0.01, so over several groups the index may be off by that much)."""
    if len(groups) == 1:
        return groups[0]
    responses = sum(g["responses"] for g in groups)
    negative = sum(g["negative"] for g in groups)
    filtered = sum(g["filtered"] for g in groups)
    index = (sum(g["index"] * g["responses"] for g in groups if g["index"] is not None) / responses
             if responses else None)
    return {"responses": responses, "index": round(index, 2) if index is not None else None,
            "negative": negative, "negative_share": round(negative / responses, 4) if responses else None,
            "filtered": filtered}


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


@router.get("/admin/satisfaction")
def satisfaction_page(request: Request, staff: Admin) -> Response:
    t = tr(staff.lang)
    hub = hub_of(request)
    with hub.sessions.begin() as session:  # writes: alerts are evaluated first
        offices = _offices(session)
        f, errors = _filters(request, offices, t)
        period = _period(f["since"], f["until"])
        by_counter = queries.satisfaction(session=session, group_by="counter", period=period, office_id=f["office"])
        if f["counter"]:
            by_counter = [g for g in by_counter if g["counter"] == f["counter"]]
            overall = _overall(by_counter)
            by_office = []
        else:  # per office: exact for one office (the groups' indexes are rounded)
            by_office = queries.satisfaction(session=session, group_by="office", period=period,
                                             office_id=f["office"])
            overall = _overall(by_office)
        heat = queries.heatmap(session=session, period=period, office_id=f["office"], counter_id=f["counter"])
        trend = queries.trend(session=session, interval=f["interval"], period=period, office_id=f["office"],
                              counter_id=f["counter"])
        alert_service.evaluate(session=session)  # judge the presses received since the last look
        found = alert_service.alerts(session=session, office_id=f["office"], limit=200)
        if f["counter"]:
            found = [a for a in found if a.counter_id == f["counter"]]
        alerts = sorted(found, key=lambda a: (a.acknowledged_at is not None, -a.id))
        for alert in alerts:
            session.expunge(alert)

    office_names = {o["id"]: _name(o.get("name"), staff.lang) for o in offices}
    scope = office_names.get(f["office"], t("всички звена", "all offices")) if f["office"] else \
        t("всички звена", "all offices")
    if f["counter"]:
        scope += ", " + t("гише", "counter") + " " + f["counter"]
    span = f"{f['since']:%d.%m.%Y}–{f['until']:%d.%m.%Y}"

    # Trend: the index per day or week (a line) — numbers in the table beside it.
    zone = heat["timezone"]
    points = trend["points"]
    xs = [datetime.combine(date.fromisoformat(p["start"]), time(12), tzinfo=SOFIA) for p in points]
    trend_title = _plot_text(t("Индекс на удовлетвореност по ", "Satisfaction index by ")
                             + (t("дни", "day") if f["interval"] == "day" else t("седмици", "week"))
                             + f" — {scope}, {span}")
    trend_svg = charts.line_chart_svg(
        xs, [p["index"] for p in points], title=trend_title, ylabel=t("индекс (0–100)", "index (0–100)"),
        lang=staff.lang, desc=t("Данните са в таблицата под графиката.", "The figures are in the table below the chart."))

    # Heatmap: weekday × local hour, the index in each cell.
    cells = {(c["weekday"], c["hour"]): c for c in heat["cells"]}
    hours = sorted({h for _, h in cells}) or list(range(8, 18))
    hours = list(range(min(hours[0], 8), max(hours[-1], 17) + 1))
    rows = [t(bg, en) for bg, en in WEEKDAYS]
    grid = [[cells[(wd, h)]["index"] if (wd, h) in cells else None for h in hours] for wd in range(7)]
    heat_title = _plot_text(t("Индекс по ден и час", "Index by weekday and hour") + f" ({zone}) — {scope}, {span}")
    heat_svg = charts.heatmap_svg(
        rows, [f"{h:02d}" for h in hours], grid, title=heat_title, xlabel=t("час", "hour"), vmin=0, vmax=100,
        lang=staff.lang,
        desc=t("Празна клетка: няма оценки. Числата са в таблицата под графиката.",
               "An empty cell: no responses. The figures are in the table below the chart."))

    # Counters: the index of each (a bar chart).
    labels = [g["counter"] or t("без гише", "no counter") for g in by_counter]
    counters_svg = charts.bar_chart_svg(
        [_plot_text(x) for x in labels], [g["index"] or 0 for g in by_counter],
        title=_plot_text(t("Индекс по гишета", "Index by counter") + f" — {scope}, {span}"),
        ylabel=t("индекс (0–100)", "index (0–100)"), lang=staff.lang,
        desc=t("Данните са в таблицата под графиката.", "The figures are in the table below the chart."))

    heat_rows = [(rows[wd], [cells.get((wd, h)) for h in hours]) for wd in range(7)
                 if any((wd, h) in cells for h in hours)]
    return render(request, "satisfaction.html", staff, offices=offices, office_names=office_names, f=f,
                  errors=errors, overall=overall, by_counter=by_counter,
                  by_office=by_office if not f["office"] else [], points=points, trend_svg=trend_svg,
                  heat_svg=heat_svg, counters_svg=counters_svg, hours=hours, heat_rows=heat_rows, zone=zone,
                  alerts=alerts, scope=scope, span=span, fmt=_fmt, back=_back_query(f),
                  name=lambda v: _name(v, staff.lang))


def _back_query(f: dict[str, Any]) -> str:
    params = {"office": f["office"], "counter": f["counter"], "since": f["since"].isoformat(),
              "until": f["until"].isoformat(), "interval": f["interval"]}
    return urlencode({k: v for k, v in params.items() if v})


def _note(text: str) -> str | None:
    text = unicodedata.normalize("NFC", text).replace("\x00", "").strip()
    return text[:500] or None


@router.post("/admin/satisfaction/alerts/{alert_id}/acknowledge")
def acknowledge(request: Request, alert_id: str, staff: Admin, csrf: Annotated[str, Form(max_length=100)] = "",
                note: Annotated[str, Form(max_length=2000)] = "",
                back: Annotated[str, Form(max_length=500)] = "") -> Response:
    check_csrf(staff, csrf)
    if not alert_id.isascii() or not alert_id.isdigit() or not 1 <= int(alert_id) <= 2**31 - 1:
        raise PageError(404, "not_found")
    hub = hub_of(request)
    text = _note(note)
    with hub.sessions.begin() as session:
        try:
            alert = alert_service.acknowledge(session=session, alert_id=int(alert_id), by=staff.username, note=text)
        except alert_service.AlertNotFound:
            raise PageError(404, "not_found") from None
        audit(request, session, staff, "alert_ack", f"alert/{alert_id}", office=alert.office_id,
              counter=alert.counter_id, note=text)
    # Back to the same filters (only the page's own parameters survive).
    from urllib.parse import parse_qsl

    kept = {k: v[:64] for k, v in parse_qsl(back) if k in ("office", "counter", "since", "until", "interval")}
    path = "/admin/satisfaction" + ("?" + urlencode(kept) if kept else "")
    return see_other(flash_url(path, "alert_acknowledged"))
