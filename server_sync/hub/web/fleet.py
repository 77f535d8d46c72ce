"""Technicians' pages: the fleet (`/admin/fleet`), one terminal, revocation, enrolment codes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from server_sync.hub.db import utcnow
from server_sync.hub.deadlines import SOFIA
from server_sync.hub.models import Terminal
from server_sync.hub.releases import service as release_service
from server_sync.hub.services import fleet as fleet_service
from server_sync.hub.services import technicians as technician_service
from server_sync.hub.services import terminals as terminal_service
from server_sync.hub.services.staff import Role
from server_sync.hub.web.charts import line_chart_svg
from server_sync.hub.web.common import (
    PageError,
    Pager,
    Staff,
    audit,
    check_csrf,
    flash_url,
    hub_of,
    int_param,
    render,
    require,
    see_other,
)
from server_sync.protocol import TerminalKind

router = APIRouter(include_in_schema=False)
Tech = Annotated[Staff, Depends(require(Role.TECHNICIAN))]
Admin = Annotated[Staff, Depends(require(Role.ADMINISTRATOR))]
PER_PAGE = 100
STATE_NAMES = {
    "online": ("на линия", "online"), "stale": ("закъснява", "stale"), "offline": ("извън линия", "offline"),
    "never": ("не е докладвал", "never reported"), "revoked": ("отменен", "revoked"),
}
DEVICE_NAMES = {
    "printer": ("Принтер", "Printer"), "id_reader": ("Четец на карти", "ID reader"),
    "scanner": ("Скенер", "Scanner"), "badge": ("Четец на значки", "Badge reader"),
    "buttons": ("Бутони", "Buttons"), "speech": ("Говор", "Speech"),
}
DEVICE_STATES = {
    "ok": ("наред", "ok"), "degraded": ("влошен", "degraded"), "offline": ("не работи", "offline"),
    "unknown": ("неизвестно", "unknown"),
}


def _limits(request: Request) -> fleet_service.Thresholds:
    settings = hub_of(request).settings
    return fleet_service.Thresholds(settings.fleet_stale_minutes, settings.fleet_offline_minutes)


def catalogue_offices(request: Request, lang: str) -> list[tuple[str, str]]:
    hub = hub_of(request)
    with hub.reads() as session:
        current = hub.catalogue.get(session)
    if current is None:
        return []
    return [(o.id, (o.name.get(lang) if hasattr(o.name, "get") else None) or o.name.get("bg") or o.id)
            for o in current[0].offices]


def _ago(lang: str, then: datetime | None, now: datetime) -> str:
    """"5 min ago", coarse and readable."""
    if then is None:
        return ""
    seconds = max(0, int((now - then).total_seconds()))
    en = lang == "en"
    if seconds < 60:
        return "just now" if en else "току-що"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min ago" if en else f"преди {minutes} мин"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h ago" if en else f"преди {hours} ч"
    return f"{hours // 24} days ago" if en else f"преди {hours // 24} дни"


def duration(lang: str, seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    d, rest = divmod(seconds, 86400)
    h, rest = divmod(rest, 3600)
    m = rest // 60
    if d:
        return f"{d} d {h} h" if lang == "en" else f"{d} д {h} ч"
    if h:
        return f"{h} h {m} min" if lang == "en" else f"{h} ч {m} мин"
    if m:
        return f"{m} min" if lang == "en" else f"{m} мин"
    return f"{seconds} s" if lang == "en" else f"{seconds} с"


def size(value: int | None) -> str:
    if value is None:
        return ""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


def health(report: dict[str, Any] | None) -> dict[str, Any]:
    """The display values of a terminal's newest heartbeat (terminal-reported: shown as text)."""
    report = report or {}
    devices = []
    for name, dev in sorted((report.get("devices") or {}).items()):
        if not isinstance(dev, dict):
            continue
        detail = dev.get("detail") or {}
        devices.append({"name": name, "state": str(dev.get("state") or "unknown"),
                        "reason": dev.get("reason") or "", "paper": detail.get("paper") if name == "printer" else None})
    errors = report.get("last_errors") or []
    return {
        "uptime_s": report.get("uptime_s"), "queue_depth": report.get("queue_depth"),
        "oldest_s": report.get("oldest_undelivered_age_s"), "disk_free": report.get("disk_free_bytes"),
        "cpu_temp": report.get("cpu_temp_c"), "under_voltage": report.get("under_voltage"),
        "catalogue_version": report.get("catalogue_version"), "devices": devices,
        "last_error": errors[-1] if errors else "", "errors": errors,
        "software_update": report.get("update") if isinstance(report.get("update"), dict) else {},
        # queued items the hub refused (parked on the terminal, never retried) and the newest reason
        "rejected": report.get("rejected_items") or 0, "last_rejection": report.get("last_rejection") or "",
        "problem": any(d["state"] in terminal_service.PROBLEM_DEVICE_STATES for d in devices)
        or bool(report.get("under_voltage")) or bool(report.get("rejected_items"))
        or (report.get("queue_depth") or 0) >= fleet_service.BACKLOG_ITEMS,
    }


def _helpers(lang: str, now: datetime) -> dict[str, Any]:
    pick = (lambda pair: pair[1] if lang == "en" else pair[0])
    return {
        "state_name": lambda s: pick(STATE_NAMES.get(s, (s, s))),
        "device_name": lambda d: pick(DEVICE_NAMES.get(d, (d, d))),
        "device_state": lambda s: pick(DEVICE_STATES.get(s, (s, s))),
        "ago": lambda then: _ago(lang, then, now), "duration": lambda s: duration(lang, s), "size": size,
        "health": health, "backlog": fleet_service.BACKLOG_ITEMS,
        "update_text": lambda update: update_text(lang, update),
    }


# --- the fleet ---------------------------------------------------------------------------


def _fleet_page(request: Request, staff: Staff) -> Response:
    hub = hub_of(request)
    q = request.query_params
    state = q.get("state") if q.get("state") in fleet_service.STATES else ""
    kind = q.get("kind") if q.get("kind") in {k.value for k in TerminalKind} else ""
    offices = catalogue_offices(request, staff.lang)
    office_names = dict(offices)
    office = q.get("office") or ""
    office = office if office in office_names or office == "-" else ""
    sort = q.get("sort") if q.get("sort") in fleet_service.SORTS else "problems"
    descending = q.get("dir") == "desc"
    page = int_param(q.get("page"), 1, 1, 100_000)
    now = utcnow()
    with hub.reads() as session:
        result = fleet_service.fleet_page(session=session, limits=_limits(request), state=state or None,
                                          kind=kind or None, office=office or None, sort=sort,
                                          descending=descending, offset=(page - 1) * PER_PAGE, limit=PER_PAGE,
                                          now=now)
        codes_open = fleet_service.open_enrollment_code_count(session=session)
        channels = release_service.terminal_channels(session=session, terminal_ids=[t.id for t, _s in result.rows])
        session.expunge_all()
    pager = Pager(page=page, per_page=PER_PAGE, total=result.total)
    return render(request, "fleet.html", staff, rows=result.rows, counts=result.counts,
                  total=result.total, pager=pager, states=fleet_service.STATES, state=state, kind=kind,
                  office=office, offices=offices, office_names=office_names, sort=sort, descending=descending,
                  kinds=[k.value for k in TerminalKind], codes_open=codes_open, now=now,
                  refresh=q.get("refresh") != "off", channels=channels, **_helpers(staff.lang, now))


@router.get("/admin/fleet")
def fleet(request: Request, staff: Tech) -> Response:
    return _fleet_page(request, staff)


# --- enrolment codes ---------------------------------------------------------------------


def _enrol_page(request: Request, staff: Staff, *, status: int = 200, errors: dict[str, str] | None = None,
                form: dict[str, str] | None = None) -> Response:
    hub = hub_of(request)
    with hub.reads() as session:
        codes = fleet_service.open_enrollment_codes(session=session)
        session.expunge_all()
    offices = catalogue_offices(request, staff.lang)
    return render(request, "fleet_enrol.html", staff, status_code=status, codes=codes, offices=offices,
                  office_names=dict(offices), kinds=[k.value for k in TerminalKind], errors=errors or {},
                  form=form or {})


@router.get("/admin/fleet/enrol")
def enrol_page(request: Request, staff: Tech) -> Response:
    return _enrol_page(request, staff)


def qr_svg(text: str) -> str:
    """The code as a QR code, an inline <svg> (qrcode's SVG path factory: no raster, no style attribute)."""
    import qrcode.image.svg

    from server_sync.protocol.qr import screen_qr

    image = screen_qr(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10).make_image()
    buf = BytesIO()
    image.save(buf)
    svg = buf.getvalue().decode("utf-8")
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    # A fixed on-screen size that phones scan well; the wrapper carries the accessible name.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg width="240" height="240" aria-hidden="true" focusable="false"', svg)
    return svg


@router.post("/admin/fleet/enrollment-codes")
def enrollment_code(request: Request, staff: Tech, csrf: Annotated[str, Form(max_length=100)] = "",
                    kind: Annotated[str, Form(max_length=20)] = "", name: Annotated[str, Form(max_length=500)] = "",
                    office: Annotated[str, Form(max_length=100)] = "",
                    location: Annotated[str, Form(max_length=1000)] = "") -> Response:
    check_csrf(staff, csrf)
    form = {"kind": kind, "name": name, "office": office, "location": location}
    errors: dict[str, str] = {}
    if kind not in {k.value for k in TerminalKind}:
        errors["kind"] = "kind"
    if not name.strip() or len(name.strip()) > 120 or "\x00" in name:
        errors["name"] = "name"
    if len(location.strip()) > 300 or "\x00" in location:
        errors["location"] = "location"
    offices = dict(catalogue_offices(request, staff.lang))
    if office and office not in offices:
        errors["office"] = "office"
    if errors:
        return _enrol_page(request, staff, status=422, errors=errors, form=form)
    hub = hub_of(request)
    try:
        with hub.sessions.begin() as session:
            code = terminal_service.create_enrollment_code(
                session=session, kind=kind, name=name, location=location.strip() or None,
                office_id=office or None, created_by=staff.username)
            audit(request, session, staff, "enrollment_code", name.strip()[:200], kind=kind, office=office or None)
    except ValueError:
        return _enrol_page(request, staff, status=422, errors={"name": "name"}, form=form)
    expires = utcnow() + timedelta(hours=24)
    return render(request, "fleet_code.html", staff, code=code, qr=qr_svg(code), kind=kind, name=name.strip(),
                  office_name=offices.get(office, ""), location=location.strip(), expires=expires)


# --- one terminal ------------------------------------------------------------------------


def _terminal_page(request: Request, staff: Staff, terminal_id: str, *, status: int = 200,
                   error: str | None = None) -> Response:
    hub = hub_of(request)
    now = utcnow()
    with hub.reads() as session:
        terminal = session.get(Terminal, terminal_id)
        if terminal is None:
            raise PageError(404, "not_found")
        beats = fleet_service.heartbeats(session=session, terminal_id=terminal_id, since=now - timedelta(hours=24))
        channel = release_service.terminal_channels(session=session, terminal_ids=[terminal_id]).get(terminal_id, "all")
        exposed = (technician_service.held_by(session=session, office_id=terminal.office_id,
                                              last_heartbeat_at=terminal.last_heartbeat_at)
                   if terminal.revoked_at is not None and terminal.kind == TerminalKind.KIOSK.value else [])
        session.expunge_all()
    limits = _limits(request)
    state = fleet_service.terminal_state(terminal, limits, now)
    t = (lambda bg, en: en if staff.lang == "en" else bg)
    chronological = list(reversed(beats))
    chart = line_chart_svg(
        [b.received_at.astimezone(SOFIA) for b in chronological], [b.queue_depth for b in chronological],
        title=t(f"Опашка за изпращане на {terminal.id} за последните 24 часа",
                f"Delivery queue of {terminal.id} over the last 24 hours"),
        xlabel=t("час (София)", "time (Sofia)"), ylabel=t("неизпратени", "undelivered"), lang=staff.lang,
        desc=t("Същите стойности са в таблицата с последните сигнали за живот.",
               "The heartbeat table below gives the same values."),
    ) if chronological else ""
    offices = dict(catalogue_offices(request, staff.lang))
    return render(request, "terminal.html", staff, status_code=status, terminal=terminal, state=state,
                  beats=beats[:100], chart=chart, errors_seen=fleet_service.recent_errors(beats),
                  office_name=offices.get(terminal.office_id or "", terminal.office_id or ""), error=error,
                  channel=channel, exposed=exposed,
                  **_helpers(staff.lang, now))


@router.get("/admin/fleet/{terminal_id}")
def terminal_page(request: Request, terminal_id: str, staff: Tech) -> Response:
    return _terminal_page(request, staff, terminal_id)


@router.post("/admin/fleet/{terminal_id}/revoke")
def terminal_revoke(request: Request, terminal_id: str, staff: Tech, csrf: Annotated[str, Form(max_length=100)] = "",
                    confirm: Annotated[str, Form(max_length=10)] = "") -> Response:
    check_csrf(staff, csrf)
    if confirm != "yes":
        return _terminal_page(request, staff, terminal_id, status=422, error="confirm")
    hub = hub_of(request)
    with hub.sessions.begin() as session:
        if session.get(Terminal, terminal_id) is None:
            raise PageError(404, "not_found")
        if terminal_service.revoke(session=session, terminal_id=terminal_id):  # False: already revoked
            audit(request, session, staff, "terminal_revoke", terminal_id)
    return see_other(flash_url(f"/admin/fleet/{terminal_id}", "terminal_revoked"))


# --- software updates --------------------------------------------------------------------

UPDATE_STATES = {
    "idle": ("", ""),
    "downloading": ("изтегля {target}", "downloading {target}"),
    "verified": ("{target} е проверена, инсталира се", "{target} verified, installing"),
    "installed": ("{target} е инсталирана, чака момент без граждани", "{target} installed, waiting for a quiet moment"),
    "switching": ("превключен на {target}, чака потвърждение", "switched to {target}, awaiting its health report"),
    "healthy": ("обновен", "updated"),
    "rolled_back": ("{target} е върната назад", "{target} rolled back"),
    "failed": ("{target} не е инсталирана", "{target} not installed"),
}


def update_text(lang: str, update: dict[str, Any] | None) -> str:
    """A terminal's update state in words (terminal-reported: shown as text)."""
    update = update or {}
    pair = UPDATE_STATES.get(str(update.get("state") or "idle"))
    if pair is None:
        return str(update.get("state"))
    text = (pair[1] if lang == "en" else pair[0]).format(target=update.get("target") or "")
    if update.get("reason") and update.get("state") in ("failed", "rolled_back"):
        text += f": {update['reason']}"
    return text


@router.post("/admin/fleet/{terminal_id}/channel")
def terminal_channel(request: Request, terminal_id: str, staff: Admin,
                     csrf: Annotated[str, Form(max_length=100)] = "",
                     channel: Annotated[str, Form(max_length=20)] = "") -> Response:
    check_csrf(staff, csrf)
    hub = hub_of(request)
    with hub.sessions.begin() as session:
        if session.get(Terminal, terminal_id) is None:
            raise PageError(404, "not_found")
        if channel not in ("pilot", "all"):
            return _terminal_page(request, staff, terminal_id, status=422, error="channel")
        release_service.set_terminal_channel(session=session, terminal_id=terminal_id, channel=channel,
                                             by=staff.username)
        audit(request, session, staff, "terminal_channel", terminal_id, channel=channel)
    return see_other(flash_url(f"/admin/fleet/{terminal_id}", "saved"))
